import { Request, Response } from 'express';

/** The body ServiceNow sends with every error. */
export function envelope(message: string, detail: string = '') {
  return { error: { message, detail }, status: 'failure' };
}

/** The first string value of a query parameter. */
export function first(v: unknown): string | undefined {
  if (Array.isArray(v)) return first(v[0]);
  return typeof v === 'string' ? v : undefined;
}

export function baseUrl(req: Request): string {
  return `${req.protocol}://${req.get('host')}`;
}

export function unauthorized(res: Response) {
  res
    .status(401)
    .set('WWW-Authenticate', 'BASIC realm="Service-now"')
    .json(
      envelope(
        'User Not Authenticated',
        'Required to provide Auth information',
      ),
    );
}
