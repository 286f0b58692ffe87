import { Box, Typography } from '@material-ui/core';
import CheckCircleOutline from '@material-ui/icons/CheckCircleOutline';
import type { ReactNode } from 'react';

/** A card's "nothing to do" line, with a check mark. */
export function AllClear(props: { children: ReactNode }) {
  return (
    <Box display="flex" alignItems="center" p={2} gridGap={8}>
      <CheckCircleOutline color="primary" />
      <Typography>{props.children}</Typography>
    </Box>
  );
}
