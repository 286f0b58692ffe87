import { formatDateTime } from '@acme/servicenow-simulator';
import { faultDatabases, runScenario } from './__testUtils__/harness';

jest.setTimeout(180_000);

const GROUPS = {
  L1: 'Atlas-L1-Support',
  L2: 'Atlas-L2-Platform',
  L3: 'Atlas-L3-Evangelists',
};

/**
 * Tickets that arrive with no assignment group are at L1 for triage: a P1 goes to L3's group
 * at once, a P2 to L2's, a P3 to L2's once it has been unresolved 30 minutes (this one was
 * opened 31 minutes ago; another opened 5 minutes ago stays at L1), each written back once.
 */
describe('fault matrix: unassigned tickets', () => {
  const databases = faultDatabases(['POSTGRES_15', 'SQLITE_3']);

  it.concurrent.each(databases.eachSupportedId())(
    '6. P1, P2 and P3 at triage, %p',
    id => {
      const created: Record<string, string> = {};
      return runScenario('6. unassigned P1/P2/P3', databases, id, {
        config: config => {
          config.incidentOps.knowledge.suggestOnArrival = false;
        },
        faults: ({ sim }) => {
          sim.faults.errorRate = 0.1;
          const open = (
            name: string,
            impact: string,
            urgency: string,
            ago: number,
          ) => {
            const at = formatDateTime(new Date(Date.now() - ago * 60_000));
            const rec = sim.store.insert(
              'incident',
              {
                short_description: `Unassigned ${name} from the fault matrix`,
                impact,
                urgency,
                opened_at: at,
              },
              { user: 'admin' },
            );
            // created then, so the first sync (whose window ends a minute ago) reads it
            Object.assign(sim.store.row('incident', rec.sys_id)!, {
              sys_created_on: at,
              sys_updated_on: at,
            });
            created[name] = rec.sys_id;
          };
          open('P1', '1', '1', 2);
          open('P2', '1', '2', 2);
          open('P3 past 30 min', '2', '2', 31);
          open('P3 new', '2', '2', 5);
        },
        check: async ({ knex, sut }) => {
          const groupOf = (sysId: string) => {
            const group = sut.sim.store.get(
              'incident',
              sysId,
            )!.assignment_group;
            return sut.sim.store.get('sys_user_group', group)?.name ?? group;
          };
          expect({
            P1: groupOf(created.P1),
            P2: groupOf(created.P2),
            P3: groupOf(created['P3 past 30 min']),
            'P3 new': groupOf(created['P3 new']),
          }).toEqual({
            P1: GROUPS.L3,
            P2: GROUPS.L2,
            P3: GROUPS.L2,
            'P3 new': '',
          });
          // one decision each, explained as triage
          const decisions = await knex('incident_escalations')
            .whereIn('source_id', Object.values(created))
            .where({ action: 'escalate' })
            .select('source_id', 'explanation');
          expect(decisions.map(d => d.source_id).sort()).toEqual(
            [created.P1, created.P2, created['P3 past 30 min']].sort(),
          );
          for (const d of decisions) expect(d.explanation).toMatch(/triage/);
        },
      });
    },
  );
});
