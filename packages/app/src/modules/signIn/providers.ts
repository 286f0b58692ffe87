import type { ConfigApi } from '@backstage/frontend-plugin-api';

/** A sign-in option the sign-in page offers. */
export type SignInOption = 'oidc' | 'guest' | 'development-user';

/**
 * What the sign-in page offers, from frontend-visible config (config.d.ts): a provider
 * configured for the current `auth.environment`, and the guest only in development. The
 * backend refuses the guest and the development user outside development anyway.
 */
export function signInOptions(config: ConfigApi): SignInOption[] {
  const environment =
    config.getOptionalString('auth.environment') ?? 'development';
  const configured = (id: string) =>
    config.has(`auth.providers.${id}.${environment}`);
  const options: SignInOption[] = [];
  if (configured('oidc')) options.push('oidc');
  if (environment === 'development') {
    options.push('guest');
    if (configured('development-user')) options.push('development-user');
  }
  return options;
}
