import {
  ServiceNowAuthError,
  ServiceNowClient,
  ServiceNowRequestError,
} from '../client/ServiceNowClient';

type State = 'unknown' | 'readable' | 'unreadable';

const byClient = new WeakMap<ServiceNowClient, JournalTableAccess>();

/**
 * What is known about reading `sys_journal_field` as the integration user. ServiceNow grants
 * that read with the `audit_viewer` role; without it the read is refused (403) or answered
 * with the rows left out (200, empty), and "no note found" proves nothing. So the table is
 * used only once proven readable: a read that returned a note just written. A refusal or an
 * empty answer only stops its use; it never stops a write-back.
 */
export class JournalTableAccess {
  private state: State = 'unknown';
  private decidedAt = 0;

  constructor(
    /** How long an unreadable verdict holds before the next probe. Default 1 h. */
    private readonly recheckMs = 60 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The one kept for a client (one per ServiceNow instance and user). */
  static of(client: ServiceNowClient): JournalTableAccess {
    let access = byClient.get(client);
    if (!access) {
      access = new JournalTableAccess();
      byClient.set(client, access);
    }
    return access;
  }

  get readable(): boolean {
    return this.state === 'readable';
  }

  /**
   * After a note with `marker` landed on incident `sysId`: reads it back from
   * sys_journal_field (while undecided, and hourly while unreadable). Never throws.
   */
  async probe(client: ServiceNowClient, sysId: string, marker: string) {
    if (this.state === 'readable') return;
    if (
      this.state === 'unreadable' &&
      this.now() - this.decidedAt < this.recheckMs
    ) {
      return;
    }
    try {
      this.decide(
        (await find(client, sysId, marker)) ? 'readable' : 'unreadable',
      );
    } catch (e) {
      if (refused(e)) this.decide('unreadable');
      // anything else leaves it undecided: the next write probes again
    }
  }

  /**
   * Whether sys_journal_field, where proven readable, holds a note with `marker` on incident
   * `sysId`. False where it is not proven readable, or refuses now; transient failures are
   * thrown like any other read's.
   */
  async has(
    client: ServiceNowClient,
    sysId: string,
    marker: string,
  ): Promise<boolean> {
    if (this.state !== 'readable') return false;
    try {
      return await find(client, sysId, marker);
    } catch (e) {
      if (!refused(e)) throw e;
      this.decide('unreadable');
      return false;
    }
  }

  private decide(state: State) {
    this.state = state;
    this.decidedAt = this.now();
  }
}

function refused(e: unknown) {
  return (
    e instanceof ServiceNowAuthError || e instanceof ServiceNowRequestError
  );
}

async function find(
  client: ServiceNowClient,
  sysId: string,
  marker: string,
): Promise<boolean> {
  const { records } = await client.listPage('sys_journal_field', {
    sysparm_query: `element_id=${sysId}^element=work_notes^valueLIKE${marker}`,
    sysparm_fields: 'sys_id',
    sysparm_limit: '1',
  });
  return records.length > 0;
}
