import { ANNOTATION_SERVICENOW_CMDB_CI } from '@acme/plugin-incident-ops-common';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import {
  MissingAnnotationEmptyState,
  entityRouteParams,
  useEntity,
} from '@backstage/plugin-catalog-react';
import { Box, IconButton, Typography } from '@material-ui/core';
import CheckCircleOutline from '@material-ui/icons/CheckCircleOutline';
import RefreshIcon from '@material-ui/icons/Refresh';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { incidentOpsApiRef } from '../../api/IncidentOpsApi';
import { entityPageRouteRef } from '../../routes';
import { hasOpsTab } from '../OpsQueue/hasOpsTab';
import { ReportIncidentButton } from '../ReportIncident';
import { IncidentsTable } from './IncidentsTable';

/**
 * Open incidents on the entity and on what it depends on or what depends on it: what is
 * burning and who is on it.
 * @public
 */
export function IncidentsCard() {
  const { entity } = useEntity();
  const api = useApi(incidentOpsApiRef);
  const entityRef = stringifyEntityRef(entity);
  const entityRoute = useRouteRef(entityPageRouteRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.getEntityIncidents(entityRef),
    [api, entityRef],
  );
  // The update each open incident owes next; the card works without it.
  const due = useAsync(async () => {
    if (!value?.items.length) return undefined;
    const { items } = await api.getCommunicationsDue({ limit: 1000 });
    return new Map(items.map(d => [d.number, d]));
  }, [api, value]);

  let content: JSX.Element;
  if (loading && !value) {
    content = <Progress />;
  } else if (error) {
    content = <ResponseErrorPanel error={error} />;
  } else if (value && value.scope.withConfigurationItem === 0) {
    content = (
      <MissingAnnotationEmptyState annotation={ANNOTATION_SERVICENOW_CMDB_CI} />
    );
  } else if (value && value.items.length === 0) {
    content = (
      <Box display="flex" alignItems="center" p={2} gridGap={8}>
        <CheckCircleOutline color="primary" />
        <Typography>
          No open incidents on this {entity.kind.toLowerCase()} or what it runs
          on.
        </Typography>
      </Box>
    );
  } else {
    content = (
      <IncidentsTable
        data={value!}
        dueOf={number => due.value?.get(number)}
        opsLinkOf={
          entityRoute && hasOpsTab(entity)
            ? number =>
                `${entityRoute(
                  entityRouteParams(entity),
                )}/ops?incident=${encodeURIComponent(number)}`
            : undefined
        }
      />
    );
  }

  return (
    <InfoCard
      title="Incidents"
      subheader={
        value && value.items.length > 0 ? `${value.totalOpen} open` : undefined
      }
      action={
        <Box display="flex" alignItems="center" gridGap={8}>
          {hasOpsTab(entity) && (
            <ReportIncidentButton entity={entity} onReported={retry} />
          )}
          <IconButton aria-label="Refresh incidents" onClick={retry}>
            <RefreshIcon />
          </IconButton>
        </Box>
      }
      noPadding
    >
      {content}
    </InfoCard>
  );
}
