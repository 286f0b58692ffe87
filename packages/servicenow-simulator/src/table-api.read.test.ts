import { seedIds } from './seed';
import { setup } from './__testUtils__/setup';
import { SYS_ID, assertAllStrings } from './__testUtils__/records';

describe('list and record envelopes', () => {
  const sim = setup();

  it('returns a list envelope with string values and X-Total-Count', async () => {
    const res = await sim.get('/api/now/table/incident?sysparm_limit=5');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body.result).toHaveLength(5);
    expect(res.headers['x-total-count']).toBe(
      String(sim.store.count('incident')),
    );
    for (const rec of res.body.result) {
      assertAllStrings(rec);
      expect(rec.sys_id).toMatch(SYS_ID);
      expect(rec.number).toMatch(/^INC\d{7,8}$/);
      expect(rec.work_notes).toBe('');
      expect(rec.comments).toBe('');
    }
  });

  it('returns an object envelope for a single record and 404 when missing', async () => {
    const id = seedIds.ci('abrc1l');
    const res = await sim.get(`/api/now/table/cmdb_ci/${id}`);
    expect(res.status).toBe(200);
    expect(res.body.result).toMatchObject({
      sys_id: id,
      name: 'abrc1l',
      sys_class_name: 'cmdb_ci_kubernetes_cluster',
    });
    const missing = await sim.get(`/api/now/table/cmdb_ci/${'0'.repeat(32)}`);
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({
      error: {
        message: 'No Record found',
        detail: "Record doesn't exist or ACL restricts the record retrieval",
      },
      status: 'failure',
    });
  });

  it('answers 404 with the envelope for an unknown table', async () => {
    const res = await sim.get('/api/now/table/u_nope');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      error: { message: 'Invalid table u_nope', detail: '' },
      status: 'failure',
    });
  });

  it('serves versioned paths and cmdb class tables', async () => {
    const v2 = await sim.get('/api/now/v2/table/cmdb_ci_kubernetes_cluster');
    expect(v2.body.result.map((r: any) => r.name).sort()).toEqual([
      'abrc1l',
      'mecc',
      'rtg',
    ]);
    const v1 = await sim.get('/api/now/v1/table/cmdb_ci_kubernetes_namespace');
    expect(v1.body.result).toHaveLength(10);
  });

  it('honours sysparm_fields and ignores invalid names', async () => {
    const res = await sim.get(
      '/api/now/table/incident?sysparm_limit=2&sysparm_fields=number,priority,bogus,assignment_group.name',
    );
    for (const r of res.body.result) {
      expect(Object.keys(r).sort()).toEqual([
        'assignment_group.name',
        'number',
        'priority',
      ]);
    }
  });
});

describe('reference fields and display values', () => {
  const sim = setup();
  const group = seedIds.group('L3');
  const user = seedIds.user('lena.fischer');
  const query = `sysparm_query=${encodeURIComponent(
    'short_descriptionSTARTSWITHKarpenter GPU node failure',
  )}`;

  it('returns {link,value} by default and bare sys_ids with exclude_reference_link', async () => {
    const res = await sim.get(`/api/now/table/incident?${query}`);
    const [inc] = res.body.result;
    expect(inc.assignment_group).toEqual({
      link: expect.stringMatching(
        new RegExp(
          `^http://127\\.0\\.0\\.1:\\d+/api/now/table/sys_user_group/${group}$`,
        ),
      ),
      value: group,
    });
    expect(inc.assigned_to.value).toBe(user);
    expect(inc.state).toBe('2');
    expect(inc.priority).toBe('1');

    const bare = await sim.get(
      `/api/now/table/incident?${query}&sysparm_exclude_reference_link=true`,
    );
    expect(bare.body.result[0].assignment_group).toBe(group);
    expect(bare.body.result[0].cmdb_ci).toBe(seedIds.ci('mecc:karpenter'));
  });

  it('returns "" for an empty reference', async () => {
    const res = await sim.get(
      '/api/now/table/incident?sysparm_query=state=1&sysparm_limit=1',
    );
    expect(res.body.result[0].assignment_group).toBe('');
    expect(res.body.result[0].assigned_to).toBe('');
  });

  it('returns labels and display names with display_value=true', async () => {
    const res = await sim.get(
      `/api/now/table/incident?${query}&sysparm_display_value=true`,
    );
    const [inc] = res.body.result;
    expect(inc.state).toBe('In Progress');
    expect(inc.priority).toBe('1 - Critical');
    expect(inc.impact).toBe('1 - High');
    expect(inc.urgency).toBe('1 - High');
    expect(inc.assignment_group).toEqual({
      display_value: 'Atlas-L3-Evangelists',
      link: expect.stringContaining(`/api/now/table/sys_user_group/${group}`),
    });

    const bare = await sim.get(
      `/api/now/table/incident?${query}&sysparm_display_value=true&sysparm_exclude_reference_link=true`,
    );
    expect(bare.body.result[0].assignment_group).toBe('Atlas-L3-Evangelists');
    expect(bare.body.result[0].assigned_to).toBe('Lena Fischer');
    expect(bare.body.result[0].cmdb_ci).toBe('mecc:karpenter');
  });

  it('returns {display_value,value[,link]} on every field with display_value=all', async () => {
    const res = await sim.get(
      `/api/now/table/incident?${query}&sysparm_display_value=all`,
    );
    const [inc] = res.body.result;
    expect(inc.state).toEqual({ display_value: 'In Progress', value: '2' });
    expect(inc.number).toEqual({
      display_value: inc.number.value,
      value: inc.number.value,
    });
    expect(inc.assignment_group).toEqual({
      display_value: 'Atlas-L3-Evangelists',
      value: group,
      link: expect.stringContaining(group),
    });
    // a journal's value is empty; its display value is the whole journal (journal.test.ts)
    expect(inc.work_notes.value).toBe('');
    expect(inc.work_notes.display_value).toMatch(
      /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} - .+ \(Work notes\)\n/,
    );
    for (const v of Object.values(inc)) expect(typeof v).toBe('object');

    const noLinks = await sim.get(
      `/api/now/table/incident?${query}&sysparm_display_value=all&sysparm_exclude_reference_link=true`,
    );
    expect(noLinks.body.result[0].assignment_group).toEqual({
      display_value: 'Atlas-L3-Evangelists',
      value: group,
    });
  });

  it('labels hold_reason', async () => {
    const res = await sim.get(
      '/api/now/table/incident?sysparm_query=state=3^hold_reason=1&sysparm_display_value=true&sysparm_limit=1',
    );
    expect(res.body.result[0].hold_reason).toBe('Awaiting Caller');
    expect(res.body.result[0].state).toBe('On Hold');
  });
});

describe('paging', () => {
  const sim = setup();

  it('sets Link with first/next/last on the first page and prev in the middle', async () => {
    const total = sim.store.count('incident');
    const res = await sim.get(
      '/api/now/table/incident?sysparm_limit=10&sysparm_query=ORDERBYnumber',
    );
    expect(res.headers['x-total-count']).toBe(String(total));
    const link: string = res.headers.link;
    expect(link).toContain('rel="first"');
    expect(link).toContain('rel="next"');
    expect(link).toContain('rel="last"');
    expect(link).not.toContain('rel="prev"');
    expect(link).toMatch(/sysparm_query=ORDERBYnumber/);
    expect(link).toMatch(/sysparm_offset=10>;rel="next"/);
    const lastOffset = Math.floor((total - 1) / 10) * 10;
    expect(link).toContain(`sysparm_offset=${lastOffset}>;rel="last"`);

    const mid = await sim.get(
      '/api/now/table/incident?sysparm_limit=10&sysparm_offset=10',
    );
    expect(mid.headers.link).toContain('sysparm_offset=0>;rel="prev"');
    expect(mid.headers.link).toContain('sysparm_offset=20>;rel="next"');

    const last = await sim.get(
      `/api/now/table/incident?sysparm_limit=10&sysparm_offset=${lastOffset}`,
    );
    expect(last.headers.link).not.toContain('rel="next"');
    expect(last.headers.link).toContain('rel="prev"');
  });

  it('omits Link for a single page, with suppress_pagination_header, and count with no_count', async () => {
    const one = await sim.get('/api/now/table/sys_user_group');
    expect(one.headers.link).toBeUndefined();
    expect(one.headers['x-total-count']).toBe('4');
    const suppressed = await sim.get(
      '/api/now/table/incident?sysparm_limit=5&sysparm_suppress_pagination_header=true',
    );
    expect(suppressed.headers.link).toBeUndefined();
    const noCount = await sim.get(
      '/api/now/table/incident?sysparm_limit=5&sysparm_no_count=true',
    );
    expect(noCount.headers['x-total-count']).toBeUndefined();
    expect(noCount.body.result).toHaveLength(5);
    // without a count there is a "next" but no "last"
    expect(noCount.headers.link).toContain('rel="next"');
    expect(noCount.headers.link).not.toContain('rel="last"');
    const lastPage = await sim.get(
      `/api/now/table/incident?sysparm_limit=5&sysparm_no_count=true&sysparm_offset=${
        sim.store.count('incident') - 5
      }`,
    );
    expect(lastPage.headers.link).not.toContain('rel="next"');
    expect(lastPage.headers.link).toContain('rel="prev"');
  });

  it('pages with offsets without overlap', async () => {
    const seen = new Set<string>();
    for (let offset = 0; ; offset += 7) {
      const res = await sim.get(
        `/api/now/table/incident?sysparm_limit=7&sysparm_offset=${offset}&sysparm_fields=sys_id`,
      );
      if (res.body.result.length === 0) break;
      for (const r of res.body.result) seen.add(r.sys_id);
    }
    expect(seen.size).toBe(sim.store.count('incident'));
  });

  it('supports keyset paging with ORDERBYsys_id^sys_id>X', async () => {
    const ids: string[] = [];
    let last = '';
    for (;;) {
      const q = encodeURIComponent(
        `active=true^ORDERBYsys_id${last ? `^sys_id>${last}` : ''}`,
      );
      const res = await sim.get(
        `/api/now/table/incident?sysparm_query=${q}&sysparm_limit=4&sysparm_no_count=true&sysparm_fields=sys_id`,
      );
      const page: string[] = res.body.result.map((r: any) => r.sys_id);
      if (page.length === 0) break;
      ids.push(...page);
      last = page[page.length - 1];
    }
    const expected = sim.store
      .list('incident')
      .filter(r => r.active === 'true')
      .map(r => r.sys_id)
      .sort();
    expect(ids).toEqual(expected);
  });

  it('v1 answers 404 on an empty result, unversioned and v2 answer 200 []', async () => {
    const q = 'sysparm_query=number=INC0000000';
    const v1 = await sim.get(`/api/now/v1/table/incident?${q}`);
    expect(v1.status).toBe(404);
    expect(v1.body).toEqual({
      error: {
        message: 'No Record found',
        detail:
          'Records matching query not found. Check query parameter or offset parameter',
      },
      status: 'failure',
    });
    for (const path of [
      '/api/now/table/incident',
      '/api/now/v2/table/incident',
    ]) {
      const res = await sim.get(`${path}?${q}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ result: [] });
    }
  });
});
