import { OAuth2 } from '@backstage/core-app-api';
import {
  ApiBlueprint,
  configApiRef,
  createApiFactory,
  createApiRef,
  discoveryApiRef,
  oauthRequestApiRef,
  type ApiRef,
  type BackstageIdentityApi,
  type OpenIdConnectApi,
  type ProfileInfoApi,
  type SessionApi,
} from '@backstage/frontend-plugin-api';

type SignInAuthApi = OpenIdConnectApi &
  ProfileInfoApi &
  BackstageIdentityApi &
  SessionApi;

/** Sign-in through the backend's `oidc` provider (app-config.production.yaml). */
export const oidcAuthApiRef = createApiRef<SignInAuthApi>().with({
  id: 'app.auth.oidc',
});

/**
 * Sign-in as the development user (`auth.providers.development-user`, app-config.yaml):
 * the backend's provider answers the OAuth flow without asking anything.
 */
export const developmentUserAuthApiRef = createApiRef<SignInAuthApi>().with({
  id: 'app.auth.development-user',
});

const oauth2Api = (
  api: ApiRef<SignInAuthApi>,
  provider: { id: string; title: string },
  defaultScopes: string[],
) =>
  ApiBlueprint.make({
    name: provider.id,
    params: defineParams =>
      defineParams(
        createApiFactory({
          api,
          deps: {
            discoveryApi: discoveryApiRef,
            oauthRequestApi: oauthRequestApiRef,
            configApi: configApiRef,
          },
          factory: ({ discoveryApi, oauthRequestApi, configApi }) =>
            OAuth2.create({
              configApi,
              discoveryApi,
              oauthRequestApi,
              provider: { ...provider, icon: () => null },
              environment: configApi.getOptionalString('auth.environment'),
              defaultScopes,
            }),
        }),
      ),
  });

export const oidcAuthApi = oauth2Api(
  oidcAuthApiRef,
  { id: 'oidc', title: 'Single sign-on' },
  ['openid', 'profile', 'email', 'offline_access'],
);

export const developmentUserAuthApi = oauth2Api(
  developmentUserAuthApiRef,
  { id: 'development-user', title: 'Development user' },
  [],
);
