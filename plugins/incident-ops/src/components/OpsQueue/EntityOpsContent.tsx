import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { Box, Typography } from '@material-ui/core';
import { useState } from 'react';
import { ReportIncidentButton } from '../ReportIncident';
import { OpsQueue } from './OpsQueue';

/**
 * The Ops tab of a cluster, namespace or service: its incidents and those of what it runs on
 * or what runs on it, to work them from here.
 * @public
 */
export function EntityOpsContent() {
  const { entity } = useEntity();
  const [reports, setReports] = useState(0);
  return (
    <OpsQueue
      entityRef={stringifyEntityRef(entity)}
      version={reports}
      title={
        <Box display="flex" alignItems="center" gridGap={16}>
          <Typography variant="h6" component="h2">
            Incidents on {entity.metadata.title ?? entity.metadata.name}
          </Typography>
          <ReportIncidentButton
            entity={entity}
            onReported={() => setReports(n => n + 1)}
          />
        </Box>
      }
    />
  );
}
