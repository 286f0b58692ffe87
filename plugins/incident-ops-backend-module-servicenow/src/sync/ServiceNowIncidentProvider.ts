import type {
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type {
  IncidentProvider,
  IncidentProviderConnection,
  QuarantinedRecord,
} from '@acme/plugin-incident-ops-node';
import { createHash } from 'crypto';
import type { SourceIncident } from '@acme/plugin-incident-ops-common';
import type { ServiceNowConfig } from '../config';
import { ServiceNowClient } from '../client/ServiceNowClient';
import {
  INCIDENT_FIELDS,
  MappingError,
  formatServiceNowDate,
  mapIncident,
} from './mapping';

/**
 * Where the sync stands, kept through the connection after every page so a restart
 * resumes: the window `[from, to)` of sys_updated_on being read, and the last sys_id done in
 * it. `from` absent means the first, full backfill.
 */
interface Cursor {
  from?: string;
  to?: string;
  lastId?: string;
}

const SYNC_TASK = 'incident-ops-servicenow-sync';
const RECONCILE_TASK = 'incident-ops-servicenow-reconcile';

/** sys_updated_on has one-second precision and commits land late: read up to now - lag. */
const DEFAULT_LAG_MS = 60_000;

export class ServiceNowIncidentProvider implements IncidentProvider {
  private connection?: IncidentProviderConnection;

  constructor(
    private readonly options: {
      config: ServiceNowConfig;
      client: ServiceNowClient;
      logger: LoggerService;
      scheduler?: SchedulerService;
      now?: () => Date;
      /** How far behind now each window ends. Default 60 s. */
      lagMs?: number;
    },
  ) {}

  getProviderName() {
    return 'servicenow';
  }

  async connect(connection: IncidentProviderConnection) {
    this.connection = connection;
    const { scheduler, config } = this.options;
    await scheduler?.scheduleTask({
      id: SYNC_TASK,
      ...config.schedule,
      fn: async () => {
        await this.sync();
      },
    });
    await scheduler?.scheduleTask({
      id: RECONCILE_TASK,
      ...config.reconcileSchedule,
      fn: async () => {
        await this.reconcile();
      },
    });
  }

  async triggerSync() {
    if (!this.options.scheduler) throw new Error('No scheduler');
    await this.options.scheduler.triggerTask(SYNC_TASK);
  }

  /**
   * Finds incidents deleted in ServiceNow (or moved out of the configured query's scope):
   * lists every sys_id in scope, and has the plugin mark the stored ones that are missing.
   * Only a complete listing is used; a failure part-way changes nothing.
   */
  async reconcile(): Promise<{ present: number; removed: number }> {
    const connection = this.connection;
    if (!connection) throw new Error('ServiceNow provider is not connected');
    const { config, client, logger } = this.options;
    const ids: string[] = [];
    let lastId = '';
    for (;;) {
      const query = [
        config.query,
        lastId && `sys_id>${lastId}`,
        'ORDERBYsys_id',
      ]
        .filter(Boolean)
        .join('^');
      const { records } = await client.listPage('incident', {
        sysparm_query: query,
        sysparm_fields: 'sys_id',
        sysparm_limit: '10000',
        sysparm_no_count: 'true',
        sysparm_exclude_reference_link: 'true',
      });
      const page = records.map(r => rawValue(r.sys_id)).filter(Boolean);
      if (page.length === 0) break;
      ids.push(...page);
      const max = page.reduce((a, b) => (b > a ? b : a), lastId);
      if (max === lastId) break;
      lastId = max;
    }
    const result = await connection.reconcile(ids);
    logger.info(
      `ServiceNow reconciliation: ${ids.length} incidents in scope, ${result.removed} marked removed, ${result.restored} restored`,
    );
    return { present: ids.length, removed: result.removed };
  }

  /** One sync run: every incident changed in the window, keyset-paged by sys_id. */
  async sync(): Promise<{
    fetched: number;
    stored: number;
    quarantined: number;
  }> {
    const connection = this.connection;
    if (!connection) throw new Error('ServiceNow provider is not connected');
    const { config, client, logger } = this.options;
    const now = this.options.now ?? (() => new Date());
    const startedAt = now();
    const totals = { fetched: 0, stored: 0, quarantined: 0 };

    try {
      const saved = parseCursor(await connection.getCursor());
      // An unfinished window is resumed where it stopped; otherwise a new one starts
      // where the last one ended.
      const cursor: Cursor =
        saved.to && saved.lastId
          ? saved
          : {
              from: saved.to ?? saved.from,
              to: formatServiceNowDate(
                new Date(
                  now().getTime() - (this.options.lagMs ?? DEFAULT_LAG_MS),
                ),
              ),
            };

      for (;;) {
        const query = [
          config.query,
          cursor.from && `sys_updated_on>=${cursor.from}`,
          `sys_updated_on<${cursor.to}`,
          cursor.lastId && `sys_id>${cursor.lastId}`,
          'ORDERBYsys_id',
        ]
          .filter(Boolean)
          .join('^');
        const { records } = await client.listPage('incident', {
          sysparm_query: query,
          sysparm_limit: String(config.pageSize),
          sysparm_fields: INCIDENT_FIELDS.join(','),
          sysparm_display_value: 'all',
          sysparm_exclude_reference_link: 'true',
          sysparm_no_count: 'true',
        });
        // A short page is not the end (the limit applies before ACLs): only an empty one is.
        if (records.length === 0) break;

        const good: SourceIncident[] = [];
        const bad: QuarantinedRecord[] = [];
        let maxId = cursor.lastId ?? '';
        for (const record of records) {
          const sysId = rawValue(record.sys_id);
          if (sysId > maxId) maxId = sysId;
          try {
            good.push(mapIncident(record, config.baseUrl));
          } catch (e) {
            if (!(e instanceof MappingError)) throw e;
            const number = rawValue(record.number) || undefined;
            bad.push({
              key:
                sysId ||
                number ||
                createHash('sha256')
                  .update(JSON.stringify(record))
                  .digest('hex'),
              number,
              reason: e.message,
              payload: record,
            });
            logger.warn(
              `Quarantined ServiceNow incident ${
                number ?? (sysId || '(no sys_id)')
              }: ${e.message}`,
            );
          }
        }
        totals.fetched += records.length;
        totals.quarantined += bad.length;
        if (bad.length > 0) await connection.quarantine(bad);
        const result = await connection.applyIncidents(good);
        totals.stored += result.stored;
        if (maxId === (cursor.lastId ?? '')) break; // no sys_id to page past
        cursor.lastId = maxId;
        await connection.setCursor(JSON.stringify(cursor));
      }

      // The window is complete: the next run starts at its end.
      await connection.setCursor(JSON.stringify({ to: cursor.to }));
      await connection.reportSync({
        startedAt,
        finishedAt: now(),
        ...totals,
        windowEnd: parseServiceNowWindowEnd(cursor.to!),
      });
      logger.info(
        `ServiceNow sync: fetched ${totals.fetched}, stored ${totals.stored}, quarantined ${totals.quarantined}`,
      );
      return totals;
    } catch (e) {
      const error = `${(e as Error).name}: ${(e as Error).message}`;
      logger.error(`ServiceNow sync failed: ${error}`);
      await connection.reportSync({
        startedAt,
        finishedAt: now(),
        ...totals,
        error,
      });
      throw e;
    }
  }
}

function rawValue(v: unknown): string {
  if (v && typeof v === 'object') {
    return String((v as { value?: unknown }).value ?? '');
  }
  return typeof v === 'string' ? v : '';
}

function parseServiceNowWindowEnd(text: string): Date {
  return new Date(`${text.replace(' ', 'T')}Z`);
}

function parseCursor(text?: string): Cursor {
  if (!text) return {};
  try {
    const c = JSON.parse(text);
    return typeof c === 'object' && c ? c : {};
  } catch {
    return {};
  }
}
