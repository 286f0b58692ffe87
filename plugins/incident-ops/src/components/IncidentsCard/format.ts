import type { EntityIncident } from '@acme/plugin-incident-ops-common';
import { parseEntityRef } from '@backstage/catalog-model';

/**
 * "via namespace livelink-prod", "in namespace gitlab-runners (named in the ticket)", or
 * nothing for the entity's own incidents.
 */
export function attachmentLabel(
  incident: EntityIncident,
  kindOf: (entityRef: string) => string | undefined,
): string | undefined {
  const { relation, entityRef, by } = incident.attachedTo;
  const named = by === 'mention' ? 'named in the ticket' : undefined;
  if (relation === 'self') return named;
  const { name } = parseEntityRef(entityRef);
  const what = kindOf(entityRef) ?? 'entity';
  const where =
    relation === 'dependency' ? `via ${what} ${name}` : `in ${what} ${name}`;
  return named ? `${where} (${named})` : where;
}
