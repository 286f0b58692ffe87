import { Typography } from '@material-ui/core';
import { Alert, AlertTitle } from '@material-ui/lab';
import type { ConfigurationProblem } from './configuration';
import { useStyles } from './styles';

/**
 * ServiceNow refuses the integration user (401/403): what to grant it, on which table, so
 * that the refused write-backs below can be re-queued.
 */
export function ConfigurationAlert(props: {
  problems: ConfigurationProblem[];
}) {
  const classes = useStyles();
  if (props.problems.length === 0) return null;
  return (
    <Alert severity="error" className={classes.outcome}>
      <AlertTitle>
        Configuration problem: ServiceNow refuses the integration user
      </AlertTitle>
      {props.problems.map(p => (
        <div
          key={`${p.table}:${p.role}:${p.reason}`}
          className={classes.problem}
        >
          <Typography variant="body2">
            {p.table ? (
              <>
                Table <code>{p.table}</code>: the integration user needs the{' '}
                <strong>{p.role}</strong> role.{' '}
              </>
            ) : null}
            {p.count} {p.count === 1 ? 'write-back was' : 'write-backs were'}{' '}
            refused. Fix the user in ServiceNow, then re-queue them below.
          </Typography>
          <Typography variant="caption" className={classes.reason}>
            {p.reason}
          </Typography>
        </div>
      ))}
    </Alert>
  );
}
