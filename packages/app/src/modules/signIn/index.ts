import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { developmentUserAuthApi, oidcAuthApi } from './apis';
import { signInPage } from './SignInPage';

/** Sign-in: OIDC when configured, the guest and a development user in development. */
export const signInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [oidcAuthApi, developmentUserAuthApi, signInPage],
});
