import { ANCHOR, setup } from './__testUtils__/setup';
import { seedIds } from './seed';
import { SYS_ID, assertAllStrings } from './__testUtils__/records';

describe('writes', () => {
  const sim = setup();

  it('POST creates a record with 201, computed priority, number and sys fields', async () => {
    const res = await sim.post('/api/now/table/incident', {
      short_description: 'Egress for livelink-uat to nas-uat-02:2049',
      impact: '1',
      urgency: 2,
      priority: '5',
      cmdb_ci: seedIds.ci('abrc1l:livelink-uat'),
      work_notes: 'created by test',
      bogus_field: 'ignored',
    });
    expect(res.status).toBe(201);
    const r = res.body.result;
    expect(r.priority).toBe('2');
    expect(r.urgency).toBe('2');
    expect(r.sys_id).toMatch(SYS_ID);
    expect(r.number).toMatch(/^INC\d+$/);
    expect(Number(r.number.slice(3))).toBeGreaterThan(13076932);
    expect(r.state).toBe('1');
    expect(r.sys_created_on).toBe('2025-03-10 12:00:00');
    expect(r.sys_updated_on).toBe('2025-03-10 12:00:00');
    expect(r.sys_mod_count).toBe('0');
    expect(r.sys_created_by).toBe('admin');
    expect(r.opened_by.value).toBe(seedIds.user('admin'));
    expect(r.work_notes).toBe('');
    expect(r.bogus_field).toBeUndefined();
    expect(res.headers.location).toContain(
      `/api/now/table/incident/${r.sys_id}`,
    );
    assertAllStrings(r);
    expect(sim.store.journal(r.sys_id)).toHaveLength(1);

    const second = await sim.post('/api/now/table/incident', {
      short_description: 'x',
    });
    expect(Number(second.body.result.number.slice(3))).toBe(
      Number(r.number.slice(3)) + 1,
    );
    expect(second.body.result.priority).toBe('5');
  });

  it('numbers kb_knowledge as KB + 7 digits', async () => {
    const res = await sim.post('/api/now/table/kb_knowledge', {
      short_description: 'New article',
    });
    expect(res.body.result.number).toMatch(/^KB\d{7}$/);
    expect(res.body.result.workflow_state).toBe('draft');
  });

  it('PATCH bumps sys_updated_on/sys_mod_count and journals work_notes and comments', async () => {
    const created = await sim.post('/api/now/table/incident', {
      short_description: 'patch me',
    });
    const id = created.body.result.sys_id;
    sim.advance(90);
    const res = await sim.patch(`/api/now/table/incident/${id}`, {
      work_notes: 'checked the NetworkPolicy',
      comments: 'we are on it',
      impact: '2',
      urgency: '2',
      priority: '1',
    });
    expect(res.status).toBe(200);
    expect(res.body.result.sys_updated_on).toBe('2025-03-10 12:01:30');
    expect(res.body.result.sys_mod_count).toBe('1');
    expect(res.body.result.priority).toBe('3');
    expect(res.body.result.work_notes).toBe('');
    expect(res.body.result.comments).toBe('');

    const journal = await sim.get(
      `/api/now/table/sys_journal_field?sysparm_query=element_id=${id}^ORDERBYsys_created_on`,
    );
    const entries = journal.body.result.map((e: any) => ({
      element: e.element,
      name: e.name,
      value: e.value,
      by: e.sys_created_by,
      on: e.sys_created_on,
    }));
    expect(entries).toEqual([
      {
        element: 'work_notes',
        name: 'incident',
        value: 'checked the NetworkPolicy',
        by: 'admin',
        on: '2025-03-10 12:01:30',
      },
      {
        element: 'comments',
        name: 'incident',
        value: 'we are on it',
        by: 'admin',
        on: '2025-03-10 12:01:30',
      },
    ]);

    const got = await sim.get(`/api/now/table/incident/${id}`);
    expect(got.body.result.work_notes).toBe('');
  });

  it('PUT updates like PATCH; missing sys_id → 404', async () => {
    const [inc] = sim.store.list('incident');
    const res = await sim.put(`/api/now/table/incident/${inc.sys_id}`, {
      urgency: '1',
      impact: '1',
    });
    expect(res.status).toBe(200);
    expect(res.body.result.priority).toBe('1');
    expect(res.body.result.sys_mod_count).toBe(
      String(Number(inc.sys_mod_count) + 1),
    );
    const missing = await sim.patch(
      `/api/now/table/incident/${'a'.repeat(32)}`,
      { urgency: '1' },
    );
    expect(missing.status).toBe(404);
    expect(missing.body.status).toBe('failure');
  });

  it('resolving without close_code/close_notes is rejected with 400', async () => {
    const created = await sim.post('/api/now/table/incident', {
      short_description: 'resolve me',
    });
    const id = created.body.result.sys_id;
    const bad = await sim.patch(`/api/now/table/incident/${id}`, {
      state: '6',
      close_notes: 'done',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.status).toBe('failure');
    expect(bad.body.error.message).toContain('Resolution code');
    expect(sim.store.get('incident', id)!.state).toBe('1');

    sim.advance(60);
    const ok = await sim.patch(`/api/now/table/incident/${id}`, {
      state: '6',
      close_code: 'Solution provided',
      close_notes: 'Egress rule added',
    });
    expect(ok.status).toBe(200);
    expect(ok.body.result.state).toBe('6');
    expect(ok.body.result.incident_state).toBe('6');
    expect(ok.body.result.resolved_at).toBe(ok.body.result.sys_updated_on);
    expect(ok.body.result.resolved_by.value).toBe(seedIds.user('admin'));
  });

  it('rejects invalid JSON', async () => {
    const res = await sim.raw
      .post('/api/now/table/incident')
      .set(
        'Authorization',
        `Basic ${Buffer.from('admin:admin').toString('base64')}`,
      )
      .set('Accept', 'application/json')
      .set('Content-Type', 'application/json')
      .send('{nope');
    expect(res.status).toBe(400);
    expect(res.body.status).toBe('failure');
  });

  it('DELETE answers 204 without body, then 404', async () => {
    const created = await sim.post('/api/now/table/incident', {
      short_description: 'delete me',
    });
    const id = created.body.result.sys_id;
    const res = await sim.del(`/api/now/table/incident/${id}`);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect((await sim.get(`/api/now/table/incident/${id}`)).status).toBe(404);
    expect((await sim.del(`/api/now/table/incident/${id}`)).status).toBe(404);
  });

  it('a caller comment on an Awaiting Caller incident puts it back In Progress', async () => {
    const [held] = sim.store
      .list('incident')
      .filter(r => r.state === '3' && r.hold_reason === '1');
    const caller = sim.store.get('sys_user', held.caller_id)!.user_name;
    const rec = sim.store.update(
      'incident',
      held.sys_id,
      { comments: 'here are the FQDNs' },
      { user: caller },
    );
    expect(rec!.state).toBe('2');
    expect(rec!.hold_reason).toBe('');
  });
});

describe('headers and authentication', () => {
  const sim = setup();

  it('requires Accept on GET and Accept + Content-Type on writes', async () => {
    const auth = `Basic ${Buffer.from('admin:admin').toString('base64')}`;
    const noAccept = await sim.raw
      .get('/api/now/table/incident')
      .set('Authorization', auth);
    expect(noAccept.status).toBe(400);
    expect(noAccept.body.status).toBe('failure');
    const html = await sim.raw
      .get('/api/now/table/incident')
      .set('Authorization', auth)
      .set('Accept', 'text/html');
    expect(html.status).toBe(400);
    const star = await sim.raw
      .get('/api/now/table/sys_user_group')
      .set('Authorization', auth)
      .set('Accept', '*/*');
    expect(star.status).toBe(200);
    const noCt = await sim.raw
      .post('/api/now/table/incident')
      .set('Authorization', auth)
      .set('Accept', 'application/json')
      .set('Content-Type', 'text/plain')
      .send('{"short_description":"x"}');
    expect(noCt.status).toBe(400);
    expect(noCt.body.error.message).toMatch(/Content-Type/);
  });

  it('answers 401 without or with bad credentials', async () => {
    const expected = {
      error: {
        message: 'User Not Authenticated',
        detail: 'Required to provide Auth information',
      },
      status: 'failure',
    };
    const none = await sim.raw
      .get('/api/now/table/incident')
      .set('Accept', 'application/json');
    expect(none.status).toBe(401);
    expect(none.body).toEqual(expected);
    const bad = await sim.raw
      .get('/api/now/table/incident')
      .set('Accept', 'application/json')
      .set(
        'Authorization',
        `Basic ${Buffer.from('admin:wrong').toString('base64')}`,
      );
    expect(bad.status).toBe(401);
    const badBearer = await sim.raw
      .get('/api/now/table/incident')
      .set('Accept', 'application/json')
      .set('Authorization', 'Bearer nope');
    expect(badBearer.status).toBe(401);
  });

  const token = (form: Record<string, string>) =>
    sim.raw.post('/oauth_token.do').type('form').send(form);

  it('issues OAuth tokens (password, client_credentials, refresh_token) accepted as Bearer', async () => {
    const pw = await token({
      grant_type: 'password',
      client_id: 'incident-ops',
      client_secret: 'secret',
      username: 'admin',
      password: 'admin',
    });
    expect(pw.status).toBe(200);
    expect(pw.body).toEqual({
      access_token: expect.any(String),
      refresh_token: expect.any(String),
      scope: 'useraccount',
      token_type: 'Bearer',
      expires_in: 1799,
    });
    const ok = await sim.raw
      .get('/api/now/table/sys_user_group')
      .set('Accept', 'application/json')
      .set('Authorization', `Bearer ${pw.body.access_token}`);
    expect(ok.status).toBe(200);

    const cc = await token({
      grant_type: 'client_credentials',
      client_id: 'incident-ops',
      client_secret: 'secret',
    });
    expect(cc.status).toBe(200);
    const created = await sim.raw
      .post('/api/now/table/incident')
      .set('Accept', 'application/json')
      .set('Content-Type', 'application/json')
      .set('Authorization', `Bearer ${cc.body.access_token}`)
      .send({ short_description: 'via client credentials', work_notes: 'hi' });
    expect(created.status).toBe(201);
    expect(created.body.result.sys_created_by).toBe('incident-ops');
    expect(
      sim.store.journal(created.body.result.sys_id)[0].sys_created_by,
    ).toBe('incident-ops');

    const refreshed = await token({
      grant_type: 'refresh_token',
      client_id: 'incident-ops',
      client_secret: 'secret',
      refresh_token: pw.body.refresh_token,
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.access_token).not.toBe(pw.body.access_token);

    expect(
      (
        await token({
          grant_type: 'client_credentials',
          client_id: 'incident-ops',
          client_secret: 'x',
        })
      ).status,
    ).toBe(401);
    expect(
      (
        await token({
          grant_type: 'password',
          client_id: 'incident-ops',
          client_secret: 'secret',
          username: 'admin',
          password: 'x',
        })
      ).status,
    ).toBe(401);
    expect(
      (
        await token({
          grant_type: 'magic',
          client_id: 'incident-ops',
          client_secret: 'secret',
        })
      ).status,
    ).toBe(400);
  });

  it('expires access tokens per the injected clock', async () => {
    const t = await token({
      grant_type: 'client_credentials',
      client_id: 'incident-ops',
      client_secret: 'secret',
    });
    const call = () =>
      sim.raw
        .get('/api/now/table/sys_user_group')
        .set('Accept', 'application/json')
        .set('Authorization', `Bearer ${t.body.access_token}`);
    sim.advance(1798);
    expect((await call()).status).toBe(200);
    sim.advance(2);
    expect((await call()).status).toBe(401);
    const refreshed = await token({
      grant_type: 'refresh_token',
      client_id: 'incident-ops',
      client_secret: 'secret',
      refresh_token: t.body.refresh_token,
    });
    expect(refreshed.status).toBe(200);
  });
});

describe('store access', () => {
  it('store.update bumps sys_updated_on and sys_mod_count like a real write', async () => {
    const sim = setup();
    const [inc] = sim.store.list('incident');
    sim.advance(3600);
    const updated = sim.store.update('incident', inc.sys_id, {
      short_description: 'changed in ServiceNow',
    });
    expect(updated!.sys_updated_on).toBe('2025-03-10 13:00:00');
    expect(updated!.sys_mod_count).toBe(String(Number(inc.sys_mod_count) + 1));
    expect(updated!.sys_updated_by).toBe('system');
    const res = await sim.get(
      `/api/now/table/incident?sysparm_query=${encodeURIComponent(
        'sys_updated_on>=2025-03-10 12:30:00',
      )}&sysparm_fields=sys_id,short_description`,
    );
    expect(res.body.result).toEqual([
      { sys_id: inc.sys_id, short_description: 'changed in ServiceNow' },
    ]);
    const inserted = sim.store.insert('incident', {
      short_description: 'direct',
      impact: '1',
      urgency: '1',
    });
    expect(inserted.priority).toBe('1');
    expect(sim.store.remove('incident', inserted.sys_id)).toBe(true);
    expect(sim.store.get('incident', inserted.sys_id)).toBeUndefined();
  });

  it('listen() serves on a random port', async () => {
    const sim = setup();
    const running = await sim.listen(0);
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${running.url}/sim/health`);
    expect(await res.json()).toEqual({ status: 'ok' });
    await running.close();
  });

  it('uses the seed anchor, not the clock, for seed timestamps', () => {
    const sim = setup({ seedAnchor: new Date('2024-01-01T00:00:00Z') });
    const newest = sim.store
      .list('incident')
      .map(r => r.sys_updated_on)
      .sort()
      .pop();
    expect(newest! <= '2024-01-01 00:00:00').toBe(true);
    expect(ANCHOR.getTime()).toBeGreaterThan(new Date('2024-01-01').getTime());
  });
});
