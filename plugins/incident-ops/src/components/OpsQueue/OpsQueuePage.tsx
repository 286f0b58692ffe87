import { Content, Header, Page } from '@backstage/core-components';
import { useState } from 'react';
import { ReportIncidentButton } from '../ReportIncident';
import { OpsQueue } from './OpsQueue';

/**
 * The Ops queue across every cluster, namespace and service, for support engineers.
 * @public
 */
export function OpsQueuePage() {
  const [reports, setReports] = useState(0);
  return (
    <Page themeId="tool">
      <Header
        title="Ops queue"
        subtitle="Open incidents across the platform, breaching first"
      >
        <ReportIncidentButton
          variant="contained"
          size="medium"
          onReported={() => setReports(n => n + 1)}
        />
      </Header>
      <Content>
        <OpsQueue version={reports} />
      </Content>
    </Page>
  );
}
