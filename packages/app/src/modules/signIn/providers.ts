import type { ConfigApi } from '@backstage/frontend-plugin-api';

/** A sign-in option the sign-in page offers. */
export type SignInOption =
  | 'oidc'
  | 'github'
  | 'microsoft'
  | 'guest'
  | 'development-user';

/**
 * What the sign-in page offers, from frontend-visible config (config.d.ts): a provider
 * (OIDC, GitHub, Microsoft) configured for the current `auth.environment`, and the guest and
 * the development user only in development. The
 * backend refuses the guest and the development user outside development anyway.
 */
export function signInOptions(config: ConfigApi): SignInOption[] {
  const environment =
    config.getOptionalString('auth.environment') ?? 'development';
  const configured = (id: string) =>
    config.has(`auth.providers.${id}.${environment}`);
  const options: SignInOption[] = [];
  for (const id of ['oidc', 'github', 'microsoft'] as const) {
    if (configured(id)) options.push(id);
  }
  if (environment === 'development') {
    options.push('guest');
    if (configured('development-user')) options.push('development-user');
  }
  return options;
}
