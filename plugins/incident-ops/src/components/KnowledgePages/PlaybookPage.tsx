import { Header, Link } from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { useParams } from 'react-router-dom';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { incidentOpsApiRef } from '../../api/IncidentOpsApi';
import { playbooksRouteRef } from '../../routes';
import { PageShell } from '../common/PageShell';
import { PlaybookContent } from './PlaybookContent';

/**
 * A playbook at `/incident-ops/playbooks/:id`, where Backstage search links to: its summary,
 * the ticket types it runs for, each step in order with its kind, instructions, checks and
 * templates, the placeholders named.
 * @public
 */
export function PlaybookPage() {
  const { id = '' } = useParams();
  const api = useApi(incidentOpsApiRef);
  const playbooks = useRouteRef(playbooksRouteRef);
  const state = useAsyncRetry(() => api.getPlaybookDefinition(id), [api, id]);
  const { value } = state;
  return (
    <PageShell
      state={state}
      header={
        <Header
          title={value ? `${value.title} playbook` : id}
          type="Playbooks"
          typeLink={playbooks()}
          pageTitleOverride={value ? `${value.title} playbook` : 'Playbook'}
        />
      }
      loadingLabel="Loading the playbook"
      notFound={{
        title: `No playbook ${id}`,
        description:
          'There is no playbook with this id in the playbooks folder. The list shows the playbooks there are.',
        action: <Link to={playbooks()}>All playbooks</Link>,
      }}
    >
      {playbook => <PlaybookContent playbook={playbook} />}
    </PageShell>
  );
}
