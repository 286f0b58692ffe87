import {
  Content,
  ContentHeader,
  EmptyState,
  Header,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { IconButton } from '@material-ui/core';
import RefreshIcon from '@material-ui/icons/Refresh';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { incidentOpsApiRef } from '../../api/IncidentOpsApi';
import { OwnershipMatrixView } from './OwnershipMatrixView';

/**
 * The role accountability matrix for leads: every cluster and namespace × Support Engineer,
 * Evangelist, Team Lead, Kube-Admin and Vendor Liaison; inherited cells marked, gaps
 * highlighted and counted; filters by cluster and domain; CSV export.
 * @public
 */
export function OwnershipMatrixPage() {
  const api = useApi(incidentOpsApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.getOwnershipMatrix(),
    [api],
  );

  let content: JSX.Element;
  if (loading && !value) {
    content = <Progress aria-label="Loading the ownership matrix" />;
  } else if (error) {
    content = <ResponseErrorPanel error={error} />;
  } else if (!value || value.rows.length === 0) {
    content = (
      <EmptyState
        missing="data"
        title="No clusters or namespaces in the catalog"
        description="Register Resources of spec.type kubernetes-cluster and kubernetes-namespace with the incident-ops.acme.com role annotations (see docs/catalog-model.md) and they show up here."
      />
    );
  } else {
    content = <OwnershipMatrixView matrix={value} />;
  }

  return (
    <Page themeId="tool">
      <Header
        title="Ownership matrix"
        subtitle="Who holds each accountable role on every cluster and namespace"
      />
      <Content>
        <ContentHeader title="Role accountability">
          <IconButton aria-label="Refresh the ownership matrix" onClick={retry}>
            <RefreshIcon />
          </IconButton>
        </ContentHeader>
        {content}
      </Content>
    </Page>
  );
}
