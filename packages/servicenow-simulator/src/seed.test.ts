import { ANCHOR } from './__testUtils__/setup';
import { computePriority, formatDateTime } from './schema';
import { createSimulator } from './simulator';
import { SCHEMAS } from './schema';

const CLUSTER_CIS = ['abrc1l', 'mecc', 'rtg'];
const NAMESPACE_CIS = [
  'abrc1l:livelink-prod',
  'abrc1l:livelink-uat',
  'abrc1l:gitlab-runners',
  'abrc1l:flux-system',
  'mecc:karpenter',
  'mecc:egress-gateway',
  'mecc:ml-training',
  'rtg:livelink-dev',
  'rtg:monitoring',
  'rtg:snowflake-connect',
];

describe('seed data', () => {
  const { store } = createSimulator({ now: () => ANCHOR });
  const incidents = store.list('incident');
  const ciName = (id: string) => store.get('cmdb_ci', id)?.name ?? '';

  it('has the catalog CIs and assignment groups with exact names', () => {
    const cis = store.list('cmdb_ci');
    expect(
      cis
        .filter(c => c.sys_class_name === 'cmdb_ci_kubernetes_cluster')
        .map(c => c.name)
        .sort(),
    ).toEqual([...CLUSTER_CIS].sort());
    expect(
      cis
        .filter(c => c.sys_class_name === 'cmdb_ci_kubernetes_namespace')
        .map(c => c.name)
        .sort(),
    ).toEqual([...NAMESPACE_CIS].sort());
    expect(cis.map(c => c.name)).toContain('livelink-portal');
    expect(
      store
        .list('sys_user_group')
        .map(g => g.name)
        .sort(),
    ).toEqual(
      [
        'Atlas-L1-Support',
        'Atlas-L2-Platform',
        'Atlas-L3-Evangelists',
        'Service Desk',
      ].sort(),
    );
    expect(store.count('sys_user')).toBeGreaterThanOrEqual(12);
  });

  it('has ≥45 incidents across all three clusters and P1–P4 (and one P5)', () => {
    expect(incidents.length).toBeGreaterThanOrEqual(45);
    const clusters = new Set(
      incidents.map(i => ciName(i.cmdb_ci).split(':')[0]),
    );
    for (const c of CLUSTER_CIS) expect(clusters).toContain(c);
    const byPriority = (p: string) =>
      incidents.filter(i => i.priority === p).length;
    for (const p of ['1', '2', '3', '4'])
      expect(byPriority(p)).toBeGreaterThan(0);
    expect(byPriority('5')).toBe(1);
    for (const i of incidents) {
      expect(i.priority).toBe(computePriority(i.impact, i.urgency));
    }
  });

  it('has realistic states', () => {
    const states = (s: string) => incidents.filter(i => i.state === s);
    for (const s of ['1', '2', '3', '6', '7'])
      expect(states(s).length).toBeGreaterThan(0);
    expect(states('8')).toHaveLength(1);
    for (const i of states('1')) {
      expect(i.assignment_group).toBe('');
      expect(i.assigned_to).toBe('');
    }
    expect(states('3').some(i => i.hold_reason === '1')).toBe(true);
    for (const i of [...states('6'), ...states('7')]) {
      expect(i.close_code).not.toBe('');
      expect(i.close_notes).not.toBe('');
      expect(i.resolved_at).not.toBe('');
    }
    for (const i of states('7'))
      expect(i.closed_at >= i.resolved_at).toBe(true);
    const open = incidents.filter(i => ['1', '2', '3'].includes(i.state));
    expect(open.length).toBeGreaterThanOrEqual(15);
    const groups = new Set(
      incidents.map(i => i.assignment_group).filter(Boolean),
    );
    expect(groups.size).toBe(4);
  });

  it('spreads opened_at over the last 21 days with several in the last hours', () => {
    const anchor = formatDateTime(ANCHOR);
    const earliest = formatDateTime(
      new Date(ANCHOR.getTime() - 21 * 86_400_000),
    );
    const sixHours = formatDateTime(new Date(ANCHOR.getTime() - 6 * 3_600_000));
    for (const i of incidents) {
      expect(i.opened_at >= earliest && i.opened_at <= anchor).toBe(true);
      expect(i.sys_updated_on <= anchor).toBe(true);
      expect(i.sys_updated_on >= i.sys_created_on).toBe(true);
    }
    expect(
      incidents.filter(i => i.opened_at >= sixHours).length,
    ).toBeGreaterThanOrEqual(4);
  });

  it('uses unique numbers, 32-hex sys_ids and resolvable references', () => {
    expect(new Set(incidents.map(i => i.number)).size).toBe(incidents.length);
    expect(incidents.map(i => i.number)).toContain('INC13076932');
    const dangling: string[] = [];
    for (const [table, schema] of Object.entries(SCHEMAS)) {
      for (const rec of store.list(table)) {
        expect(rec.sys_id).toMatch(/^[0-9a-f]{32}$/);
        for (const f of schema.fields) expect(typeof rec[f]).toBe('string');
        for (const [field, target] of Object.entries(schema.references)) {
          if (rec[field] && !store.get(target, rec[field])) {
            dangling.push(`${table}.${field}=${rec[field]}`);
          }
        }
      }
    }
    expect(dangling).toEqual([]);
  });

  it('has published KB articles, one draft, and work notes on open tickets', () => {
    const kb = store.list('kb_knowledge');
    const published = kb.filter(a => a.workflow_state === 'published');
    expect(published.length).toBeGreaterThanOrEqual(8);
    expect(published.length).toBeLessThanOrEqual(12);
    expect(kb.filter(a => a.workflow_state === 'draft')).toHaveLength(1);
    expect(kb.map(a => a.short_description)).toContain(
      'How to Request Egress Access for livelink-* Namespaces',
    );
    for (const a of kb) expect(a.number).toMatch(/^KB\d{7}$/);
    const withNotes = new Set(store.journal().map(j => j.element_id));
    const openWithNotes = incidents.filter(
      i => ['2', '3'].includes(i.state) && withNotes.has(i.sys_id),
    );
    expect(openWithNotes.length).toBeGreaterThanOrEqual(8);
  });

  it('is deterministic', () => {
    const again = createSimulator({ now: () => ANCHOR }).store.list('incident');
    expect(again).toEqual(incidents);
  });

  it('can start empty', () => {
    const empty = createSimulator({ seed: false });
    expect(empty.store.count('incident')).toBe(0);
    expect(empty.store.count('cmdb_ci')).toBe(0);
  });
});

describe('generated incidents', () => {
  it('adds 100k synthetic incidents quickly', async () => {
    const start = Date.now();
    const sim = createSimulator({
      now: () => ANCHOR,
      generatedIncidents: 100_000,
    });
    const elapsed = Date.now() - start;
    expect(elapsed).toBeLessThan(5000);
    const all = sim.store.list('incident');
    expect(all.length).toBeGreaterThanOrEqual(100_045);
    const generated = all.filter(i => i.number.startsWith('INC12'));
    expect(generated).toHaveLength(100_000);
    expect(new Set(generated.map(i => i.priority)).size).toBeGreaterThanOrEqual(
      4,
    );
    expect(new Set(generated.map(i => i.state)).size).toBeGreaterThanOrEqual(5);
    expect(
      generated[0].opened_at < generated[generated.length - 1].opened_at,
    ).toBe(true);
    for (const i of generated.slice(0, 1000)) {
      expect(i.priority).toBe(computePriority(i.impact, i.urgency));
    }
  });
});
