/**
 * A fetch for `MockFetchApi` that hands `impl` the URL and init of each request, however
 * the client made it (the typed client sends Request objects): the method, the headers,
 * and the body as text.
 */
export function fetchByUrl(
  impl: (url: string, init: RequestInit) => Promise<Response>,
): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    return impl(request.url, {
      method: request.method,
      headers: request.headers,
      ...(request.body ? { body: await request.text() } : {}),
    });
  };
}
