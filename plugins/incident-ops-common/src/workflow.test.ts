import fc from 'fast-check';
import {
  INCIDENT_STATUSES,
  IncidentStatus,
  SERVICENOW_HOLD_REASON,
  SERVICENOW_STATE,
  allowedTransitions,
  canTransition,
  isIncidentStatus,
  isOpenStatus,
  serviceNowStateFor,
  statusFromServiceNow,
} from './workflow';

const legal: Array<[IncidentStatus, IncidentStatus]> = [
  ['unassigned', 'work-in-progress'],
  ['unassigned', 'escalated'],
  ['work-in-progress', 'awaiting-customer'],
  ['work-in-progress', 'escalated'],
  ['work-in-progress', 'resolved'],
  ['awaiting-customer', 'work-in-progress'],
  ['awaiting-customer', 'escalated'],
  ['awaiting-customer', 'resolved'],
  ['escalated', 'work-in-progress'],
  ['resolved', 'work-in-progress'],
  ['resolved', 'closed'],
];

const key = (from: string, to: string) => `${from} -> ${to}`;
const legalKeys = new Set(legal.map(([f, t]) => key(f, t)));
const illegal = INCIDENT_STATUSES.flatMap(from =>
  INCIDENT_STATUSES.map(to => [from, to] as [IncidentStatus, IncidentStatus]),
).filter(([f, t]) => !legalKeys.has(key(f, t)));

describe('status workflow', () => {
  it('has 11 legal and 25 illegal transitions among the 6 statuses', () => {
    expect(legal).toHaveLength(11);
    expect(illegal).toHaveLength(36 - 11);
  });

  it.each(legal)('allows %s -> %s', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
    expect(allowedTransitions(from)).toContain(to);
  });

  it.each(illegal)('refuses %s -> %s', (from, to) => {
    expect(canTransition(from, to)).toBe(false);
    expect(allowedTransitions(from)).not.toContain(to);
  });

  it('never allows staying in the same status or leaving closed', () => {
    for (const s of INCIDENT_STATUSES) {
      expect(canTransition(s, s)).toBe(false);
    }
    expect(allowedTransitions('closed')).toEqual([]);
  });

  it('leaves escalated only by the receiving tier starting work', () => {
    expect(allowedTransitions('escalated')).toEqual(['work-in-progress']);
  });

  it('knows which statuses are open', () => {
    expect(INCIDENT_STATUSES.filter(isOpenStatus)).toEqual([
      'unassigned',
      'work-in-progress',
      'awaiting-customer',
      'escalated',
    ]);
  });

  it('recognises status strings', () => {
    expect(isIncidentStatus('escalated')).toBe(true);
    expect(isIncidentStatus('Escalated')).toBe(false);
    expect(isIncidentStatus(undefined)).toBe(false);
  });

  it('every reachable status can be reached from unassigned', () => {
    const seen = new Set<IncidentStatus>(['unassigned']);
    const queue: IncidentStatus[] = ['unassigned'];
    while (queue.length) {
      for (const next of allowedTransitions(queue.shift()!)) {
        if (!seen.has(next)) {
          seen.add(next);
          queue.push(next);
        }
      }
    }
    expect([...seen].sort()).toEqual([...INCIDENT_STATUSES].sort());
  });
});

describe('ServiceNow state mapping', () => {
  it.each([
    ['1', undefined, 'unassigned'],
    ['2', undefined, 'work-in-progress'],
    ['3', '1', 'awaiting-customer'],
    ['3', '3', 'work-in-progress'],
    ['3', '4', 'work-in-progress'],
    ['3', '5', 'work-in-progress'],
    ['6', undefined, 'resolved'],
    ['7', undefined, 'closed'],
    ['8', undefined, 'closed'],
  ])('state %s hold %s -> %s', (state, hold, status) => {
    expect(statusFromServiceNow(state, hold)).toBe(status);
  });

  it('returns undefined for unknown states', () => {
    expect(statusFromServiceNow('4')).toBeUndefined();
    expect(statusFromServiceNow('')).toBeUndefined();
    expect(statusFromServiceNow('In Progress')).toBeUndefined();
  });

  it.each([
    ['unassigned', '1', ''],
    ['work-in-progress', '2', ''],
    ['escalated', '2', ''],
    ['awaiting-customer', '3', '1'],
    ['resolved', '6', ''],
    ['closed', '7', ''],
  ] as const)('%s -> state %s hold %s', (status, state, hold) => {
    expect(serviceNowStateFor(status)).toEqual({ state, hold_reason: hold });
  });

  it('round-trips every status except escalated, which ServiceNow cannot hold', () => {
    fc.assert(
      fc.property(fc.constantFrom(...INCIDENT_STATUSES), status => {
        const sn = serviceNowStateFor(status);
        const back = statusFromServiceNow(sn.state, sn.hold_reason);
        expect(back).toBe(status === 'escalated' ? 'work-in-progress' : status);
      }),
    );
  });

  it('uses the documented codes', () => {
    expect(SERVICENOW_STATE).toEqual({
      new: '1',
      inProgress: '2',
      onHold: '3',
      resolved: '6',
      closed: '7',
      canceled: '8',
    });
    expect(Object.values(SERVICENOW_HOLD_REASON)).not.toContain('2');
  });
});
