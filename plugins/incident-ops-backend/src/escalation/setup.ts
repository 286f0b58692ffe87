import type { EscalationPolicy, Tier } from '@acme/plugin-incident-ops-common';
import type { IncidentOpsEnv } from '../env';
import { EscalationEngine } from './EscalationEngine';
import { PolicyBook } from './PolicyBook';

/** The escalation policies in force and the engine that applies them. */
export interface EscalationServices {
  /** The policies by id: the engine and the API read the same book. */
  policies: PolicyBook;
  /** The assignment group an escalation to a tier reassigns to. */
  groupOf: (tier: Tier) => string | undefined;
}

/**
 * Schedules the escalation engine: the incidents whose due time has come, one replica per
 * tick; each decision is recorded once by a unique key, and its write-backs and
 * notifications are asked for at once.
 */
export async function setupEscalation(
  env: IncidentOpsEnv,
  deps: {
    policy: EscalationPolicy;
    groupOf: (tier: Tier) => string | undefined;
  },
): Promise<EscalationServices> {
  const { logger, stores, tasks } = env;
  const policies = new PolicyBook(stores.escalations, deps.policy);
  const engine = new EscalationEngine({
    store: stores.escalations,
    policies,
    groupOf: deps.groupOf,
    logger,
  });
  await tasks.schedule('escalation', async () => {
    const { decisions } = await engine.tick();
    if (decisions > 0) {
      tasks.runSoon('outbox');
      tasks.runSoon('notifications');
    }
  });
  return { policies, groupOf: deps.groupOf };
}
