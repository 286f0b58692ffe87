import { setup } from './__testUtils__/setup';

// ServiceNow's correlation_id is an ordinary field of task: a client keeps an external key
// there, and has to query by it before creating; ServiceNow itself never deduplicates.
describe('correlation_id on incidents', () => {
  const sim = setup();
  // one simulator for the file: each test its own key
  let n = 0;
  let key = '';
  beforeEach(() => {
    n++;
    key = `3f1c2a7e-9b4d-4c1e-8f2a-6d5e4b3a2c1${n}`;
  });

  it('POST stores it, answers 201 with the record, its number and sys_id', async () => {
    const res = await sim.post('/api/now/table/incident', {
      short_description: 'NFS mounts time out on livelink-prod',
      impact: '2',
      urgency: '1',
      correlation_id: key,
      correlation_display: 'Backstage Incident Ops',
    });
    expect(res.status).toBe(201);
    const r = res.body.result;
    expect(r.correlation_id).toBe(key);
    expect(r.correlation_display).toBe('Backstage Incident Ops');
    expect(r.number).toMatch(/^INC\d+$/);
    expect(r.sys_id).toMatch(/^[0-9a-f]{32}$/);
    expect(r.priority).toBe('2');
  });

  it('a second POST with the same correlation_id creates a second record', async () => {
    const body = { short_description: 'twice', correlation_id: key };
    const first = await sim.post('/api/now/table/incident', body);
    const second = await sim.post('/api/now/table/incident', body);
    expect(second.status).toBe(201);
    expect(second.body.result.sys_id).not.toBe(first.body.result.sys_id);
    expect(second.body.result.number).not.toBe(first.body.result.number);
  });

  it('sysparm_query=correlation_id=… finds the records with that key only', async () => {
    const created = await sim.post('/api/now/table/incident', {
      short_description: 'find me',
      correlation_id: key,
    });
    await sim.post('/api/now/table/incident', {
      short_description: 'another key',
      correlation_id: 'a0000000-0000-4000-8000-000000000000',
    });
    const found = await sim.get(
      `/api/now/table/incident?sysparm_query=correlation_id=${key}&sysparm_fields=sys_id,number,correlation_id`,
    );
    expect(found.status).toBe(200);
    expect(found.body.result).toEqual([
      {
        sys_id: created.body.result.sys_id,
        number: created.body.result.number,
        correlation_id: key,
      },
    ]);
    const none = await sim.get(
      '/api/now/table/incident?sysparm_query=correlation_id=b0000000-0000-4000-8000-000000000000',
    );
    expect(none.body.result).toEqual([]);
  });

  it('a POST whose reply is lost was applied: the query by key finds it', async () => {
    sim.faults.lostReplyRate = 1;
    const lost = await sim.post('/api/now/table/incident', {
      short_description: 'the answer is lost',
      correlation_id: key,
    });
    sim.faults.lostReplyRate = 0;
    expect(lost.status).toBe(502);
    const found = await sim.get(
      `/api/now/table/incident?sysparm_query=correlation_id=${key}`,
    );
    expect(found.body.result).toHaveLength(1);
    expect(found.body.result[0].short_description).toBe('the answer is lost');
  });
});
