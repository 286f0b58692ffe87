import { ResponseError } from '@backstage/errors';

/** What the backend said about a refused request, for the person who asked. */
export function messageOf(error: unknown): string {
  if (ResponseError.is(error)) {
    return error.body?.error?.message ?? error.message;
  }
  return error instanceof Error ? error.message : String(error);
}
