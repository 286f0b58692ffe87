import { PolicyBook } from './PolicyBook';
import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import {
  DEFAULT_ESCALATION_POLICY,
  Incident,
} from '@acme/plugin-incident-ops-common';
import { createStores } from '../database';
import { makeIncident } from '../__fixtures__/incidents';
import { EscalationEngine } from './EscalationEngine';

jest.setTimeout(120_000);

// A day on the platform, 2026-11-24 08:00 to 2026-11-25 08:00 UTC, replayed minute by minute:
// what sync brings, what people do in the suite, and the engine ticking on the clock.
const T0 = Date.parse('2026-11-24T08:00:00Z');
const at = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return new Date(T0 + ((h - 8 + 24) % 24) * 3600_000 + m * 60_000);
};
const GROUP = {
  L1: { id: 'g1', name: 'Atlas-L1-Support' },
  L2: { id: 'g2', name: 'Atlas-L2-Platform' },
  L3: { id: 'g3', name: 'Atlas-L3-Evangelists' },
};

type Step =
  | { at: string; sync: Partial<Incident> & { number: string } }
  | { at: string; move: string; to: Incident['status']; note?: string }
  | { at: string; kbExhausted: string };

const versions = new Map<string, Incident>();
function synced(change: Partial<Incident> & { number: string }, now: Date) {
  const before = versions.get(change.number);
  const n = Number(change.number.slice(-2));
  const next = makeIncident({
    ...before,
    id: before?.id ?? String(n).padStart(32, '0'),
    shortDescription: `Replay ticket ${change.number}`,
    status: 'work-in-progress',
    sourceState: '2',
    tier: 'L1',
    assignmentGroup: GROUP.L1,
    assignedTo: { id: 'u1', name: 'Priya Raman' },
    configurationItem: { id: 'ci-abrc1l', name: 'abrc1l' },
    ticketType: 'other',
    openedAt: now.toISOString(),
    ...change,
    sourceUpdatedAt: now.toISOString(),
    syncedAt: now.toISOString(),
    sourceVersion: (before?.sourceVersion ?? 0) + 1,
  });
  versions.set(change.number, next);
  return next;
}

const runners = {
  priority: 'P2' as const,
  configurationItem: { id: 'ci-gr', name: 'abrc1l:gitlab-runners' },
  ticketType: 'gitlab-ci-access' as const,
};

const day: Step[] = [
  // a P3 nobody finishes at L1 goes to L2 after 30 minutes, and is resolved there
  { at: '08:00', sync: { number: 'INC0000001', priority: 'P3' } },
  { at: '10:50', move: 'INC0000001', to: 'work-in-progress' },
  { at: '11:00', move: 'INC0000001', to: 'resolved', note: 'Fixed' },
  // a P2 goes to L2 at once and to L3 after 60 minutes at L2; nobody resolves it today
  { at: '09:00', sync: { number: 'INC0000002', priority: 'P2' } },
  // a P1: straight to L3 and management alerted; resolved within its SLA
  { at: '10:15', sync: { number: 'INC0000003', priority: 'P1' } },
  { at: '12:40', move: 'INC0000003', to: 'work-in-progress' },
  { at: '13:00', move: 'INC0000003', to: 'resolved', note: 'Node replaced' },
  // a P3 that waits 50 minutes for the customer: its 30 minutes at L1 end at 13:20
  { at: '12:00', sync: { number: 'INC0000004', priority: 'P3' } },
  {
    at: '12:10',
    sync: {
      number: 'INC0000004',
      status: 'awaiting-customer',
      sourceState: '3',
      holdReason: '1',
    },
  },
  { at: '13:00', sync: { number: 'INC0000004', status: 'work-in-progress' } },
  // a P4 whose KB suggestions were all marked not helpful
  { at: '14:00', sync: { number: 'INC0000005', priority: 'P4' } },
  { at: '14:05', kbExhausted: 'INC0000005' },
  { at: '14:20', move: 'INC0000005', to: 'work-in-progress' },
  { at: '14:25', move: 'INC0000005', to: 'resolved', note: 'Done at L2' },
  // three P2s of one type on one namespace: the third is recurring
  { at: '15:00', sync: { number: 'INC0000006', ...runners } },
  { at: '15:20', move: 'INC0000006', to: 'work-in-progress' },
  { at: '15:30', move: 'INC0000006', to: 'resolved', note: 'Runner fixed' },
  { at: '16:00', sync: { number: 'INC0000007', ...runners } },
  { at: '16:20', move: 'INC0000007', to: 'work-in-progress' },
  { at: '16:30', move: 'INC0000007', to: 'resolved', note: 'Again' },
  { at: '17:00', sync: { number: 'INC0000008', ...runners } },
  // nobody takes this P3 in the night: L2 at 20:30, then its respond SLA (4 h) breaks at
  // midnight and moves it to L3
  {
    at: '20:00',
    sync: {
      number: 'INC0000009',
      priority: 'P3',
      status: 'unassigned',
      sourceState: '1',
      assignedTo: undefined,
    },
  },
];

const expected = [
  ['08:30', 'INC0000001', 'escalate', 'l1-to-l2-unresolved', 'L1', 'L2'],
  ['09:00', 'INC0000002', 'escalate', 'l1-to-l2-priority', 'L1', 'L2'],
  ['10:00', 'INC0000002', 'escalate', 'l2-to-l3-unresolved', 'L2', 'L3'],
  ['10:15', 'INC0000003', 'escalate', 'p1-straight-to-l3', 'L1', 'L3'],
  [
    '10:15',
    'INC0000003',
    'alert-management',
    'p1-management-alert',
    null,
    null,
  ],
  ['13:20', 'INC0000004', 'escalate', 'l1-to-l2-unresolved', 'L1', 'L2'],
  ['14:05', 'INC0000005', 'escalate', 'l1-to-l2-kb-exhausted', 'L1', 'L2'],
  ['15:00', 'INC0000006', 'escalate', 'l1-to-l2-priority', 'L1', 'L2'],
  ['16:00', 'INC0000007', 'escalate', 'l1-to-l2-priority', 'L1', 'L2'],
  ['17:00', 'INC0000008', 'escalate', 'l1-to-l2-priority', 'L1', 'L2'],
  ['17:00', 'INC0000008', 'flag-recurring', 'recurring-p2', null, null],
  ['17:00', 'INC0000002', 'sla-breach', 'sla-resolve', null, null],
  ['18:00', 'INC0000008', 'escalate', 'l2-to-l3-unresolved', 'L2', 'L3'],
  ['20:30', 'INC0000009', 'escalate', 'l1-to-l2-unresolved', 'L1', 'L2'],
  ['00:00', 'INC0000009', 'escalate', 'any-tier-sla-breach', 'L2', 'L3'],
  ['00:00', 'INC0000009', 'sla-breach', 'sla-respond', null, null],
  ['01:00', 'INC0000008', 'sla-breach', 'sla-resolve', null, null],
];

describe('a day of ticket history through the escalation engine', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  it.each(databases.eachSupportedId())(
    'makes exactly the escalations the policy calls for, at the minute they are due, %p',
    async databaseId => {
      versions.clear();
      const knex = await databases.init(databaseId);
      const database = mockServices.database({
        knex,
        migrations: { skip: false },
      });
      const {
        incidents: store,
        workflow,
        escalations,
      } = await createStores({ database });
      let clock = new Date(T0);
      const engine = new EscalationEngine({
        store: escalations,
        policies: new PolicyBook(escalations, DEFAULT_ESCALATION_POLICY),
        groupOf: tier => GROUP[tier].name,
        logger: mockServices.logger.mock(),
        now: () => clock,
      });

      const steps = [...day].sort(
        (a, b) => at(a.at).getTime() - at(b.at).getTime(),
      );
      for (let minute = 0; minute <= 24 * 60; minute++) {
        const now = new Date(T0 + minute * 60_000);
        clock = now;
        for (const step of steps.filter(
          s => at(s.at).getTime() === now.getTime(),
        )) {
          if ('sync' in step) {
            // what sync brings: the source's version, at the tier the suite has it at
            const stored = await store.getIncidentByNumber(step.sync.number);
            const change = stored
              ? {
                  ...step.sync,
                  tier: stored.tier,
                  assignmentGroup: stored.tier && GROUP[stored.tier],
                }
              : step.sync;
            await store.upsertIncidents([synced(change, clock)]);
          } else if ('move' in step) {
            await workflow.transition({
              number: step.move,
              to: step.to,
              note: step.note,
              actor: 'user:default/priya.raman',
              now: clock,
            });
          } else {
            const due = (await escalations.getDueIncident(step.kbExhausted))!;
            await workflow.recordEvent({
              source: due.source,
              sourceId: due.sourceId,
              number: due.number,
              type: 'kb-exhausted',
              note: 'Every suggested article was marked not helpful',
              now: clock,
            });
            await escalations.setEscalationDueAt([
              { incident: due, at: clock },
            ]);
          }
        }
        await engine.tick();
      }

      const decisions = await knex('incident_escalations')
        .orderBy('id')
        .select(
          'created_at',
          'number',
          'action',
          'rule',
          'from_tier',
          'to_tier',
        );
      // (the table holds UTC; the expectations are written in UTC too)
      const local = (v: unknown) =>
        new Date(v as string).toISOString().slice(11, 16);
      const order = (a: unknown[], b: unknown[]) =>
        String(a.slice(0, 4)).localeCompare(String(b.slice(0, 4)));
      const byTime = (rows: unknown[][]) =>
        [...rows].sort(
          (a, b) =>
            at(a[0] as string).getTime() - at(b[0] as string).getTime() ||
            order(a, b),
        );
      expect(
        byTime(
          decisions.map(d => [
            local(d.created_at),
            d.number,
            d.action,
            d.rule,
            d.from_tier,
            d.to_tier,
          ]),
        ),
      ).toEqual(byTime(expected));
      // and each write-back of an escalation is queued exactly once
      const queued = await knex('incident_outbox')
        .where('dedupe_key', 'like', 'escalation:%')
        .count({ n: '*' });
      expect(Number(queued[0].n)).toBe(
        expected.filter(e => e[2] === 'escalate').length,
      );
      await knex.destroy();
    },
  );
});
