import type {
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type {
  ApplyIncidentsResult,
  IncidentProvider,
  IncidentProviderConnection,
  IncidentWriteBack,
  NewIncident,
  QuarantinedRecord,
} from '@acme/plugin-incident-ops-node';
import { writeBackToServiceNow } from './writeBack';
import { createIncidentInServiceNow } from './createIncident';
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
 * Where the sync stands, kept through the connection after every page so the next run (or
 * a restart) resumes: the window `[from, to)` of sys_updated_on being read, and the last sys_id done in
 * it. `from` absent means the first, full backfill.
 */
interface Cursor {
  from?: string;
  to?: string;
  lastId?: string;
  /** Where the next window starts when that is before `to`: ServiceNow's clock was behind. */
  next?: string;
}

const SYNC_TASK = 'incident-ops-servicenow-sync';
const RECONCILE_TASK = 'incident-ops-servicenow-reconcile';

/**
 * sys_updated_on has one-second precision and commits land late: windows end this far
 * behind ServiceNow's own clock (its Date header), which also absorbs skew between its
 * nodes and the header's one-second precision.
 */
const DEFAULT_LAG_MS = 60_000;

/** How long a replica's hold on the sync (or reconciliation) lasts unless renewed. */
const LEASE_MS = 30_000;

type Totals = { fetched: number; stored: number; quarantined: number };

/** @public */
export class ServiceNowIncidentProvider implements IncidentProvider {
  private connection?: IncidentProviderConnection;
  /** ServiceNow's clock minus this host's, from the last answer's Date header. */
  private clockOffsetMs?: number;

  constructor(
    private readonly options: {
      config: ServiceNowConfig;
      client: ServiceNowClient;
      logger: LoggerService;
      scheduler?: SchedulerService;
      now?: () => Date;
      /** How far behind ServiceNow's clock each window ends. Default 60 s. */
      lagMs?: number;
    },
  ) {}

  getProviderName() {
    return 'servicenow';
  }

  async connect(connection: IncidentProviderConnection) {
    this.connection = connection;
    const { scheduler, config } = this.options;
    // Every replica ticks; the one holding the lease in the plugin's tables runs. A replica
    // killed mid-run holds it for LEASE_MS at most, where the scheduler's own lock would
    // last until the task's timeout and the next janitor pass, a minute apart.
    await scheduler?.scheduleTask({
      id: SYNC_TASK,
      ...config.schedule,
      scope: 'local',
      fn: async signal => {
        await this.leased('sync', signal, s => this.sync({ signal: s }));
      },
    });
    await scheduler?.scheduleTask({
      id: RECONCILE_TASK,
      ...config.reconcileSchedule,
      scope: 'local',
      fn: async signal => {
        // kept until it is due again, so the other replicas' ticks do not repeat it
        await this.leased(
          'reconcile',
          signal,
          s => this.reconcile({ signal: s }),
          durationMs(config.reconcileSchedule.frequency),
        );
      },
    });
  }

  /**
   * Runs `work` while holding the lease on `task`, renewed every third of LEASE_MS; skips
   * it while another replica holds the lease, and stops it (through its signal) if the
   * lease is lost. Afterwards the lease is given up, or, when `work` succeeded and
   * `holdMs` is given, kept that long.
   */
  private async leased(
    task: string,
    signal: AbortSignal,
    work: (signal: AbortSignal) => Promise<unknown>,
    holdMs?: number,
  ) {
    const connection = this.connection!;
    if (!connection.lease) {
      await work(signal);
      return;
    }
    if (!(await connection.lease(task, LEASE_MS))) return;
    const lost = new AbortController();
    const stop = () => lost.abort();
    signal.addEventListener('abort', stop);
    let renewing: Promise<void> = Promise.resolve();
    const renew = setInterval(() => {
      renewing = connection.lease!(task, LEASE_MS).then(
        held => {
          if (held) return;
          this.options.logger.warn(
            `ServiceNow ${task}: lease lost to another replica; stopping this run`,
          );
          lost.abort();
        },
        () => lost.abort(),
      );
    }, LEASE_MS / 3);
    let done = false;
    try {
      await work(lost.signal);
      done = true;
    } finally {
      clearInterval(renew);
      signal.removeEventListener('abort', stop);
      await renewing;
      if (done && holdMs) await connection.lease(task, holdMs);
      else await connection.releaseLease?.(task);
    }
  }

  async writeBack(change: IncidentWriteBack) {
    return writeBackToServiceNow(this.options.client, change);
  }

  /** Creates a reported incident once per key (see createIncident.ts). */
  async createIncident(incident: NewIncident) {
    const { config, client } = this.options;
    return createIncidentInServiceNow(client, incident, {
      baseUrl: config.baseUrl,
      caller: config.reporting?.caller,
    });
  }

  async triggerSync() {
    if (!this.options.scheduler) throw new Error('No scheduler');
    await this.options.scheduler.triggerTask(SYNC_TASK);
  }

  private now() {
    return (this.options.now ?? (() => new Date()))();
  }

  /** When a run that starts now must stop: its budget used, or its task aborted. */
  private stopper(signal?: AbortSignal) {
    const deadline = this.now().getTime() + this.options.config.runBudgetMs;
    return () => !!signal?.aborted || this.now().getTime() >= deadline;
  }

  /** One page, learning ServiceNow's clock from the answer. */
  private async listPage(table: string, params: Record<string, string>) {
    const page = await this.options.client.listPage(table, params);
    if (page.serverDate) {
      this.clockOffsetMs = page.serverDate.getTime() - this.now().getTime();
    }
    return page;
  }

  /**
   * Where a new window ends: ServiceNow's clock (learnt from its Date headers; this host's
   * until the first answer) minus the lag.
   */
  private windowEnd(): string {
    const clock = this.now().getTime() + (this.clockOffsetMs ?? 0);
    return formatServiceNowDate(
      new Date(clock - (this.options.lagMs ?? DEFAULT_LAG_MS)),
    );
  }

  /**
   * Finds incidents deleted in ServiceNow (or moved out of the configured query's scope):
   * lists every sys_id in scope, and has the plugin mark the stored ones that are missing.
   * Only a complete listing is used: a failure part-way, or a listing that does not finish
   * before the task's timeout, changes nothing. The plugin refuses to remove more than
   * `reconcile.maxRemovalShare` of the stored incidents at once, and says why.
   */
  async reconcile(options: { signal?: AbortSignal } = {}): Promise<{
    present: number;
    removed: number;
    refused?: string;
  }> {
    const connection = this.connection;
    if (!connection) throw new Error('ServiceNow provider is not connected');
    const { config, logger } = this.options;
    const ids: string[] = [];
    let lastId = '';
    for (;;) {
      // the listing is all or nothing: it runs until its task's timeout (held by its
      // lease, not the scheduler's lock, so a killed replica does not block it for long)
      if (options.signal?.aborted) {
        logger.warn(
          `ServiceNow reconciliation stopped after listing ${ids.length} incidents, at its task's timeout; nothing was changed`,
        );
        return { present: ids.length, removed: 0 };
      }
      const query = [
        config.query,
        lastId && `sys_id>${lastId}`,
        'ORDERBYsys_id',
      ]
        .filter(Boolean)
        .join('^');
      const { records } = await this.listPage('incident', {
        sysparm_query: query,
        sysparm_fields: 'sys_id',
        sysparm_limit: '10000',
        sysparm_no_count: 'true',
        sysparm_exclude_reference_link: 'true',
      });
      const page = records.map(r => rawValue(r?.sys_id)).filter(Boolean);
      if (page.length === 0) break;
      ids.push(...page);
      const max = page.reduce((a, b) => (b > a ? b : a), lastId);
      if (max === lastId) break;
      lastId = max;
    }
    const result = await connection.reconcile(ids, {
      maxRemovalShare: config.reconcile.maxRemovalShare,
    });
    if (result.refused) {
      logger.warn(`ServiceNow reconciliation refused: ${result.refused}`);
    } else {
      logger.info(
        `ServiceNow reconciliation: ${ids.length} incidents in scope, ${result.removed} marked removed, ${result.restored} restored`,
      );
    }
    return {
      present: ids.length,
      removed: result.removed,
      ...(result.refused ? { refused: result.refused } : {}),
    };
  }

  /**
   * One sync run, a slice of at most the run budget: incidents changed since the cursor,
   * then, once they are caught up, knowledge articles; keyset-paged by sys_id, with the
   * cursor saved after every page, so the next run continues where this one stopped.
   */
  async sync(options: { signal?: AbortSignal } = {}): Promise<Totals> {
    const connection = this.connection;
    if (!connection) throw new Error('ServiceNow provider is not connected');
    const { config, logger } = this.options;
    const startedAt = this.now();
    const stop = this.stopper(options.signal);
    const totals = { fetched: 0, stored: 0, quarantined: 0 };

    try {
      const cursors = parseCursors(await connection.getCursor());
      const incidents = await this.readTable(
        {
          table: 'incident',
          fields: INCIDENT_FIELDS,
          query: config.query,
          map: record => mapIncident(record, config.baseUrl),
          apply: items => connection.applyIncidents(items),
        },
        cursors,
        totals,
        stop,
      );
      const articles = { fetched: 0, stored: 0, quarantined: 0 };
      if (incidents.windowEnd) {
        await this.readTable(
          {
            table: 'kb_knowledge',
            fields: KB_FIELDS,
            map: record => mapKnowledgeArticle(record, config.baseUrl),
            apply: items => connection.applyKnowledgeArticles(items),
          },
          cursors,
          articles,
          stop,
        );
      }
      await connection.reportSync({
        startedAt,
        finishedAt: this.now(),
        ...totals,
        windowEnd: incidents.windowEnd
          ? parseServiceNowWindowEnd(incidents.windowEnd)
          : undefined,
      });
      logger.info(
        `ServiceNow sync: incidents fetched ${totals.fetched}, stored ${
          totals.stored
        }, quarantined ${totals.quarantined}${
          incidents.windowEnd ? '' : ' (more to read in the next run)'
        }; knowledge articles fetched ${articles.fetched}, stored ${
          articles.stored
        }, quarantined ${articles.quarantined}`,
      );
      return totals;
    } catch (e) {
      const error = `${(e as Error).name}: ${(e as Error).message}`;
      logger.error(`ServiceNow sync failed: ${error}`);
      await connection.reportSync({
        startedAt,
        finishedAt: this.now(),
        ...totals,
        error,
      });
      throw e;
    }
  }

  /**
   * Reads one table's window `[from, to)` of sys_updated_on, keyset-paged by sys_id, saving
   * the cursor after every page so the next run resumes where this one stopped. Records
   * that do not map, whatever the reason, are quarantined; the rest are applied. Returns
   * the window's end once it is complete, nothing when `stop` ended the run first.
   */
  private async readTable<T>(
    spec: {
      table: string;
      fields: string[];
      query?: string;
      map: (record: ServiceNowRecord) => T;
      apply: (items: T[]) => Promise<ApplyIncidentsResult>;
    },
    cursors: Cursors,
    totals: Totals,
    stop: () => boolean,
  ): Promise<{ windowEnd?: string }> {
    const connection = this.connection!;
    const { config } = this.options;
    if (stop()) return {};
    const saved = cursors[spec.table] ?? {};
    const save = async (c: Cursor) => {
      cursors[spec.table] = c;
      await connection.setCursor(JSON.stringify(cursors));
    };
    // An unfinished window is resumed where it stopped; otherwise a new one starts
    // where the last one ended.
    let cursor: Cursor;
    if (saved.to && saved.lastId) {
      cursor = { ...saved };
    } else {
      const from = saved.to ?? saved.from;
      const to = this.windowEnd();
      // ServiceNow's clock has not passed the last window's end yet: nothing to read
      if (from && to <= from) return { windowEnd: from };
      cursor = { from, to };
    }

    for (;;) {
      if (stop()) return {};
      const query = [
        spec.query,
        cursor.from && `sys_updated_on>=${cursor.from}`,
        `sys_updated_on<${cursor.to}`,
        cursor.lastId && `sys_id>${cursor.lastId}`,
        'ORDERBYsys_id',
      ]
        .filter(Boolean)
        .join('^');
      const { records, serverDate } = await this.listPage(spec.table, {
        sysparm_query: query,
        sysparm_limit: String(config.pageSize),
        sysparm_fields: spec.fields.join(','),
        sysparm_display_value: 'all',
        sysparm_exclude_reference_link: 'true',
        sysparm_no_count: 'true',
      });
      if (!cursor.lastId && serverDate) {
        // The first answer of a window tells where ServiceNow's clock was when paging
        // began. A window that ends past it (this host's clock is ahead) may have missed
        // records changed while it paged: the next one starts early enough to read them.
        const safe = formatServiceNowDate(
          new Date(
            serverDate.getTime() - (this.options.lagMs ?? DEFAULT_LAG_MS),
          ),
        );
        if (safe < cursor.to!) cursor.next = safe;
      }
      // A short page is not the end (the limit applies before ACLs): only an empty one is.
      if (records.length === 0) break;

      const good: T[] = [];
      const bad: QuarantinedRecord[] = [];
      let maxId = cursor.lastId ?? '';
      for (const record of records) {
        const sysId = rawValue(record?.sys_id);
        if (sysId > maxId) maxId = sysId;
        try {
          good.push(spec.map(record));
        } catch (e) {
          bad.push(this.quarantined(spec.table, record, e));
        }
      }
      totals.fetched += records.length;
      totals.quarantined += bad.length;
      if (bad.length > 0) await connection.quarantine(bad);
      const applied = await spec.apply(good);
      totals.stored += applied.stored;
      totals.quarantined += applied.quarantined ?? 0;
      if (maxId === (cursor.lastId ?? '')) break; // no sys_id to page past
      cursor.lastId = maxId;
      await save(cursor);
    }

    // The window is complete: the next starts at its end, or earlier (see `next`).
    const end = cursor.next ?? cursor.to!;
    await save({ to: end });
    return { windowEnd: end };
  }

  /** A record that did not map, with why: any error, not only a MappingError. */
  private quarantined(
    table: string,
    record: ServiceNowRecord,
    e: unknown,
  ): QuarantinedRecord {
    const sysId = rawValue(record?.sys_id);
    const number = rawValue(record?.number) || undefined;
    const why =
      e instanceof MappingError
        ? e.message
        : `${(e as Error)?.name ?? 'Error'}: ${(e as Error)?.message ?? e}`;
    this.options.logger.warn(
      `Quarantined ServiceNow ${table} ${
        number ?? (sysId || '(no sys_id)')
      }: ${why}`,
    );
    return {
      key:
        sysId ||
        number ||
        createHash('sha256')
          .update(JSON.stringify(record) ?? String(record))
          .digest('hex'),
      number,
      reason: `${table}: ${why}`,
      payload: record ?? null,
    };
  }
}

/** A schedule's frequency in milliseconds; undefined for a cron or an ISO duration. */
function durationMs(frequency: unknown): number | undefined {
  if (!frequency || typeof frequency !== 'object') return undefined;
  const units: Record<string, number> = {
    milliseconds: 1,
    seconds: 1000,
    minutes: 60_000,
    hours: 3_600_000,
    days: 86_400_000,
    weeks: 604_800_000,
  };
  let ms = 0;
  for (const [unit, n] of Object.entries(frequency)) {
    if (!(unit in units) || typeof n !== 'number') return undefined;
    ms += n * units[unit];
  }
  return ms || undefined;
}

/** A field's database value, whatever shape it came in; '' when it is not text. */
function rawValue(v: unknown): string {
  if (v && typeof v === 'object') {
    const inner = (v as { value?: unknown }).value;
    return typeof inner === 'string' ? inner : '';
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
