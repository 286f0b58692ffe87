import { Contact } from '@acme/plugin-incident-ops-common';
import { Button, Typography } from '@material-ui/core';
import { useId, useState } from 'react';
import { useStyles } from './styles';
import { ReachLinks } from './ReachLinks';

/** Groups this small show their members at once; larger ones behind a toggle. */
const MEMBERS_SHOWN = 2;

/** A group's members, each with how to reach them. */
export function Members(props: { contact: Contact }) {
  const { contact } = props;
  const classes = useStyles();
  const members = contact.members ?? [];
  const [open, setOpen] = useState(members.length <= MEMBERS_SHOWN);
  const id = useId();
  if (members.length === 0) return null;
  return (
    <>
      {members.length > MEMBERS_SHOWN && (
        <Button
          size="small"
          color="primary"
          className={classes.membersButton}
          aria-expanded={open}
          aria-controls={id}
          onClick={() => setOpen(o => !o)}
        >
          {open ? 'Hide' : 'Show'} {members.length} members
        </Button>
      )}
      {open && (
        <ul
          id={id}
          className={classes.members}
          aria-label={`Members of ${contact.name}`}
        >
          {members.map(m => (
            <li key={m.entityRef}>
              <Typography variant="body2" component="span">
                {m.name}
              </Typography>
              <ReachLinks contact={m} />
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
