import {
  SignInPage,
  type SignInProviderConfig,
} from '@backstage/core-components';
import {
  configApiRef,
  githubAuthApiRef,
  microsoftAuthApiRef,
  useApi,
} from '@backstage/frontend-plugin-api';
import {
  SignInPageBlueprint,
  type SignInPageProps,
} from '@backstage/plugin-app-react';
import { developmentUserAuthApiRef, oidcAuthApiRef } from './apis';
import { signInOptions } from './providers';

const configs: Record<'oidc' | 'github' | 'microsoft', SignInProviderConfig> = {
  oidc: {
    id: 'oidc',
    title: 'Single sign-on',
    message: 'Sign in with your company account',
    apiRef: oidcAuthApiRef,
  },
  github: {
    id: 'github-auth-provider',
    title: 'GitHub',
    message: 'Sign in with GitHub',
    apiRef: githubAuthApiRef,
  },
  microsoft: {
    id: 'microsoft-auth-provider',
    title: 'Microsoft',
    message: 'Sign in with your Microsoft account',
    apiRef: microsoftAuthApiRef,
  },
};

/** The sign-in page: the providers that config sets up (providers.ts). */
export function IncidentOpsSignInPage(props: SignInPageProps) {
  const config = useApi(configApiRef);
  const environment =
    config.getOptionalString('auth.environment') ?? 'development';
  const providers = signInOptions(config).map(option => {
    switch (option) {
      case 'oidc':
      case 'github':
      case 'microsoft':
        return configs[option];
      case 'guest':
        return 'guest' as const;
      default:
        return {
          id: 'development-user',
          title: 'Development user',
          message: `Sign in as ${config.getString(
            `auth.providers.development-user.${environment}.userEntityRef`,
          )} (development only)`,
          apiRef: developmentUserAuthApiRef,
        };
    }
  });
  return <SignInPage {...props} providers={providers} />;
}

export const signInPage = SignInPageBlueprint.make({
  params: {
    loader: async () => IncidentOpsSignInPage,
  },
});
