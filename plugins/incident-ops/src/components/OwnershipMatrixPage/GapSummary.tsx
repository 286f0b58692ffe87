import {
  ACCOUNTABLE_ROLE_LABEL,
  OwnershipMatrix,
} from '@acme/plugin-incident-ops-common';
import { Box } from '@material-ui/core';
import { Alert } from '@material-ui/lab';

/** How many roles nobody holds, per role, or that every role is held. */
export function GapSummary(props: { matrix: OwnershipMatrix }) {
  const { matrix } = props;
  if (matrix.gaps.total <= 0) {
    return (
      <Box mb={2}>
        <Alert severity="success" role="status">
          Every role is held on all {matrix.rows.length} clusters and
          namespaces.
        </Alert>
      </Box>
    );
  }
  return (
    <Box mb={2}>
      <Alert severity="warning" role="status">
        <strong>
          {matrix.gaps.total} {matrix.gaps.total === 1 ? 'gap' : 'gaps'}
        </strong>{' '}
        across {matrix.rows.length} clusters and namespaces:{' '}
        {matrix.gaps.byRole
          .filter(g => g.count > 0)
          .map(g => `${ACCOUNTABLE_ROLE_LABEL[g.role]} ${g.count}`)
          .join(', ')}
        .
      </Alert>
    </Box>
  );
}
