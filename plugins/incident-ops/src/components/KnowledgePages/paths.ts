/**
 * Where the knowledge pages live in the app. The backend's search collator writes the same
 * paths as its documents' locations, so a search hit and a link from the incident view land
 * on the same page.
 */
export const PLAYBOOKS_PATH = '/incident-ops/playbooks';

/** The page of a knowledge article, by its number or repository id. */
export function kbArticlePath(id: string): string {
  return `/incident-ops/kb/${encodeURIComponent(id)}`;
}

/** The page of a playbook, by its id. */
export function playbookPath(id: string): string {
  return `${PLAYBOOKS_PATH}/${encodeURIComponent(id)}`;
}

/** Whether a request failed because what it asked for does not exist (HTTP 404). */
export function isNotFound(error: unknown): boolean {
  const e = error as { statusCode?: number; name?: string } | undefined;
  return e?.statusCode === 404 || e?.name === 'NotFoundError';
}
