import {
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  RunningSimulator,
  Simulator,
  createSimulator,
} from '@acme/servicenow-simulator';
import type { IncidentWriteBack } from '@acme/plugin-incident-ops-node';
import {
  ServiceNowClient,
  ServiceNowUncertainWriteError,
} from '../client/ServiceNowClient';
import { JournalTableAccess } from './journalTable';
import { writeBackToServiceNow } from './writeBack';

const noWait = { sleep: async () => {} };

describe('writeBackToServiceNow against the simulator', () => {
  const clock = new Date('2026-11-25T12:00:00Z');
  let sim: Simulator;
  let running: RunningSimulator;
  let client: ServiceNowClient;
  /** Requests sent, as "METHOD table". */
  let sent: string[];
  /** Replaces a response before the client sees it (a lost or doctored answer). */
  let intercept:
    | ((init: RequestInit, url: URL) => Response | undefined)
    | undefined;

  beforeEach(async () => {
    sim = createSimulator({ now: () => clock, seedAnchor: clock });
    running = await sim.listen(0);
    sent = [];
    intercept = undefined;
    client = new ServiceNowClient({
      baseUrl: running.url,
      auth: { type: 'basic', username: 'admin', password: 'admin' },
      logger: mockServices.logger.mock(),
      sleep: async () => {},
      fetch: async (input, init) => {
        const url = new URL(String(input));
        sent.push(`${init?.method} ${url.pathname.split('/')[4]}`);
        return intercept?.(init!, url) ?? fetch(input, init);
      },
    });
  });

  afterEach(async () => {
    await running.close();
  });

  const openIncident = () =>
    sim.store.list('incident').find(r => r.state === '2')!;

  const changeFor = (
    record = openIncident(),
    rest: Partial<IncidentWriteBack> = {},
  ): IncidentWriteBack => ({
    key: `transition:servicenow:${record.sys_id}:1`,
    id: record.sys_id,
    number: record.number,
    expectedVersion: Number(record.sys_mod_count),
    status: 'awaiting-customer',
    workNote: 'Incident Ops: waiting for the caller',
    ...rest,
  });

  const notesWith = (change: IncidentWriteBack) =>
    sim.store
      .journal(change.id, 'work_notes')
      .filter(j => j.value.includes(`[incident-ops ${change.key}]`));

  const patches = () => sent.filter(s => s.startsWith('PATCH')).length;

  it.each(['502', 'reset'] as const)(
    'sends no second PATCH when the reply is lost (%s) after the write landed',
    async lostReplyAs => {
      const change = changeFor();
      sim.faults.lostReplyRate = 1;
      sim.faults.lostReplyAs = lostReplyAs;
      const result = await writeBackToServiceNow(client, change, noWait);
      expect(result).toEqual({
        outcome: 'written',
        version: change.expectedVersion + 1,
      });
      expect(patches()).toBe(1);
      expect(notesWith(change)).toHaveLength(1);
      expect(sim.store.get('incident', change.id)!.state).toBe('3');
    },
  );

  it('finds an earlier write in the incident journal and sends nothing', async () => {
    const change = changeFor();
    await writeBackToServiceNow(client, change, noWait);
    sent = [];
    // the record is at the version our write made: the base of the incident's next write
    expect(await writeBackToServiceNow(client, change, noWait)).toEqual({
      outcome: 'already-written',
      version: change.expectedVersion + 1,
    });
    expect(sent).toEqual(['GET incident']);
    expect(notesWith(change)).toHaveLength(1);
  });

  it('reads the journal through the incident record, as display value', async () => {
    const change = changeFor();
    let query: URLSearchParams | undefined;
    intercept = (init, url) => {
      if (init.method === 'GET' && url.pathname.endsWith(change.id)) {
        query = url.searchParams;
      }
      return undefined;
    };
    await writeBackToServiceNow(client, change, noWait);
    expect(query?.get('sysparm_fields')).toBe(
      'sys_id,sys_mod_count,work_notes',
    );
    expect(query?.get('sysparm_display_value')).toBe('true');
  });

  it('writes again when a lost write did not land, and only once more', async () => {
    const change = changeFor();
    let lost = 0;
    intercept = init =>
      init.method === 'PATCH' && lost++ === 0
        ? new Response('<h1>502 Bad Gateway</h1>', { status: 502 })
        : undefined;
    expect(await writeBackToServiceNow(client, change, noWait)).toEqual({
      outcome: 'written',
      version: change.expectedVersion + 1,
    });
    expect(patches()).toBe(2);
    expect(notesWith(change)).toHaveLength(1);
  });

  it('gives up as retryable after 3 writes without an answer, none landed', async () => {
    const change = changeFor();
    intercept = init =>
      init.method === 'PATCH'
        ? new Response('<h1>504 Gateway Timeout</h1>', { status: 504 })
        : undefined;
    const settles: number[] = [];
    const error = await writeBackToServiceNow(client, change, {
      sleep: async ms => {
        settles.push(ms);
      },
    }).catch(e => e);
    expect(error).toBeInstanceOf(ServiceNowUncertainWriteError);
    expect(error.message).toMatch(
      new RegExp(`^${change.number}: 3 writes of ${change.key} got no answer`),
    );
    expect(patches()).toBe(3);
    // it waits before each look at the journal after a lost answer
    expect(settles).toEqual([2000, 2000]);
    expect(notesWith(change)).toHaveLength(0);
  });

  it.each(['refused', 'filtered'] as const)(
    'works without sys_journal_field (journal ACL %s): no duplicate on lost replies',
    async journalAcl => {
      sim.faults.journalAcl = journalAcl;
      const change = changeFor();
      sim.faults.lostReplyRate = 1;
      expect(await writeBackToServiceNow(client, change, noWait)).toEqual({
        outcome: 'written',
        version: change.expectedVersion + 1,
      });
      sim.faults.lostReplyRate = 0;
      expect(await writeBackToServiceNow(client, change, noWait)).toEqual({
        outcome: 'already-written',
        version: change.expectedVersion + 1,
      });
      expect(notesWith(change)).toHaveLength(1);
      expect(JournalTableAccess.of(client).readable).toBe(false);

      // and the next change goes through as well
      const other = changeFor(openIncident(), {
        key: 'kb-suggestions:servicenow:z',
        status: undefined,
        workNote: 'Incident Ops suggests these articles',
      });
      expect((await writeBackToServiceNow(client, other, noWait)).outcome).toBe(
        'written',
      );
    },
  );

  it('uses sys_journal_field once proven readable, where the incident journal falls short', async () => {
    const first = changeFor();
    await writeBackToServiceNow(client, first, noWait);
    // the probe read our note back: the table is readable
    expect(JournalTableAccess.of(client).readable).toBe(true);

    // the incident's journal display value shows no note (as if cut short)
    const record = sim.store.get('incident', first.id)!;
    const second = changeFor(record, {
      key: 'kb-suggestions:servicenow:y',
      status: undefined,
      workNote: 'Incident Ops suggests these articles',
    });
    await writeBackToServiceNow(client, second, noWait);
    intercept = (init, url) => {
      if (init.method !== 'GET' || !url.pathname.endsWith(first.id)) {
        return undefined;
      }
      return Response.json({
        result: { sys_id: first.id, sys_mod_count: '9', work_notes: '' },
      });
    };
    sent = [];
    expect(await writeBackToServiceNow(client, second, noWait)).toEqual({
      outcome: 'already-written',
    });
    expect(sent).toEqual(['GET incident', 'GET sys_journal_field']);
    expect(notesWith(second)).toHaveLength(1);
  });

  it("returns a business rule's 400 as refused, with ServiceNow's message and detail", async () => {
    const change = changeFor(openIncident(), { status: 'resolved' });
    expect(await writeBackToServiceNow(client, change, noWait)).toEqual({
      outcome: 'refused',
      reason: `ServiceNow refused to update incident ${change.number} (400): Data Policy Exception: The following fields are mandatory: Resolution code, Resolution notes (Operation against file 'incident' was aborted by Data Policy 'Make close info mandatory when resolved or closed')`,
    });
    expect(patches()).toBe(1);
  });

  it('returns refused credentials (401) as a configuration problem', async () => {
    const change = changeFor();
    sim.faults.authFailure = true;
    const result = await writeBackToServiceNow(client, change, noWait);
    expect(result).toMatchObject({ outcome: 'refused' });
    expect(result.outcome === 'refused' && result.reason).toBe(
      `Configuration: ServiceNow refused to read incident ${change.number} (401). To read records of table incident, the integration user needs the itil role. Check its credentials (incidentOps.servicenow.auth). ServiceNow said: GET /api/now/table/incident/${change.id} was refused with 401: User Not Authenticated (Required to provide Auth information)`,
    );
  });
});

describe('writeBackToServiceNow refused by ACLs', () => {
  const server = setupServer();
  registerMswTestHooks(server);
  const baseUrl = 'https://acme.service-now.test';
  const sysId = '0123456789abcdef0123456789abcdef';
  const recordUrl = `${baseUrl}/api/now/table/incident/${sysId}`;
  const forbidden = () =>
    HttpResponse.json(
      {
        error: {
          message: 'Operation Failed',
          detail: 'ACL Exception Update Failed due to security constraints',
        },
        status: 'failure',
      },
      { status: 403 },
    );
  const client = () =>
    new ServiceNowClient({
      baseUrl,
      auth: { type: 'basic', username: 'svc', password: 'pw' },
      logger: mockServices.logger.mock(),
      sleep: async () => {},
    });
  const change: IncidentWriteBack = {
    key: 'transition:servicenow:x:1',
    id: sysId,
    number: 'INC0010001',
    expectedVersion: 3,
    workNote: 'note',
  };

  beforeEach(() => {
    server.use(
      http.get(recordUrl, () =>
        HttpResponse.json({
          result: { sys_id: sysId, sys_mod_count: '3', work_notes: '' },
        }),
      ),
    );
  });

  it.each([
    ['resolved', 'update', 'itil or sn_incident_write'],
    ['closed', 'close', 'itil_admin or admin'],
  ] as const)(
    'a 403 on setting %s names the table, the operation and the role',
    async (status, verb, roles) => {
      let patches = 0;
      server.use(
        http.patch(recordUrl, () => {
          patches++;
          return forbidden();
        }),
      );
      const result = await writeBackToServiceNow(
        client(),
        {
          ...change,
          status,
          resolution: { code: 'Solution provided', notes: 'n' },
        },
        noWait,
      );
      expect(result).toEqual({
        outcome: 'refused',
        reason: `Configuration: ServiceNow refused to ${verb} incident INC0010001 (403). To ${verb} records of table incident, the integration user needs the ${roles} role. ServiceNow said: PATCH /api/now/table/incident/${sysId} was refused with 403: Operation Failed (ACL Exception Update Failed due to security constraints)`,
      });
      expect(patches).toBe(1);
    },
  );

  it('a 403 from sys_journal_field on the probe never blocks the write', async () => {
    let journalReads = 0;
    server.use(
      http.patch(recordUrl, () =>
        HttpResponse.json({ result: { sys_id: sysId, sys_mod_count: '4' } }),
      ),
      http.get(`${baseUrl}/api/now/table/sys_journal_field`, () => {
        journalReads++;
        return HttpResponse.json(
          {
            error: {
              message: 'User Not Authorized',
              detail: 'User is unauthorized to access table: sys_journal_field',
            },
            status: 'failure',
          },
          { status: 403 },
        );
      }),
    );
    const c = client();
    expect(await writeBackToServiceNow(c, change, noWait)).toEqual({
      outcome: 'written',
      version: 4,
    });
    expect(
      await writeBackToServiceNow(c, { ...change, key: 'k2' }, noWait),
    ).toEqual({ outcome: 'written', version: 4 });
    // refused once: not asked again within the hour
    expect(journalReads).toBe(1);
    expect(JournalTableAccess.of(c).readable).toBe(false);
  });
});
