import type {
  EntityIncident,
  IncidentStatus,
  Priority,
} from '@acme/plugin-incident-ops-common';
import { parseEntityRef } from '@backstage/catalog-model';

export const STATUS_LABEL: Record<IncidentStatus, string> = {
  unassigned: 'Unassigned',
  'work-in-progress': 'Work in progress',
  'awaiting-customer': 'Awaiting customer',
  escalated: 'Escalated',
  resolved: 'Resolved',
  closed: 'Closed',
};

export const PRIORITY_LABEL: Record<Priority, string> = {
  P1: 'P1 Critical',
  P2: 'P2 High',
  P3: 'P3 Medium',
  P4: 'P4 Low',
};

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

/** "3 h ago", "2 d ago": how long an incident has been open. */
export function age(iso: string, now: Date = new Date()): string {
  const minutes = Math.max(
    0,
    Math.round((now.getTime() - new Date(iso).getTime()) / 60_000),
  );
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} d ago`;
}
