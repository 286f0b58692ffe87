import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { Box } from '@material-ui/core';
import type { ReactNode } from 'react';

/** What a card of the page loads (react-use's async state). */
export interface LoadState<T> {
  value?: T;
  loading: boolean;
  error?: Error;
}

/**
 * A card of the page: progress while what it shows first loads, the error when loading
 * failed, otherwise `children` with what was loaded; then `footer`.
 */
export function LoadedCard<T>(props: {
  title: string;
  subheader: ReactNode;
  state: LoadState<T>;
  /** What the progress bar says to screen readers. */
  loadingLabel: string;
  children: (value: T) => ReactNode;
  footer?: ReactNode;
}) {
  const { value, loading, error } = props.state;
  let content: ReactNode = null;
  if (loading && value === undefined) {
    content = <Progress aria-label={props.loadingLabel} />;
  } else if (error) {
    content = <ResponseErrorPanel error={error} />;
  } else if (value !== undefined) {
    content = props.children(value);
  }
  return (
    <Box mt={3}>
      <InfoCard title={props.title} subheader={props.subheader} noPadding>
        {content}
        {props.footer}
      </InfoCard>
    </Box>
  );
}
