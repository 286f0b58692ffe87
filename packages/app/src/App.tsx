import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import incidentOpsPlugin from '@acme/plugin-incident-ops/alpha';
import { navModule } from './modules/nav';
import { signInModule } from './modules/signIn';

export default createApp({
  features: [catalogPlugin, incidentOpsPlugin, navModule, signInModule],
});
