import {
  formatDurationMs,
  formatSeconds,
  formatTimestamp,
  formatWhen,
  lagLabel,
} from './format';

describe('sync formatting', () => {
  it.each([
    [0, '0 s'],
    [45, '45 s'],
    [60, '1 min'],
    [90, '1 min 30 s'],
    [3600, '1 h'],
    [7260, '2 h 1 min'],
    [90_061, '1 d 1 h'],
  ])('formats %i seconds as "%s"', (seconds, expected) => {
    expect(formatSeconds(seconds)).toBe(expected);
  });

  it('formats run durations', () => {
    expect(formatDurationMs(850)).toBe('850 ms');
    expect(formatDurationMs(4200)).toBe('4.2 s');
    expect(formatDurationMs(64_000)).toBe('1 min 4 s');
  });

  it('says how far behind a source the sync is', () => {
    expect(lagLabel('servicenow', 90)).toBe('1 min 30 s behind ServiceNow');
    expect(lagLabel('servicenow', 0)).toBe('Up to date with ServiceNow');
    expect(lagLabel('jira')).toBe('No complete sync window with jira yet');
  });

  it('formats timestamps in UTC with their age', () => {
    expect(formatTimestamp('2025-03-04T09:15:02.123Z')).toBe(
      '2025-03-04 09:15:02 UTC',
    );
    expect(
      formatWhen('2025-03-04T09:15:02Z', new Date('2025-03-04T12:15:02Z')),
    ).toBe('2025-03-04 09:15:02 UTC (3 h ago)');
    expect(formatTimestamp('not a date')).toBe('not a date');
  });
});
