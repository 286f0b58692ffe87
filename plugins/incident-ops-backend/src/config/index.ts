import type { RootConfigService } from '@backstage/backend-plugin-api';
import { readEscalationPolicy } from './escalationPolicy';
import { readClassificationRules } from './classification';
import { readTierGroups, readTierMapping } from './tiers';

/**
 * The operational model as configured: which assignment group is which tier (and the group
 * an escalation to a tier reassigns to), the ticket-type rules and the escalation policy.
 * Invalid values stop start-up with the key at fault named.
 */
export function readOperationalModel(config: RootConfigService) {
  return {
    tierOf: readTierMapping(config),
    groupOf: readTierGroups(config),
    rules: readClassificationRules(config),
    policy: readEscalationPolicy(config),
  };
}
