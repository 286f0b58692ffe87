import { setup } from './__testUtils__/setup';
import { seedIds } from './seed';

describe('encoded queries', () => {
  const sim = setup();
  const incidents = sim.store.list('incident');

  async function numbers(query: string, extra = ''): Promise<string[]> {
    const res = await sim.get(
      `/api/now/table/incident?sysparm_query=${encodeURIComponent(
        query,
      )}&sysparm_fields=number${extra}`,
    );
    expect(res.status).toBe(200);
    return res.body.result.map((r: { number: string }) => r.number);
  }
  const expected = (pred: (r: Record<string, string>) => boolean) =>
    incidents.filter(pred).map(r => r.number);

  it('= and != and ^ (AND)', async () => {
    expect(await numbers('priority=1')).toEqual(
      expected(r => r.priority === '1'),
    );
    expect(await numbers('priority!=3^active=true')).toEqual(
      expected(r => r.priority !== '3' && r.active === 'true'),
    );
  });

  it('^OR binds to the neighbouring condition', async () => {
    const got = await numbers('active=true^priority=1^ORpriority=2');
    expect(got).toEqual(
      expected(
        r => r.active === 'true' && (r.priority === '1' || r.priority === '2'),
      ),
    );
    expect(got.length).toBeGreaterThan(2);
  });

  it('^NQ starts a new OR group', async () => {
    expect(await numbers('state=1^NQstate=8')).toEqual(
      expected(r => r.state === '1' || r.state === '8'),
    );
  });

  it('>, >=, <, <= on date-times and numbers', async () => {
    const since = '2025-03-09 12:00:00';
    expect(await numbers(`opened_at>=${since}`)).toEqual(
      expected(r => r.opened_at >= since),
    );
    expect(
      await numbers(`opened_at<${since}^opened_at>2025-03-05 00:00:00`),
    ).toEqual(
      expected(r => r.opened_at < since && r.opened_at > '2025-03-05 00:00:00'),
    );
    expect(await numbers('priority<=2')).toEqual(
      expected(r => Number(r.priority) <= 2),
    );
    expect(await numbers('priority>3')).toEqual(
      expected(r => Number(r.priority) > 3),
    );
  });

  it('LIKE, NOTLIKE, STARTSWITH, ENDSWITH (case-insensitive)', async () => {
    const like = expected(r =>
      r.short_description.toLowerCase().includes('egress'),
    );
    expect(like.length).toBeGreaterThan(3);
    expect(await numbers('short_descriptionLIKEEGRESS')).toEqual(like);
    expect(await numbers('short_descriptionNOTLIKEegress')).toEqual(
      expected(r => !r.short_description.toLowerCase().includes('egress')),
    );
    expect(await numbers('short_descriptionSTARTSWITHwhitelist')).toEqual(
      expected(r => r.short_description.toLowerCase().startsWith('whitelist')),
    );
    expect(await numbers('short_descriptionENDSWITHfor livelink-prod')).toEqual(
      expected(r => r.short_description.endsWith('for livelink-prod')),
    );
  });

  it('IN, ISEMPTY, ISNOTEMPTY', async () => {
    expect(await numbers('stateIN6,7,8')).toEqual(
      expected(r => ['6', '7', '8'].includes(r.state)),
    );
    const unassigned = await numbers('assigned_toISEMPTY');
    expect(unassigned).toEqual(expected(r => r.assigned_to === ''));
    expect(unassigned.length).toBeGreaterThan(0);
    expect(await numbers('resolved_atISNOTEMPTY')).toEqual(
      expected(r => r.resolved_at !== ''),
    );
  });

  it('dot-walks through references', async () => {
    expect(await numbers('assignment_group.name=Atlas-L3-Evangelists')).toEqual(
      expected(r => r.assignment_group === seedIds.group('L3')),
    );
    expect(await numbers('cmdb_ci.nameSTARTSWITHmecc')).toEqual(
      expected(r =>
        [
          seedIds.ci('mecc'),
          seedIds.ci('mecc:karpenter'),
          seedIds.ci('mecc:egress-gateway'),
          seedIds.ci('mecc:ml-training'),
        ].includes(r.cmdb_ci),
      ),
    );
  });

  it('silently ignores unknown fields and invalid parts', async () => {
    const p1 = expected(r => r.priority === '1');
    expect(await numbers('u_bogus=7^priority=1')).toEqual(p1);
    expect(await numbers('priority=1^ORnot_a_field=1')).toEqual(p1);
    expect(await numbers('priority=1^ORDERBYnot_a_field')).toEqual(p1);
    expect(await numbers('u_bogus=7')).toEqual(incidents.map(r => r.number));
  });

  it('ORDERBY and ORDERBYDESC, chained', async () => {
    const asc = await numbers('ORDERBYnumber');
    expect(asc).toEqual([...asc].sort());
    const byPrio = await sim.get(
      '/api/now/table/incident?sysparm_query=ORDERBYpriority^ORDERBYDESCopened_at&sysparm_fields=priority,opened_at',
    );
    const rows: { priority: string; opened_at: string }[] = byPrio.body.result;
    for (let i = 1; i < rows.length; i++) {
      const a = rows[i - 1];
      const b = rows[i];
      expect(Number(a.priority) <= Number(b.priority)).toBe(true);
      expect(a.priority !== b.priority || a.opened_at >= b.opened_at).toBe(
        true,
      );
    }
    const desc = await numbers('ORDERBYDESCnumber');
    expect(desc).toEqual([...asc].reverse());
  });

  it('keyset conditions on sys_id respect ^OR and >=', async () => {
    const sorted = [...incidents].sort((a, b) =>
      a.sys_id < b.sys_id ? -1 : 1,
    );
    const mid = sorted[20].sys_id;
    const ids = async (q: string) =>
      (
        await sim.get(
          `/api/now/table/incident?sysparm_query=${encodeURIComponent(
            q,
          )}&sysparm_fields=sys_id&sysparm_no_count=true`,
        )
      ).body.result.map((r: { sys_id: string }) => r.sys_id);
    expect(await ids(`ORDERBYsys_id^sys_id>${mid}`)).toEqual(
      sorted.slice(21).map(r => r.sys_id),
    );
    expect(await ids(`ORDERBYsys_id^sys_id>=${mid}`)).toEqual(
      sorted.slice(20).map(r => r.sys_id),
    );
    expect(
      await ids(`ORDERBYsys_id^sys_id>${mid}^ORsys_id=${sorted[0].sys_id}`),
    ).toEqual([sorted[0], ...sorted.slice(21)].map(r => r.sys_id));
  });

  it('supports javascript:gs.* date helpers against the clock', async () => {
    expect(await numbers('opened_at>=javascript:gs.hoursAgo(6)')).toEqual(
      expected(r => r.opened_at >= '2025-03-10 06:00:00'),
    );
    expect(await numbers('opened_at>=javascript:gs.daysAgoStart(0)')).toEqual(
      expected(r => r.opened_at >= '2025-03-10 00:00:00'),
    );
  });
});
