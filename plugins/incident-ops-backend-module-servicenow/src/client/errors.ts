/**
 * What the client throws. Two families:
 * - final answers from ServiceNow ({@link ServiceNowAuthError}, {@link ServiceNowRequestError}):
 *   the same request will get the same answer;
 * - transient failures ({@link ServiceNowUnavailableError} and its subclasses): worth trying
 *   again later, not before `retryAfter` when it is set.
 */

/** ServiceNow refused the credentials (401) or the access (403): retrying will not help. */
export class ServiceNowAuthError extends Error {
  name = 'ServiceNowAuthError';
  constructor(
    message: string,
    /** 401 or 403; absent for a refused OAuth token request. */
    readonly status?: number,
  ) {
    super(message);
  }
}

/**
 * ServiceNow answered a 4xx other than 401, 403, 408, 409 and 429: it read the request and
 * refused it (a business rule, a data policy, a missing record). `message` and `detail` are
 * ServiceNow's own, from its error envelope.
 */
export class ServiceNowRequestError extends Error {
  name = 'ServiceNowRequestError';
  constructor(
    message: string,
    readonly status: number,
    readonly snMessage: string,
    readonly snDetail: string,
  ) {
    super(message);
  }
}

/** ServiceNow kept failing (5xx, timeouts, resets, 408, 409): try again later. */
export class ServiceNowUnavailableError extends Error {
  name = 'ServiceNowUnavailableError';
  constructor(
    message: string,
    /** Not before this, when ServiceNow said so. */
    readonly retryAfter?: Date,
  ) {
    super(message);
  }
}

/**
 * A 429 whose wait is longer than the client may sleep (or that kept coming): the caller
 * should leave the rest of its work to a later run, not before `retryAfter`.
 */
export class ServiceNowRateLimitError extends ServiceNowUnavailableError {
  name = 'ServiceNowRateLimitError';
  constructor(message: string, readonly retryAfter: Date) {
    super(message, retryAfter);
  }
}

/**
 * A write (PATCH, POST) whose answer was lost: a 5xx, a timeout or a reset after the request
 * was sent. ServiceNow may have applied it. The client never sends it again by itself: look
 * whether it landed first.
 */
export class ServiceNowUncertainWriteError extends ServiceNowUnavailableError {
  name = 'ServiceNowUncertainWriteError';
}
