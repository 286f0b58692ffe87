import { renderInTestApp } from '@backstage/test-utils';
import { Table, TableBody } from '@material-ui/core';
import { screen } from '@testing-library/react';
import { queueItem } from '../../__fixtures__/incidents';
import { IncidentSummaryRow } from './IncidentSummaryRow';

function renderRow(
  incident: Parameters<typeof IncidentSummaryRow>[0]['incident'],
) {
  return renderInTestApp(
    <Table>
      <TableBody>
        <IncidentSummaryRow
          incident={incident}
          testId="row"
          tierNote="L2 in 20 min"
        >
          {incident.number}
        </IncidentSummaryRow>
      </TableBody>
    </Table>,
  );
}

describe('IncidentSummaryRow', () => {
  it('shows a ticket at triage as "L1 · triage", then the tier note', async () => {
    await renderRow({
      ...queueItem({ tier: 'L1', assignmentGroup: undefined }),
      triage: true,
    });
    expect(screen.getByTestId('row')).toHaveTextContent(
      'L1 · triage · L2 in 20 min',
    );
    expect(screen.getByLabelText('tier L1')).toBeInTheDocument();
  });

  it('shows a tier without triage, and "no tier" without one', async () => {
    await renderRow(queueItem({ tier: 'L2' }));
    expect(screen.getByTestId('row')).toHaveTextContent('L2 · L2 in 20 min');
    expect(screen.getByTestId('row')).not.toHaveTextContent('triage');
  });

  it('says "no tier" for a closed ticket with none', async () => {
    await renderRow(queueItem({ tier: undefined, status: 'closed' }));
    expect(screen.getByTestId('row')).toHaveTextContent('no tier');
  });
});
