import {
  ANNOTATION_SERVICENOW_CMDB_CI,
  type Incident,
} from '@acme/plugin-incident-ops-common';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';

/** The catalog entity whose CMDB CI annotation names the incident's CI (its ref). */
export async function incidentEntity(
  catalog: CatalogService,
  incident: Incident | undefined,
  credentials: BackstageCredentials,
): Promise<string | undefined> {
  const ci = incident?.configurationItem;
  const keys = [ci?.name, ci?.id].filter((k): k is string => Boolean(k));
  if (keys.length === 0) return undefined;
  const { items } = await catalog.getEntities(
    {
      filter: {
        [`metadata.annotations.${ANNOTATION_SERVICENOW_CMDB_CI}`]: keys,
      },
      fields: ['kind', 'metadata.name', 'metadata.namespace'],
    },
    { credentials },
  );
  return items[0] ? stringifyEntityRef(items[0]) : undefined;
}
