import { InfoCard } from '@backstage/core-components';
import type { UnmappedGroup } from '../../api/IncidentOpsApi';
import { Loaded, LoadState } from './Loaded';
import { UnmappedGroupsTable } from './UnmappedGroupsTable';

/**
 * The assignment groups that map to no tier, and the tickets with no group, with their open
 * tickets (at L1 for triage) and how to give them a tier.
 */
export function UnmappedGroupsCard(props: {
  state: LoadState<{ items: UnmappedGroup[] }>;
}) {
  return (
    <InfoCard
      title="Assignment groups with no tier"
      subheader="Their open tickets are at L1 for triage: P1 goes to L3 and P2 to L2 at once, P3 and P4 after L1's limit"
      noPadding
    >
      <Loaded state={props.state} label="Loading assignment groups">
        {({ items }) => <UnmappedGroupsTable items={items} />}
      </Loaded>
    </InfoCard>
  );
}
