import {
  comparePriority,
  priorityFromServiceNow,
  serviceNowPriorityFromImpactUrgency,
} from './priority';

describe('priority', () => {
  it.each([
    [1, 1, 1],
    [1, 2, 2],
    [1, 3, 3],
    [2, 1, 2],
    [2, 2, 3],
    [2, 3, 4],
    [3, 1, 3],
    [3, 2, 4],
    [3, 3, 5],
  ])('impact %i x urgency %i = ServiceNow priority %i', (i, u, p) => {
    expect(serviceNowPriorityFromImpactUrgency(String(i), String(u))).toBe(p);
  });

  it.each([
    ['1', 'P1'],
    ['2', 'P2'],
    ['3', 'P3'],
    ['4', 'P4'],
    ['5', 'P4'],
  ])('ServiceNow priority %s is %s', (p, expected) => {
    expect(priorityFromServiceNow({ priority: p })).toBe(expected);
  });

  it('falls back to impact x urgency when priority is missing or invalid', () => {
    expect(priorityFromServiceNow({ impact: '1', urgency: '1' })).toBe('P1');
    expect(
      priorityFromServiceNow({ priority: '9', impact: '2', urgency: '2' }),
    ).toBe('P3');
    expect(
      priorityFromServiceNow({ priority: '', impact: '3', urgency: '3' }),
    ).toBe('P4');
  });

  it('gives no answer for garbage', () => {
    expect(priorityFromServiceNow({ priority: '9' })).toBeUndefined();
    expect(priorityFromServiceNow({ priority: 'high' })).toBeUndefined();
    expect(
      priorityFromServiceNow({ impact: '0', urgency: '1' }),
    ).toBeUndefined();
    expect(priorityFromServiceNow({ priority: '1.5' })).toBeUndefined();
    expect(priorityFromServiceNow({})).toBeUndefined();
  });

  it('orders most urgent first', () => {
    expect(['P3', 'P1', 'P4', 'P2'].sort(comparePriority as any)).toEqual([
      'P1',
      'P2',
      'P3',
      'P4',
    ]);
  });
});
