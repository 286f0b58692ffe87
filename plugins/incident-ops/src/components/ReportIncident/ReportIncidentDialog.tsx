import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import {
  Divider,
  Grid,
  MenuItem,
  TextField,
  Typography,
  makeStyles,
} from '@material-ui/core';
import { useId, useMemo, useRef, useState } from 'react';
import {
  IncidentReport,
  KnowledgeSuggestion,
  incidentOpsApiRef,
} from '../../api/IncidentOpsApi';
import { DialogForm } from '../common/DialogForm';
import { ErrorAlert } from '../common/ErrorAlert';
import { messageOf } from '../common/messages';
import { NoteField } from '../common/NoteField';
import { useAction } from '../common/useAction';
import { DraftSuggestions } from './DraftSuggestions';
import { EntityChooser } from './EntityChooser';
import { newClientKey } from './clientKey';
import { ciOf, entityKindName, entityTitle } from './entities';
import {
  IMPACT_LABEL,
  LEVELS,
  Level,
  URGENCY_LABEL,
  priorityOf,
} from './levels';
import { PriorityPreview } from './PriorityPreview';
import { ReportStatusDialog } from './ReportStatusDialog';
import { useDraftPreview } from './useDraftPreview';

const useStyles = makeStyles(theme => ({
  side: {
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(2),
    paddingTop: theme.spacing(2),
  },
  affected: { marginTop: theme.spacing(2) },
  secondary: { color: theme.palette.text.secondary },
}));

/** The longest short description ServiceNow keeps. */
const SHORT_DESCRIPTION_MAX = 160;

/**
 * Reports an incident on a cluster, namespace or service. As it is typed the backend says
 * what it would be (priority, tier, cadence, ticket type) and which knowledge articles and
 * playbook match; "This solved it" on an article records a deflection and closes the form.
 * Submitting sends the form's one client key however often it is sent, then shows whether
 * the ticket is queued or filed.
 */
export function ReportIncidentDialog(props: {
  /** The affected entity; without it the form asks for one. */
  entity?: Entity;
  onClose: () => void;
  /** Heard when the report is accepted, and again when it is filed or refused. */
  onReported?: (report: IncidentReport) => void;
}) {
  const { onClose, onReported } = props;
  const classes = useStyles();
  const api = useApi(incidentOpsApiRef);
  const alertApi = useApi(alertApiRef);
  const [clientKey] = useState(newClientKey);
  const [chosen, setChosen] = useState<Entity | undefined>(props.entity);
  const [shortDescription, setShortDescription] = useState('');
  const [description, setDescription] = useState('');
  const [impact, setImpact] = useState<Level>('3');
  const [urgency, setUrgency] = useState<Level>('3');
  const [report, setReport] = useState<IncidentReport>();
  const sending = useRef(false);
  const deflection = useAction();
  const summaryId = useId();
  const descriptionId = useId();
  const impactId = useId();
  const urgencyId = useId();

  const entityRef = chosen ? stringifyEntityRef(chosen) : undefined;
  const summary = shortDescription.trim();
  const details = description.trim();
  const draft = useMemo(
    () =>
      summary
        ? {
            shortDescription: summary,
            description: details || undefined,
            impact,
            urgency,
            entityRef,
          }
        : undefined,
    [summary, details, impact, urgency, entityRef],
  );
  const preview = useDraftPreview(draft);

  if (report) {
    return (
      <ReportStatusDialog
        report={report}
        onSettled={settled => onReported?.(settled)}
        onClose={onClose}
      />
    );
  }

  const submit = async () => {
    if (sending.current || !draft || !entityRef) return;
    sending.current = true;
    try {
      const { incident } = await api.reportIncident({
        ...draft,
        entityRef,
        clientKey,
      });
      onReported?.(incident);
      setReport(incident);
    } finally {
      sending.current = false;
    }
  };

  const solved = (article: KnowledgeSuggestion) =>
    deflection.run(async () => {
      await api.recordDeflection({
        articleId: article.articleId,
        text: [summary, details].filter(Boolean).join('\n\n'),
        entityRef,
        ticketType: preview.value?.ticketType?.id,
      });
      alertApi.post({
        message: `Glad "${article.title}" solved it: no ticket was filed.`,
        severity: 'success',
        display: 'transient',
      });
      onClose();
    });

  return (
    <DialogForm
      title={
        props.entity
          ? `Report an incident on ${entityTitle(props.entity)}`
          : 'Report an incident'
      }
      submitLabel="Report the incident"
      busyLabel="Reporting…"
      ready={!!draft && !!entityRef}
      onSubmit={submit}
      onClose={onClose}
      maxWidth="md"
    >
      <Grid container spacing={3}>
        <Grid item xs={12} md={7}>
          {props.entity ? (
            <Typography variant="body2" className={classes.affected}>
              On the {entityKindName(props.entity)}{' '}
              <strong>{entityTitle(props.entity)}</strong>
            </Typography>
          ) : (
            <EntityChooser value={chosen} onChange={setChosen} />
          )}
          <TextField
            id={summaryId}
            label="Short description"
            value={shortDescription}
            onChange={e => setShortDescription(e.target.value)}
            required
            fullWidth
            margin="normal"
            inputProps={{ maxLength: SHORT_DESCRIPTION_MAX }}
            helperText={`What is wrong, in a line (${shortDescription.length}/${SHORT_DESCRIPTION_MAX})`}
          />
          <NoteField
            id={descriptionId}
            label="Description"
            value={description}
            onChange={e => setDescription(e.target.value)}
            minRows={4}
            helperText="What you see, since when, what you tried; hosts, ports and error messages help"
          />
          <TextField
            select
            id={impactId}
            label="Impact"
            value={impact}
            onChange={e => setImpact(e.target.value as Level)}
            fullWidth
            margin="normal"
            helperText="How much is affected"
          >
            {LEVELS.map(l => (
              <MenuItem key={l} value={l}>
                {IMPACT_LABEL[l]}
              </MenuItem>
            ))}
          </TextField>
          <TextField
            select
            id={urgencyId}
            label="Urgency"
            value={urgency}
            onChange={e => setUrgency(e.target.value as Level)}
            fullWidth
            margin="normal"
            helperText="How soon it must be fixed"
          >
            {LEVELS.map(l => (
              <MenuItem key={l} value={l}>
                {URGENCY_LABEL[l]}
              </MenuItem>
            ))}
          </TextField>
        </Grid>
        <Grid item xs={12} md={5} className={classes.side}>
          <PriorityPreview
            priority={priorityOf(impact, urgency)}
            preview={preview.value}
            configurationItem={ciOf(chosen)}
            typed={!!draft}
          />
          <Divider />
          <section aria-label="Knowledge that may solve it">
            <Typography variant="subtitle2" component="h3" gutterBottom>
              May solve it
            </Typography>
            <DraftSuggestions
              preview={preview.value}
              typed={!!draft}
              busy={deflection.busy}
              onSolved={solved}
            />
          </section>
          {preview.error && (
            <Typography variant="caption" className={classes.secondary}>
              No preview: {messageOf(preview.error)}
            </Typography>
          )}
          {deflection.error && <ErrorAlert>{deflection.error}</ErrorAlert>}
        </Grid>
      </Grid>
    </DialogForm>
  );
}
