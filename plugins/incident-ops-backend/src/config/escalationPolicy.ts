import {
  DEFAULT_ESCALATION_POLICY,
  EscalationPolicy,
  PRIORITIES,
  Priority,
} from '@acme/plugin-incident-ops-common';
import { Config } from '@backstage/config';
import { configError, oneOf, readDuration, readPerPriority } from './values';

function priorities(
  config: Config,
  key: string,
  fullKey: string,
  fallback: Priority[],
) {
  return (
    oneOf(config.getOptionalStringArray(key), PRIORITIES, fullKey) ?? fallback
  );
}

function count(config: Config, key: string, fullKey: string): number {
  let n: number | undefined;
  try {
    n = config.getNumber(key);
  } catch (e) {
    return configError(fullKey, (e as Error).message);
  }
  if (!Number.isInteger(n) || n < 2)
    configError(fullKey, 'must be a whole number of at least 2');
  return n;
}

/**
 * The escalation policy and SLA targets from `incidentOps.escalation` and `incidentOps.sla`,
 * each setting defaulting to the operational model's. Durations use Backstage's duration
 * shape (`{ minutes: 30 }` or an ISO 8601 string). An invalid setting stops start-up with
 * its key named.
 */
export function readEscalationPolicy(root: Config): EscalationPolicy {
  const d = DEFAULT_ESCALATION_POLICY;
  const esc = root.getOptionalConfig('incidentOps.escalation');
  const l1 = esc?.getOptionalConfig('l1ToL2');
  const l2 = esc?.getOptionalConfig('l2ToL3');
  const p1 = esc?.getOptionalConfig('p1');
  const prefix = 'incidentOps.escalation';
  const policy: EscalationPolicy = {
    l1ToL2: {
      unresolved: l1
        ? readPerPriority(
            l1,
            'unresolved',
            `${prefix}.l1ToL2`,
            d.l1ToL2.unresolved,
          )
        : d.l1ToL2.unresolved,
      atOnce: l1
        ? priorities(l1, 'atOnce', `${prefix}.l1ToL2.atOnce`, d.l1ToL2.atOnce)
        : d.l1ToL2.atOnce,
      onKbExhausted:
        l1?.getOptionalBoolean('onKbExhausted') ?? d.l1ToL2.onKbExhausted,
    },
    l2ToL3: {
      unresolved: l2
        ? readPerPriority(
            l2,
            'unresolved',
            `${prefix}.l2ToL3`,
            d.l2ToL3.unresolved,
          )
        : d.l2ToL3.unresolved,
      atOnce: l2
        ? priorities(l2, 'atOnce', `${prefix}.l2ToL3.atOnce`, d.l2ToL3.atOnce)
        : d.l2ToL3.atOnce,
      onArchitecturalImpact:
        l2?.getOptionalBoolean('onArchitecturalImpact') ??
        d.l2ToL3.onArchitecturalImpact,
    },
    p1: {
      straightToL3: p1?.getOptionalBoolean('straightToL3') ?? d.p1.straightToL3,
      alertManagement:
        p1?.getOptionalBoolean('alertManagement') ?? d.p1.alertManagement,
    },
    anyTier: {
      onSlaBreach:
        esc?.getOptionalBoolean('anyTier.onSlaBreach') ?? d.anyTier.onSlaBreach,
    },
    recurringP2: {
      count: esc?.has('recurringP2.count')
        ? count(esc, 'recurringP2.count', `${prefix}.recurringP2.count`)
        : d.recurringP2.count,
      window: esc?.has('recurringP2.window')
        ? readDuration(
            esc.getConfig('recurringP2'),
            'window',
            `${prefix}.recurringP2.window`,
          )
        : d.recurringP2.window,
    },
    sla: { ...d.sla },
  };
  const sla = root.getOptionalConfig('incidentOps.sla');
  for (const p of sla?.keys() ?? []) {
    oneOf([p], PRIORITIES, 'incidentOps.sla');
    const target = sla!.getConfig(p);
    const base = d.sla[p as Priority];
    policy.sla[p as Priority] = {
      respond: target.has('respond')
        ? readDuration(target, 'respond', `incidentOps.sla.${p}.respond`)
        : base.respond,
      resolve: target.has('resolve')
        ? readDuration(target, 'resolve', `incidentOps.sla.${p}.resolve`)
        : base.resolve,
    };
    if (policy.sla[p as Priority].respond > policy.sla[p as Priority].resolve) {
      configError(
        `incidentOps.sla.${p}`,
        'respond must not be longer than resolve',
      );
    }
  }
  return policy;
}
