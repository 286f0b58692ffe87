import { Content, Header, Page } from '@backstage/core-components';
import { OpsQueue } from './OpsQueue';

/**
 * The Ops queue across every cluster, namespace and service, for support engineers.
 * @public
 */
export function OpsQueuePage() {
  return (
    <Page themeId="tool">
      <Header
        title="Ops queue"
        subtitle="Open incidents across the platform, breaching first"
      />
      <Content>
        <OpsQueue />
      </Content>
    </Page>
  );
}
