export interface Config {
  auth?: {
    providers?: {
      /**
       * The OIDC sign-in provider, per auth environment. The sign-in page offers it when the
       * current environment has a block here; only the client id (public in every OAuth
       * redirect) is visible to the frontend.
       */
      oidc?: {
        [authEnvironment: string]: {
          /** @visibility frontend */
          clientId: string;
        };
      };
      /** GitHub sign-in (see oidc). */
      github?: {
        [authEnvironment: string]: {
          /** @visibility frontend */
          clientId: string;
        };
      };
      /** Microsoft Entra ID sign-in (see oidc). */
      microsoft?: {
        [authEnvironment: string]: {
          /** @visibility frontend */
          clientId: string;
        };
      };
      /**
       * Development only: sign in without a password as this catalog user
       * (packages/backend/src/auth/developmentUserProvider.ts).
       */
      'development-user'?: {
        [authEnvironment: string]: {
          /** @visibility frontend */
          userEntityRef: string;
        };
      };
    };
  };
}
