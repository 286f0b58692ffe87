import { slaClock } from '@acme/plugin-incident-ops-common';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useSignal } from '@backstage/plugin-signals-react';
import { Box, Grid } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { useEffect, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { incidentOpsApiRef } from '../../api/IncidentOpsApi';
import { INCIDENT_SIGNAL_CHANNEL, IncidentChangedSignal } from '../../signals';
import { IncidentActions } from './Actions';
import { Timeline } from './Timeline';
import { PlaybookPanel } from './PlaybookPanel';
import { KbPanel } from './KbPanel';
import { CommunicationsPanel } from './CommunicationsPanel';
import { VendorPanel } from './VendorPanel';
import { ContactsPanel } from './ContactsPanel';
import { SurveyPanel } from './SurveyPanel';
import { IncidentClocks } from './IncidentClocks';
import { IncidentHeading } from './IncidentHeading';
import { TicketFactsCard } from './TicketFactsCard';

/**
 * One incident for the support engineer working it: what it is and where, its clocks, the
 * moves legal now and the escalate dialog (for those allowed), and its timeline with the
 * reason for each escalation. Refreshes on the `incident-ops:incident` signal for it.
 * @public
 */
export function IncidentView(props: {
  number: string;
  /** The entity it is on, when known (the Ops tab knows): its contact tree is shown. */
  entityRef?: string;
  /** Called after a change made here. */
  onChanged?: () => void;
}) {
  const { number, entityRef, onChanged } = props;
  const api = useApi(incidentOpsApiRef);
  // Bumped on every change made here or signalled: each section re-reads.
  const [version, setVersion] = useState(0);
  const detail = useAsyncRetry(
    () => api.getIncident(number),
    [api, number, version],
  );
  const [notice, setNotice] = useState<string>();
  const [unverified, setUnverified] = useState<string[]>([]);

  const { lastSignal } = useSignal<IncidentChangedSignal>(
    INCIDENT_SIGNAL_CHANNEL,
  );
  useEffect(() => {
    if (lastSignal && (!lastSignal.number || lastSignal.number === number)) {
      setVersion(v => v + 1);
    }
  }, [lastSignal, number]);

  const changed = (message: string) => {
    setNotice(message);
    setVersion(v => v + 1);
    onChanged?.();
  };

  if (detail.loading && !detail.value) {
    return <Progress aria-label={`Loading ${number}`} />;
  }
  if (detail.error) {
    return <ResponseErrorPanel error={detail.error} />;
  }
  const incident = detail.value!;
  const now = new Date();
  // A closed ticket is final: its playbook, knowledge and vendor cases are kept as they are.
  const workable = incident.status !== 'closed';
  const sla = incident.timeline?.clocks
    ? slaClock(incident.timeline.clocks, incident.status, now)
    : undefined;

  return (
    <Grid container spacing={2}>
      <Grid item xs={12}>
        <IncidentHeading incident={incident} sla={sla} />
      </Grid>

      <Grid item xs={12}>
        <div aria-live="polite">
          {notice && (
            <Box mb={1}>
              <Alert severity="success" onClose={() => setNotice(undefined)}>
                {notice}
              </Alert>
            </Box>
          )}
        </div>
        <IncidentActions
          number={incident.number}
          status={incident.status}
          tier={incident.tier}
          unverified={unverified}
          onChanged={changed}
        />
      </Grid>

      <Grid item xs={12} md={6}>
        <TicketFactsCard incident={incident} now={now} />
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard title="Clocks" noPadding>
          <Box p={1}>
            <IncidentClocks incident={incident} />
          </Box>
        </InfoCard>
      </Grid>

      {(incident.status === 'resolved' || incident.status === 'closed') && (
        <Grid item xs={12}>
          <InfoCard
            title="Post-resolution survey"
            subheader="How the requestor rates the resolution"
          >
            <SurveyPanel
              number={number}
              version={version}
              requestorName={incident.caller?.name}
              onChanged={changed}
            />
          </InfoCard>
        </Grid>
      )}

      <Grid item xs={12}>
        <InfoCard title="Playbook" subheader="What to do, step by step">
          <PlaybookPanel
            number={number}
            workable={workable}
            version={version}
            onChanged={changed}
            onLoaded={v => setUnverified(v.run ? v.unverified : [])}
          />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard title="Knowledge" subheader="Suggested articles, best first">
          <KbPanel
            number={number}
            version={version}
            workable={workable}
            onChanged={changed}
          />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard
          title="Communication"
          subheader="Updates owed to stakeholders"
        >
          <CommunicationsPanel
            number={number}
            version={version}
            onChanged={changed}
          />
        </InfoCard>
        <Box mt={2}>
          <InfoCard title="Vendor" subheader="Cases with Tanzu or AWS">
            <VendorPanel
              number={number}
              version={version}
              onChanged={changed}
            />
          </InfoCard>
        </Box>
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Contacts" subheader="Who to reach, level by level">
          <ContactsPanel incident={incident} entityRef={entityRef} />
        </InfoCard>
      </Grid>

      <Grid item xs={12}>
        <InfoCard
          title="Timeline"
          subheader="What happened and why it is where it is"
        >
          <Timeline entries={incident.timeline?.events ?? []} />
        </InfoCard>
      </Grid>
    </Grid>
  );
}
