import type {
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type {
  IncidentProvider,
  IncidentProviderConnection,
  IncidentWriteBack,
  QuarantinedRecord,
} from '@acme/plugin-incident-ops-node';
import { writeBackToServiceNow } from './writeBack';
import { createHash } from 'crypto';
import type { ServiceNowConfig } from '../config';
import { ServiceNowClient, ServiceNowRecord } from '../client/ServiceNowClient';
import {
  INCIDENT_FIELDS,
  KB_FIELDS,
  MappingError,
  formatServiceNowDate,
  mapIncident,
  mapKnowledgeArticle,
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

  async writeBack(change: IncidentWriteBack) {
    return writeBackToServiceNow(this.options.client, change);
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

  /**
   * One sync run: every incident, then every knowledge article, changed in the window,
   * keyset-paged by sys_id.
   */
  async sync(): Promise<{
    fetched: number;
    stored: number;
    quarantined: number;
  }> {
    const connection = this.connection;
    if (!connection) throw new Error('ServiceNow provider is not connected');
    const { config, logger } = this.options;
    const now = this.options.now ?? (() => new Date());
    const startedAt = now();
    const totals = { fetched: 0, stored: 0, quarantined: 0 };

    try {
      const cursors = parseCursors(await connection.getCursor());
      const incidents = await this.readTable(
        {
          table: 'incident',
          fields: INCIDENT_FIELDS,
          query: config.query,
          map: record => mapIncident(record, config.baseUrl),
          apply: async items => (await connection.applyIncidents(items)).stored,
        },
        cursors,
        totals,
      );
      const articles = { fetched: 0, stored: 0, quarantined: 0 };
      await this.readTable(
        {
          table: 'kb_knowledge',
          fields: KB_FIELDS,
          map: record => mapKnowledgeArticle(record, config.baseUrl),
          apply: async items =>
            (
              await connection.applyKnowledgeArticles(items)
            ).stored,
        },
        cursors,
        articles,
      );
      await connection.reportSync({
        startedAt,
        finishedAt: now(),
        ...totals,
        windowEnd: parseServiceNowWindowEnd(incidents.windowEnd),
      });
      logger.info(
        `ServiceNow sync: incidents fetched ${totals.fetched}, stored ${totals.stored}, quarantined ${totals.quarantined}; knowledge articles fetched ${articles.fetched}, stored ${articles.stored}, quarantined ${articles.quarantined}`,
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

  /**
   * Reads one table's window `[from, to)` of sys_updated_on, keyset-paged by sys_id, saving
   * the cursor after every page so a restart resumes where it stopped. Records that do not
   * map are quarantined; the rest are applied.
   */
  private async readTable<T>(
    spec: {
      table: string;
      fields: string[];
      query?: string;
      map: (record: ServiceNowRecord) => T;
      apply: (items: T[]) => Promise<number>;
    },
    cursors: Cursors,
    totals: { fetched: number; stored: number; quarantined: number },
  ): Promise<{ windowEnd: string }> {
    const connection = this.connection!;
    const { config, client, logger } = this.options;
    const now = this.options.now ?? (() => new Date());
    const saved = cursors[spec.table] ?? {};
    // An unfinished window is resumed where it stopped; otherwise a new one starts
    // where the last one ended.
    const cursor: Cursor =
      saved.to && saved.lastId
        ? { ...saved }
        : {
            from: saved.to ?? saved.from,
            to: formatServiceNowDate(
              new Date(
                now().getTime() - (this.options.lagMs ?? DEFAULT_LAG_MS),
              ),
            ),
          };
    const save = async (c: Cursor) => {
      cursors[spec.table] = c;
      await connection.setCursor(JSON.stringify(cursors));
    };

    for (;;) {
      const query = [
        spec.query,
        cursor.from && `sys_updated_on>=${cursor.from}`,
        `sys_updated_on<${cursor.to}`,
        cursor.lastId && `sys_id>${cursor.lastId}`,
        'ORDERBYsys_id',
      ]
        .filter(Boolean)
        .join('^');
      const { records } = await client.listPage(spec.table, {
        sysparm_query: query,
        sysparm_limit: String(config.pageSize),
        sysparm_fields: spec.fields.join(','),
        sysparm_display_value: 'all',
        sysparm_exclude_reference_link: 'true',
        sysparm_no_count: 'true',
      });
      // A short page is not the end (the limit applies before ACLs): only an empty one is.
      if (records.length === 0) break;

      const good: T[] = [];
      const bad: QuarantinedRecord[] = [];
      let maxId = cursor.lastId ?? '';
      for (const record of records) {
        const sysId = rawValue(record.sys_id);
        if (sysId > maxId) maxId = sysId;
        try {
          good.push(spec.map(record));
        } catch (e) {
          if (!(e instanceof MappingError)) throw e;
          const number = rawValue(record.number) || undefined;
          bad.push({
            key:
              sysId ||
              number ||
              createHash('sha256').update(JSON.stringify(record)).digest('hex'),
            number,
            reason: `${spec.table}: ${e.message}`,
            payload: record,
          });
          logger.warn(
            `Quarantined ServiceNow ${spec.table} ${
              number ?? (sysId || '(no sys_id)')
            }: ${e.message}`,
          );
        }
      }
      totals.fetched += records.length;
      totals.quarantined += bad.length;
      if (bad.length > 0) await connection.quarantine(bad);
      totals.stored += await spec.apply(good);
      if (maxId === (cursor.lastId ?? '')) break; // no sys_id to page past
      cursor.lastId = maxId;
      await save(cursor);
    }

    // The window is complete: the next run starts at its end.
    await save({ to: cursor.to });
    return { windowEnd: cursor.to! };
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

/** One cursor per table. A cursor saved before there were several is the incident one. */
type Cursors = Record<string, Cursor>;

function parseCursors(text?: string): Cursors {
  if (!text) return {};
  try {
    const c = JSON.parse(text);
    if (typeof c !== 'object' || !c) return {};
    return 'to' in c || 'from' in c ? { incident: c } : c;
  } catch {
    return {};
  }
}
