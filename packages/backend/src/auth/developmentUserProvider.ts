import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  authProvidersExtensionPoint,
  createOAuthAuthenticator,
  createOAuthProviderFactory,
} from '@backstage/plugin-auth-node';

/** The provider id: `/api/auth/development-user`, the frontend's `developmentUserAuthApiRef`. */
export const DEVELOPMENT_USER_PROVIDER_ID = 'development-user';

interface DevelopmentUser {
  userEntityRef: string;
}

interface Context extends DevelopmentUser {
  callbackUrl: string;
}

const session = () => ({
  accessToken: 'development',
  tokenType: 'bearer',
  scope: '',
  expiresInSeconds: 3600,
  refreshToken: 'development',
});

/**
 * Signs in, without a password, as the catalog user named at
 * `auth.providers.development-user.development.userEntityRef`: a second identity next to
 * the guest for trying the app (and its e2e tests) as someone else. It speaks the OAuth
 * flow the frontend's OAuth2 client knows, with no identity provider behind it: `start`
 * sends the pop-up straight back to the handler.
 */
const developmentUserAuthenticator = createOAuthAuthenticator<
  Context,
  DevelopmentUser
>({
  initialize({ config, callbackUrl }) {
    return { userEntityRef: config.getString('userEntityRef'), callbackUrl };
  },
  async start({ state }, { callbackUrl }) {
    return {
      url: `${callbackUrl}?${new URLSearchParams({
        state,
        code: 'development',
      })}`,
    };
  },
  async authenticate(_input, { userEntityRef }) {
    return { fullProfile: { userEntityRef }, session: session() };
  },
  async refresh(_input, { userEntityRef }) {
    return { fullProfile: { userEntityRef }, session: session() };
  },
  async defaultProfileTransform(result, ctx) {
    const { entity } = await ctx.findCatalogUser({
      entityRef: result.fullProfile.userEntityRef,
    });
    const profile = (entity.spec?.profile ?? {}) as {
      displayName?: string;
      email?: string;
    };
    return {
      profile: {
        displayName: profile.displayName ?? entity.metadata.name,
        email: profile.email,
      },
    };
  },
});

/**
 * Registers the development user sign-in, only when `auth.environment` is `development`
 * (the default). app-config.production.yaml sets `production`, so it never exists there.
 */
export const authModuleDevelopmentUserProvider = createBackendModule({
  pluginId: 'auth',
  moduleId: 'development-user-provider',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: authProvidersExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ providers, config, logger }) {
        const environment =
          config.getOptionalString('auth.environment') ?? 'development';
        if (environment !== 'development') {
          return;
        }
        if (!config.has(`auth.providers.${DEVELOPMENT_USER_PROVIDER_ID}`)) {
          return;
        }
        logger.warn(
          `Sign-in as a development user without a password is on (auth.providers.${DEVELOPMENT_USER_PROVIDER_ID}); never configure it in production`,
        );
        providers.registerProvider({
          providerId: DEVELOPMENT_USER_PROVIDER_ID,
          factory: createOAuthProviderFactory({
            authenticator: developmentUserAuthenticator,
            signInResolver: async ({ result }, ctx) =>
              ctx.signInWithCatalogUser({
                entityRef: result.fullProfile.userEntityRef,
              }),
          }),
        });
      },
    });
  },
});
