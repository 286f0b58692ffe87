import { mockServices } from '@backstage/backend-test-utils';
import {
  RunningSimulator,
  Simulator,
  createSimulator,
  seedIds,
} from '@acme/servicenow-simulator';
import type { NewIncident } from '@acme/plugin-incident-ops-node';
import {
  ServiceNowClient,
  ServiceNowUncertainWriteError,
  ServiceNowUnavailableError,
} from '../client/ServiceNowClient';
import { createIncidentInServiceNow } from './createIncident';

describe('createIncidentInServiceNow against the simulator', () => {
  const clock = new Date('2026-12-07T09:00:00Z');
  let sim: Simulator;
  let running: RunningSimulator;
  let client: ServiceNowClient;
  /** Requests sent, as "METHOD table". */
  let sent: string[];
  /** Replaces a response before the client sees it (a lost or refused answer). */
  let intercept:
    | ((init: RequestInit, url: URL) => Promise<Response | undefined>)
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
        return (await intercept?.(init!, url)) ?? fetch(input, init);
      },
    });
  });

  afterEach(async () => {
    await running.close();
  });

  const key = '5b7a3c1e-2d4f-4a6b-8c9d-0e1f2a3b4c5d';
  const report = (over: Partial<NewIncident> = {}): NewIncident => ({
    key,
    shortDescription: 'NFS mounts time out on livelink-prod',
    description: 'document-archive pods cannot reach nas-prd-03 (TCP 2049)',
    impact: '1',
    urgency: '2',
    category: 'network',
    subcategory: 'egress',
    configurationItem: 'abrc1l:livelink-prod',
    assignmentGroup: 'Atlas-L2-Platform',
    requestedBy: {
      id: seedIds.user('priya.raman'),
      name: 'Priya Raman',
      email: 'priya.raman@acme.com',
      entityRef: 'user:default/priya.raman',
    },
    ...over,
  });
  const options = () => ({ baseUrl: running.url, settleMs: 0 });
  const withKey = () =>
    sim.store.list('incident').filter(r => r.correlation_id === key);

  it('creates the record with the key in correlation_id and the references resolved', async () => {
    const result = await createIncidentInServiceNow(
      client,
      report(),
      options(),
    );
    expect(result.outcome).toBe('created');
    const [record] = withKey();
    expect(record).toMatchObject({
      short_description: 'NFS mounts time out on livelink-prod',
      description: 'document-archive pods cannot reach nas-prd-03 (TCP 2049)',
      impact: '1',
      urgency: '2',
      priority: '2',
      category: 'network',
      subcategory: 'egress',
      caller_id: seedIds.user('priya.raman'),
      cmdb_ci: seedIds.ci('abrc1l:livelink-prod'),
      assignment_group: seedIds.group('L2'),
    });
    if (result.outcome === 'refused') throw new Error(result.reason);
    expect(result.incident).toMatchObject({
      id: record.sys_id,
      number: record.number,
      priority: 'P2',
      status: 'unassigned',
      configurationItem: { name: 'abrc1l:livelink-prod' },
      assignmentGroup: { name: 'Atlas-L2-Platform' },
    });
    // looked for the key before creating
    expect(sent.indexOf('GET incident')).toBeLessThan(
      sent.indexOf('POST incident'),
    );
  });

  it('a second call with the same key finds the record and creates none', async () => {
    const first = await createIncidentInServiceNow(client, report(), options());
    sent = [];
    const again = await createIncidentInServiceNow(client, report(), options());
    expect(again.outcome).toBe('found');
    expect(withKey()).toHaveLength(1);
    expect(sent).not.toContain('POST incident');
    if (first.outcome === 'refused' || again.outcome === 'refused') {
      throw new Error('refused');
    }
    expect(again.incident.number).toBe(first.incident.number);
  });

  it('a POST whose answer is lost (502 after ServiceNow created it) is found, not sent again', async () => {
    sim.faults.lostReplyRate = 1;
    const result = await createIncidentInServiceNow(
      client,
      report(),
      options(),
    );
    sim.faults.lostReplyRate = 0;
    expect(result.outcome).toBe('found');
    expect(withKey()).toHaveLength(1);
    expect(sent.filter(s => s === 'POST incident')).toHaveLength(1);
  });

  it('a lost answer whose record is not there yet is thrown, and the retry finds it', async () => {
    // ServiceNow answered 504 but had created it; the look right after does not see it yet
    let hidden = true;
    intercept = async (init, url) => {
      if (init.method === 'POST') {
        await fetch(url, init);
        return new Response('gateway timeout', { status: 504 });
      }
      if (hidden && url.searchParams.get('sysparm_query')?.includes(key)) {
        return Response.json({ result: [] });
      }
      return undefined;
    };
    await expect(
      createIncidentInServiceNow(client, report(), options()),
    ).rejects.toBeInstanceOf(ServiceNowUncertainWriteError);
    hidden = false;
    const retried = await createIncidentInServiceNow(
      client,
      report(),
      options(),
    );
    expect(retried.outcome).toBe('found');
    expect(withKey()).toHaveLength(1);
  });

  it('without a ServiceNow user: the configured caller, the reporter in the description', async () => {
    await createIncidentInServiceNow(
      client,
      report({
        requestedBy: {
          name: 'Jonas Weber',
          email: 'jonas.weber@acme.com',
          entityRef: 'user:default/jonas.weber',
        },
      }),
      { ...options(), caller: 'incident-ops' },
    );
    const [record] = withKey();
    expect(record.caller_id).toBe(seedIds.user('incident-ops'));
    expect(record.description).toContain(
      'Reported in Backstage by Jonas Weber <jonas.weber@acme.com> (user:default/jonas.weber).',
    );
  });

  it('names a CI or group ServiceNow does not know in the description, and files it without', async () => {
    await createIncidentInServiceNow(
      client,
      report({ configurationItem: 'nowhere:ns', assignmentGroup: 'Nobody' }),
      options(),
    );
    const [record] = withKey();
    expect(record.cmdb_ci).toBe('');
    expect(record.assignment_group).toBe('');
    expect(record.description).toContain(
      'Affected CI: nowhere:ns (not found in the CMDB).',
    );
    expect(record.description).toContain(
      'Assignment group Nobody was not found',
    );
  });

  it('a refusal is returned with ServiceNow’s reason; nothing is created', async () => {
    intercept = async init =>
      init.method === 'POST'
        ? Response.json(
            {
              error: {
                message: 'Operation Failed',
                detail: 'Data Policy Exception: Caller is mandatory',
              },
              status: 'failure',
            },
            { status: 400 },
          )
        : undefined;
    const result = await createIncidentInServiceNow(
      client,
      report(),
      options(),
    );
    expect(result).toEqual({
      outcome: 'refused',
      reason:
        'ServiceNow refused to create the incident (400): Operation Failed (Data Policy Exception: Caller is mandatory)',
    });
  });

  it('ServiceNow down: throws, to be retried', async () => {
    await running.close();
    await expect(
      createIncidentInServiceNow(client, report(), options()),
    ).rejects.toBeInstanceOf(ServiceNowUnavailableError);
    running = await sim.listen(0);
  });
});
