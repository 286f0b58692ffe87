import { setup } from './__testUtils__/setup';

describe('fault injection', () => {
  it('rateLimitEvery: every Nth request gets 429 with Retry-After and X-RateLimit headers', async () => {
    const sim = setup();
    sim.faults.rateLimitEvery = 3;
    sim.faults.retryAfterSeconds = 7;
    const statuses: number[] = [];
    let limited;
    for (let i = 0; i < 6; i++) {
      const res = await sim.get('/api/now/table/sys_user_group');
      statuses.push(res.status);
      expect(res.headers['x-ratelimit-limit']).toBe('100');
      expect(res.headers['x-ratelimit-rule']).toMatch(/^[0-9a-f]{32}$/);
      expect(Number(res.headers['x-ratelimit-reset'])).toBe(
        Math.floor(new Date('2025-03-10T12:00:00Z').getTime() / 1000) + 7,
      );
      if (res.status === 429) limited = res;
    }
    expect(statuses).toEqual([200, 200, 429, 200, 200, 429]);
    expect(limited!.headers['retry-after']).toBe('7');
    expect(limited!.body).toEqual({
      error: {
        message: 'Rate limit exceeded',
        detail: 'Rate limit of 100 requests per hour for Table API exceeded',
      },
      status: 'failure',
    });
  });

  it('errorRate: 1 → always 503, 0.5 → a deterministic mix', async () => {
    const sim = setup();
    sim.faults.errorRate = 1;
    const res = await sim.get('/api/now/table/incident?sysparm_limit=1');
    expect(res.status).toBe(503);
    expect(res.body.status).toBe('failure');

    const run = async () => {
      const s = setup();
      s.faults.errorRate = 0.5;
      const out: number[] = [];
      for (let i = 0; i < 20; i++) {
        out.push((await s.get('/api/now/table/sys_user_group')).status);
      }
      return out;
    };
    const a = await run();
    expect(a).toContain(503);
    expect(a).toContain(200);
    expect(await run()).toEqual(a);
  });

  it('latencyMs delays responses', async () => {
    const sim = setup();
    sim.faults.latencyMs = 60;
    const start = Date.now();
    await sim.get('/api/now/table/sys_user_group');
    expect(Date.now() - start).toBeGreaterThanOrEqual(50);
  });

  it('garbageRate corrupts a deterministic share of the page', async () => {
    const sim = setup();
    sim.faults.garbageRate = 0.5;
    const res = await sim.get(
      '/api/now/table/incident?sysparm_limit=8&sysparm_exclude_reference_link=true',
    );
    const page = res.body.result;
    expect(page).toHaveLength(8);
    const known = new Set(sim.store.list('cmdb_ci').map(r => r.sys_id));
    const missingId = page.filter((r: any) => r.sys_id === undefined).length;
    const badPriority = page.filter((r: any) => r.priority === '9').length;
    const badDate = page.filter(
      (r: any) => r.opened_at === 'not-a-date',
    ).length;
    const badCi = page.filter(
      (r: any) => r.cmdb_ci && !known.has(r.cmdb_ci),
    ).length;
    expect([missingId, badPriority, badDate, badCi]).toEqual([1, 1, 1, 1]);
    // the store itself is untouched
    expect(sim.store.list('incident').every(r => r.priority !== '9')).toBe(
      true,
    );

    const again = await sim.get(
      '/api/now/table/incident?sysparm_limit=8&sysparm_exclude_reference_link=true',
    );
    expect(again.body).toEqual(res.body);
  });

  it('authFailure answers 401 even with valid credentials', async () => {
    const sim = setup();
    sim.faults.authFailure = true;
    const res = await sim.get('/api/now/table/sys_user_group');
    expect(res.status).toBe(401);
    expect(res.body.error.message).toBe('User Not Authenticated');
    const token = await sim.raw.post('/oauth_token.do').type('form').send({
      grant_type: 'client_credentials',
      client_id: 'incident-ops',
      client_secret: 'secret',
    });
    expect(token.status).toBe(401);
  });

  it('exposes /sim/faults, /sim/reset and /sim/health over HTTP', async () => {
    const sim = setup();
    expect((await sim.raw.get('/sim/health')).body).toEqual({ status: 'ok' });
    const put = await sim.raw
      .put('/sim/faults')
      .send({ errorRate: 1, latencyMs: 0 });
    expect(put.body).toEqual({ errorRate: 1, latencyMs: 0 });
    expect(sim.faults.errorRate).toBe(1);
    expect((await sim.raw.get('/sim/faults')).body).toEqual({
      errorRate: 1,
      latencyMs: 0,
    });
    expect((await sim.get('/api/now/table/incident')).status).toBe(503);

    const [inc] = sim.store.list('incident');
    sim.store.remove('incident', inc.sys_id);
    const before = sim.store.count('incident');
    const reset = await sim.raw.post('/sim/reset');
    expect(reset.body).toEqual({ status: 'ok' });
    expect(sim.faults).toEqual({});
    expect(sim.store.count('incident')).toBe(before + 1);
    expect(sim.store.get('incident', inc.sys_id)).toEqual(inc);
    expect(
      (await sim.get('/api/now/table/incident?sysparm_limit=1')).status,
    ).toBe(200);
  });
});

describe('more faults', () => {
  it('rateLimitWithoutRetryAfter: 429 with neither Retry-After nor X-RateLimit headers', async () => {
    const sim = setup();
    sim.faults.rateLimitEvery = 1;
    sim.faults.rateLimitWithoutRetryAfter = true;
    const res = await sim.get('/api/now/table/sys_user_group');
    expect(res.status).toBe(429);
    expect(res.body.error.message).toBe('Rate limit exceeded');
    expect(res.headers['retry-after']).toBeUndefined();
    expect(res.headers['x-ratelimit-limit']).toBeUndefined();
    expect(res.headers['x-ratelimit-reset']).toBeUndefined();
  });

  it('lostReplyRate: a write is applied, then answered 502', async () => {
    const sim = setup();
    const [inc] = sim.store.list('incident');
    sim.faults.lostReplyRate = 1;
    const res = await sim.patch(`/api/now/table/incident/${inc.sys_id}`, {
      work_notes: 'sent once',
    });
    expect(res.status).toBe(502);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    const after = sim.store.get('incident', inc.sys_id)!;
    expect(Number(after.sys_mod_count)).toBe(Number(inc.sys_mod_count) + 1);
    expect(
      sim.store.journal(inc.sys_id).filter(j => j.value === 'sent once'),
    ).toHaveLength(1);

    const before = sim.store.count('incident');
    const post = await sim.post('/api/now/table/incident', {
      short_description: 'lost reply',
    });
    expect(post.status).toBe(502);
    expect(sim.store.count('incident')).toBe(before + 1);
    // reads are never affected
    expect(
      (await sim.get('/api/now/table/incident?sysparm_limit=1')).status,
    ).toBe(200);
  });

  it('lostReplyAs reset: a write is applied, then the connection dropped', async () => {
    const sim = setup();
    const [inc] = sim.store.list('incident');
    sim.faults.lostReplyRate = 1;
    sim.faults.lostReplyAs = 'reset';
    await expect(
      sim.patch(`/api/now/table/incident/${inc.sys_id}`, { urgency: '1' }),
    ).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(sim.store.get('incident', inc.sys_id)!.urgency).toBe('1');
  });

  it('lostReplyRate 0.3 loses a deterministic share of writes', async () => {
    const run = async () => {
      const sim = setup();
      const [inc] = sim.store.list('incident');
      sim.faults.lostReplyRate = 0.3;
      const out: number[] = [];
      for (let i = 0; i < 20; i++) {
        const res = await sim.patch(`/api/now/table/incident/${inc.sys_id}`, {
          work_notes: `n${i}`,
        });
        out.push(res.status);
      }
      // every write was applied, answered or not
      expect(
        sim.store.journal(inc.sys_id, 'work_notes').length,
      ).toBeGreaterThanOrEqual(20);
      return out;
    };
    const a = await run();
    expect(a).toContain(502);
    expect(a).toContain(200);
    expect(await run()).toEqual(a);
  });
});
