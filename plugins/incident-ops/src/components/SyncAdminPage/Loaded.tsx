import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import type { ReactNode } from 'react';

/** What a section of the page loads (react-use's async state). */
export interface LoadState<T> {
  value?: T;
  loading: boolean;
  error?: Error;
}

/**
 * One section of the page: progress while it first loads, the error when loading failed,
 * otherwise `children` with what was loaded.
 */
export function Loaded<T>(props: {
  state: LoadState<T>;
  /** What the progress bar says to screen readers. */
  label: string;
  children: (value: T) => ReactNode;
}) {
  const { value, loading, error } = props.state;
  if (loading && value === undefined)
    return <Progress aria-label={props.label} />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (value === undefined) return null;
  return <>{props.children(value)}</>;
}
