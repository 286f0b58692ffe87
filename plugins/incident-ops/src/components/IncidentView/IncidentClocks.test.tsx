import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { detail } from '../__fixtures__/incidents';
import { IncidentClocks } from './IncidentClocks';

const MIN = 60_000;

describe('IncidentClocks', () => {
  it('says the tier clock of a ticket at triage runs at L1 for triage', async () => {
    const base = detail({ tier: 'L1' });
    await renderInTestApp(
      <IncidentClocks
        incident={{
          ...base,
          timeline: {
            ...base.timeline!,
            clocks: {
              ...base.timeline!.clocks!,
              tier: {
                tier: 'L1',
                triage: true,
                used: 10 * MIN,
                paused: 0,
                limit: 30 * MIN,
                left: 20 * MIN,
                breached: false,
              },
            },
          },
        }}
      />,
    );
    expect(
      screen.getByRole('rowheader', {
        name: 'At L1 · triage (auto-escalation)',
      }),
    ).toBeInTheDocument();
  });

  it('names the tier alone otherwise', async () => {
    await renderInTestApp(<IncidentClocks incident={detail()} />);
    expect(
      screen.getByRole('rowheader', { name: 'At L2 (auto-escalation)' }),
    ).toBeInTheDocument();
  });
});
