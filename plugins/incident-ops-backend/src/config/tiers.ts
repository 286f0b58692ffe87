import { TIERS, Tier } from '@acme/plugin-incident-ops-common';
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

/**
 * Maps assignment groups (by name or id, case-insensitive) to tiers from
 * `incidentOps.tiers.<tier>.assignmentGroups`. A group named under two tiers is a config
 * error, reported with the key.
 */
export function readTierMapping(config: Config) {
  const byGroup = new Map<string, Tier>();
  for (const tier of TIERS) {
    const key = `incidentOps.tiers.${tier}.assignmentGroups`;
    for (const group of config.getOptionalStringArray(key) ?? []) {
      const k = group.trim().toLowerCase();
      const existing = byGroup.get(k);
      if (existing && existing !== tier) {
        throw new InputError(
          `Invalid config at ${key}: assignment group '${group}' is already mapped to ${existing}`,
        );
      }
      byGroup.set(k, tier);
    }
  }
  return (group?: { id: string; name?: string }): Tier | undefined =>
    group
      ? byGroup.get(group.id.toLowerCase()) ??
        (group.name ? byGroup.get(group.name.toLowerCase()) : undefined)
      : undefined;
}

/**
 * The assignment group an escalation to each tier reassigns to: the first one configured
 * for the tier.
 */
export function readTierGroups(config: Config) {
  const first = new Map<Tier, string>();
  for (const tier of TIERS) {
    const [group] =
      config.getOptionalStringArray(
        `incidentOps.tiers.${tier}.assignmentGroups`,
      ) ?? [];
    if (group) first.set(tier, group);
  }
  return (tier: Tier) => first.get(tier);
}
