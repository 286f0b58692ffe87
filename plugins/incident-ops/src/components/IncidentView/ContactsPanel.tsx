import { ANNOTATION_SERVICENOW_CMDB_CI } from '@acme/plugin-incident-ops-common';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { Typography } from '@material-ui/core';
import useAsync from 'react-use/esm/useAsync';
import { IncidentDetail, incidentOpsApiRef } from '../../api/IncidentOpsApi';
import { ContactTreeView } from '../ContactsCard';

/**
 * Who to reach about the ticket: the escalation contact tree of the entity it is on (given,
 * or the one whose CMDB CI the ticket names).
 */
export function ContactsPanel(props: {
  incident: IncidentDetail;
  entityRef?: string;
}) {
  const { incident, entityRef } = props;
  const api = useApi(incidentOpsApiRef);
  const catalogApi = useApi(catalogApiRef);
  const ci = incident.configurationItem?.name ?? incident.configurationItem?.id;
  const contacts = useAsync(async () => {
    let ref = entityRef;
    if (!ref && ci) {
      const { items } = await catalogApi.getEntities({
        filter: {
          [`metadata.annotations.${ANNOTATION_SERVICENOW_CMDB_CI}`]: ci,
        },
        fields: ['kind', 'metadata.name', 'metadata.namespace'],
      });
      if (items[0]) ref = stringifyEntityRef(items[0]);
    }
    return ref ? { ref, tree: await api.getContacts(ref) } : undefined;
  }, [api, catalogApi, entityRef, ci]);

  if (contacts.loading) return <Progress aria-label="Loading contacts" />;
  if (contacts.error) return <ResponseErrorPanel error={contacts.error} />;
  if (!contacts.value) {
    return (
      <Typography variant="body2">
        {ci
          ? `No catalog entity has this ticket's CMDB CI (${ci}), so there is no contact tree for it.`
          : 'The ticket names no CMDB CI, so there is no contact tree for it.'}
      </Typography>
    );
  }
  return <ContactTreeView tree={contacts.value.tree} />;
}
