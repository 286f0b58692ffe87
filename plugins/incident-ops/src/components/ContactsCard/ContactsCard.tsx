import { ROLE_ANNOTATIONS } from '@acme/plugin-incident-ops-common';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { Box, IconButton, Typography } from '@material-ui/core';
import RefreshIcon from '@material-ui/icons/Refresh';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { incidentOpsApiRef } from '../../api/IncidentOpsApi';
import { ContactTreeView } from './ContactTreeView';

/**
 * The escalation contact tree of the entity: who is reached at L1, L2, L3/Evangelist, the
 * team lead, management and the vendor, how to reach them, and which entity each comes from.
 * @public
 */
export function ContactsCard() {
  const { entity } = useEntity();
  const api = useApi(incidentOpsApiRef);
  const entityRef = stringifyEntityRef(entity);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.getContacts(entityRef),
    [api, entityRef],
  );

  let content: JSX.Element;
  if (loading && !value) {
    content = <Progress aria-label="Loading contacts" />;
  } else if (error) {
    content = <ResponseErrorPanel error={error} />;
  } else if (!value || value.levels.every(l => l.contacts.length === 0)) {
    content = (
      <Box p={2}>
        <Typography>
          Nobody to contact was found for this {entity.kind.toLowerCase()}. Set
          role annotations such as {ROLE_ANNOTATIONS['support-engineer']} on it
          or on the namespace or cluster it runs on (see docs/catalog-model.md).
        </Typography>
      </Box>
    );
  } else {
    content = <ContactTreeView tree={value} />;
  }

  return (
    <InfoCard
      title="Escalation contacts"
      action={
        <IconButton aria-label="Refresh contacts" onClick={retry}>
          <RefreshIcon />
        </IconButton>
      }
      noPadding
    >
      {content}
    </InfoCard>
  );
}
