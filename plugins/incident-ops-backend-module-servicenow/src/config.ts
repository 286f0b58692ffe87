import {
  SchedulerServiceTaskScheduleDefinition,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';

/** How the client authenticates. @public */
export type ServiceNowAuth =
  | { type: 'basic'; username: string; password: string }
  | {
      type: 'oauth';
      grantType: 'password' | 'client_credentials';
      clientId: string;
      clientSecret: string;
      username?: string;
      password?: string;
    };

/** @public */
export interface ServiceNowConfig {
  baseUrl: string;
  auth: ServiceNowAuth;
  query?: string;
  pageSize: number;
  schedule: SchedulerServiceTaskScheduleDefinition;
  reconcileSchedule: SchedulerServiceTaskScheduleDefinition;
  /** How long one sync run reads before it saves its place and stops. */
  runBudgetMs: number;
  reconcile: {
    /** The largest share of the stored incidents one reconciliation may mark removed. */
    maxRemovalShare: number;
  };
  /** Incidents reported in Backstage. */
  reporting?: {
    /** The caller (sys_id or user_name) for reporters without a ServiceNow user. */
    caller?: string;
  };
}

const KEY = 'incidentOps.servicenow';

function fail(key: string, why: string): never {
  throw new Error(`Invalid config at ${KEY}.${key}: ${why}`);
}

/**
 * Reads `incidentOps.servicenow`; undefined when the section is absent. Every missing or
 * invalid setting throws an error that names its key, so the backend fails at start-up.
 * @public
 */
export function readServiceNowConfig(
  root: Config,
): ServiceNowConfig | undefined {
  const config = root.getOptionalConfig(KEY);
  if (!config) return undefined;

  const baseUrl = config.getString('baseUrl').replace(/\/+$/, '');
  try {
    const url = new URL(baseUrl);
    if (!['http:', 'https:'].includes(url.protocol)) throw new Error();
  } catch {
    fail('baseUrl', `'${baseUrl}' is not an http(s) URL`);
  }

  const authConfig = config.getConfig('auth');
  const type = authConfig.getString('type');
  let auth: ServiceNowAuth;
  if (type === 'basic') {
    auth = {
      type,
      username: authConfig.getString('username'),
      password: authConfig.getString('password'),
    };
  } else if (type === 'oauth') {
    const grantType = authConfig.getString('grantType');
    if (grantType !== 'password' && grantType !== 'client_credentials') {
      fail(
        'auth.grantType',
        `'${grantType}' is not one of password, client_credentials`,
      );
    }
    auth = {
      type,
      grantType,
      clientId: authConfig.getString('clientId'),
      clientSecret: authConfig.getString('clientSecret'),
      username:
        grantType === 'password' ? authConfig.getString('username') : undefined,
      password:
        grantType === 'password' ? authConfig.getString('password') : undefined,
    };
  } else {
    fail('auth.type', `'${type}' is not one of basic, oauth`);
  }

  const pageSize = config.getOptionalNumber('pageSize') ?? 500;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 10000) {
    fail('pageSize', `${pageSize} is not a whole number from 1 to 10000`);
  }

  // Short runs that resume where the last one stopped, one replica at a time through a
  // 30-second lease: a replica killed mid-run is taken over within a lease and a tick.
  const schedule = config.has('schedule')
    ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
        config.getConfig('schedule'),
      )
    : {
        frequency: { seconds: 15 },
        timeout: { seconds: 30 },
        initialDelay: { seconds: 10 },
      };

  const reconcileSchedule = config.has('reconcileSchedule')
    ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
        config.getConfig('reconcileSchedule'),
      )
    : {
        frequency: { hours: 1 },
        timeout: { minutes: 10 },
        initialDelay: { minutes: 5 },
      };

  const runBudgetSeconds = config.getOptionalNumber('runBudgetSeconds') ?? 20;
  if (!(runBudgetSeconds > 0 && runBudgetSeconds <= 3600)) {
    fail('runBudgetSeconds', `${runBudgetSeconds} is not from 1 to 3600`);
  }

  const maxRemovalShare =
    config.getOptionalNumber('reconcile.maxRemovalShare') ?? 0.2;
  if (!(maxRemovalShare >= 0 && maxRemovalShare <= 1)) {
    fail('reconcile.maxRemovalShare', `${maxRemovalShare} is not from 0 to 1`);
  }

  return {
    baseUrl,
    auth,
    query: config.getOptionalString('query'),
    pageSize,
    schedule,
    reconcileSchedule,
    runBudgetMs: runBudgetSeconds * 1000,
    reconcile: { maxRemovalShare },
    reporting: {
      caller: config.getOptionalString('reporting.caller')?.trim() || undefined,
    },
  };
}
