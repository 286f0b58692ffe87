import fc from 'fast-check';
import { isoMillis } from './time';

describe('isoMillis', () => {
  it('reads what toISOString writes exactly as Date.parse does', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('0001-01-01T00:00:00.000Z'),
          max: new Date('9999-12-31T23:59:59.999Z'),
          noInvalidDate: true,
        }),
        d => {
          const iso = d.toISOString();
          expect(isoMillis(iso)).toBe(Date.parse(iso));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('leaves other forms and nonsense to Date.parse', () => {
    for (const s of [
      '2026-11-24T09:30:00Z',
      '2026-11-24T10:30:00.000+01:00',
      '2026-11-24 09:30:00.000Z',
      '2026-13-01T00:00:00.000Z',
      '2026-02-31T00:00:00.000Z',
      '2026-11-24T24:00:00.000Z',
      '2026-1a-24T09:30:00.000Z',
      'not a date at all, no...',
      '',
    ]) {
      expect(isoMillis(s)).toEqual(Date.parse(s));
    }
  });
});
