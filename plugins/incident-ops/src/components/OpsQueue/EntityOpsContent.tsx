import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { Typography } from '@material-ui/core';
import { OpsQueue } from './OpsQueue';

/**
 * The Ops tab of a cluster, namespace or service: its incidents and those of what it runs on
 * or what runs on it, to work them from here.
 * @public
 */
export function EntityOpsContent() {
  const { entity } = useEntity();
  return (
    <OpsQueue
      entityRef={stringifyEntityRef(entity)}
      title={
        <Typography variant="h6" component="h2">
          Incidents on {entity.metadata.title ?? entity.metadata.name}
        </Typography>
      }
    />
  );
}
