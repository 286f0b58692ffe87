import {
  Content,
  EmptyState,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { Button } from '@material-ui/core';
import type { ReactNode } from 'react';

/** Whether a request failed because what it asked for does not exist (HTTP 404). */
export function isNotFound(error: unknown): boolean {
  const e = error as { statusCode?: number; name?: string } | undefined;
  return e?.statusCode === 404 || e?.name === 'NotFoundError';
}

/**
 * A page of what one request loads (a knowledge article, a playbook, the playbook list):
 * the header, then progress while it loads, an empty state when there is no such thing
 * (HTTP 404) or nothing in it, the error with "Try again" when loading failed, or
 * `children` with what was loaded.
 */
export function PageShell<T>(props: {
  state: { value?: T; loading: boolean; error?: Error; retry: () => void };
  header: ReactNode;
  /** What the progress bar says to screen readers, e.g. "Loading the article". */
  loadingLabel: string;
  /** Said when the backend answers 404. */
  notFound?: { title: string; description: string; action?: JSX.Element };
  /** Said when what was loaded has nothing to show. */
  empty?: { when: (value: T) => boolean; title: string; description: string };
  children: (value: T) => ReactNode;
}) {
  const { state, header, loadingLabel, notFound, empty, children } = props;
  const { value, loading, error, retry } = state;
  let content: ReactNode;
  if (loading && !value) {
    content = <Progress aria-label={loadingLabel} />;
  } else if (error && notFound && isNotFound(error)) {
    content = <EmptyState missing="content" {...notFound} />;
  } else if (error) {
    content = (
      <>
        <ResponseErrorPanel error={error} />
        <Button onClick={retry} variant="outlined" style={{ marginTop: 16 }}>
          Try again
        </Button>
      </>
    );
  } else if (value === undefined || empty?.when(value)) {
    content = (
      <EmptyState
        missing="data"
        title={empty?.title ?? ''}
        description={empty?.description}
      />
    );
  } else {
    content = children(value);
  }
  return (
    <Page themeId="tool">
      {header}
      <Content>{content}</Content>
    </Page>
  );
}
