import {
  incidentOpsIncidentCommunicatePermission,
  isOpenStatus,
} from '@acme/plugin-incident-ops-common';
import { ErrorAlert } from '../common/ErrorAlert';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  Box,
  Button,
  TextField,
  Typography,
  makeStyles,
} from '@material-ui/core';
import { FormEvent, useId, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  CommunicationsView,
  incidentOpsApiRef,
} from '../../api/IncidentOpsApi';
import { formatDuration, formatTime } from '../common/format';
import { useAction } from '../common/useAction';
import { IncidentPanelProps } from './panelProps';
import { breachedText } from '../common/emphasis';

const useStyles = makeStyles(theme => ({
  overdue: breachedText(theme),
  secondary: { color: theme.palette.text.secondary },
  list: { margin: theme.spacing(1, 0), paddingLeft: theme.spacing(2.5) },
  form: {
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1),
    marginTop: theme.spacing(1),
  },
}));

const KIND_LABEL = {
  'hourly-update': 'Hourly update',
  'post-mortem': 'Post-mortem',
  'daily-summary': 'Daily summary',
} as const;

/** "Hourly update due in 12 min", "Post-mortem overdue by 2 h", for the next obligation. */
export function nextDueText(
  next: NonNullable<CommunicationsView['next']>,
  now = Date.now(),
): { text: string; overdue: boolean } {
  const dueIn = next.dueInMs ?? Date.parse(next.dueAt) - now;
  const what = KIND_LABEL[next.kind];
  if (next.kind === 'daily-summary') {
    return { text: `${what} sent ${formatTime(next.dueAt)}`, overdue: false };
  }
  return dueIn < 0
    ? { text: `${what} overdue by ${formatDuration(-dueIn)}`, overdue: true }
    : { text: `${what} due in ${formatDuration(dueIn)}`, overdue: false };
}

/**
 * The ticket's communication cadence (P1 real time and a post-mortem, P2 hourly, P3/P4 a
 * daily summary): what is due next, the updates sent, and a form to send one.
 */
export function CommunicationsPanel(
  props: Omit<IncidentPanelProps, 'workable'>,
) {
  const { number, version, onChanged } = props;
  const classes = useStyles();
  const api = useApi(incidentOpsApiRef);
  const canSend = usePermission({
    permission: incidentOpsIncidentCommunicatePermission,
    resourceRef: number,
  });
  const comms = useAsyncRetry(
    () => api.getCommunications(number),
    [api, number, version],
  );
  const messageId = useId();
  const [message, setMessage] = useState('');
  const { busy, error, run } = useAction();

  if (comms.loading && !comms.value) {
    return <Progress aria-label="Loading communications" />;
  }
  if (comms.error) return <ResponseErrorPanel error={comms.error} />;
  const c = comms.value!;
  const postMortemDue = c.obligations.some(
    o => o.kind === 'post-mortem' && o.state !== 'met',
  );
  const kind: 'update' | 'post-mortem' =
    !isOpenStatus(c.status) && postMortemDue ? 'post-mortem' : 'update';
  const next = c.next ? nextDueText(c.next) : undefined;

  const send = async (e: FormEvent) => {
    e.preventDefault();
    await run(async () => {
      await api.postUpdate(number, { kind, message: message.trim() });
      setMessage('');
      comms.retry();
      onChanged(
        kind === 'post-mortem'
          ? 'Post-mortem recorded and sent to the stakeholders.'
          : 'Update sent to the stakeholders.',
      );
    });
  };

  const sent = c.notifications.filter(n => n.kind === 'delivery');
  return (
    <Box>
      <Typography variant="body2">
        {next ? (
          <span className={next.overdue ? classes.overdue : undefined}>
            {next.text}
          </span>
        ) : (
          'Nothing is due.'
        )}
        {c.realTime && ' · P1: every change goes to the stakeholders at once.'}
      </Typography>
      {c.updates.length > 0 && (
        <ul className={classes.list} aria-label="Updates sent">
          {[...c.updates].reverse().map(u => (
            <li key={u.id}>
              <Typography variant="body2">
                <strong>
                  {u.kind === 'post-mortem' ? 'Post-mortem' : 'Update'}
                </strong>{' '}
                <span className={classes.secondary}>
                  {formatTime(u.createdAt)}, {u.actor}
                </span>
                : {u.message}
              </Typography>
            </li>
          ))}
        </ul>
      )}
      <Typography variant="caption" className={classes.secondary} component="p">
        {sent.length} notification{sent.length === 1 ? '' : 's'} sent about this
        ticket
        {sent.some(n => n.status === 'refused')
          ? `, ${sent.filter(n => n.status === 'refused').length} refused`
          : ''}
        .
      </Typography>
      {canSend.allowed &&
        (isOpenStatus(c.status) || kind === 'post-mortem') && (
          <form className={classes.form} onSubmit={send}>
            <TextField
              id={messageId}
              label={
                kind === 'post-mortem'
                  ? 'Post-mortem'
                  : 'Update to stakeholders'
              }
              helperText="Sent to the stakeholders the cadence names, and kept on the ticket."
              value={message}
              onChange={e => setMessage(e.target.value)}
              multiline
              minRows={2}
              variant="outlined"
              size="small"
              inputProps={{ maxLength: 4000 }}
            />
            {error && <ErrorAlert>{error}</ErrorAlert>}
            <Box>
              <Button
                type="submit"
                variant="outlined"
                color="primary"
                disabled={busy || !message.trim()}
              >
                {kind === 'post-mortem' ? 'Record post-mortem' : 'Send update'}
              </Button>
            </Box>
          </form>
        )}
    </Box>
  );
}
