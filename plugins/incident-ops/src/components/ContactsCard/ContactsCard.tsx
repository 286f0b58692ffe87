import {
  CONTACT_LEVELS,
  CONTACT_ROLE_LABEL,
  Contact,
  ContactEntry,
  ContactPerson,
  ContactRole,
  ContactTree,
  ROLE_ANNOTATIONS,
} from '@acme/plugin-incident-ops-common';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import {
  Box,
  Button,
  Chip,
  IconButton,
  Link as MuiLink,
  List,
  ListItem,
  ListItemIcon,
  ListItemText,
  Typography,
  makeStyles,
} from '@material-ui/core';
import { alpha } from '@material-ui/core/styles';
import GroupIcon from '@material-ui/icons/Group';
import MailIcon from '@material-ui/icons/MailOutline';
import PersonIcon from '@material-ui/icons/Person';
import PhoneIcon from '@material-ui/icons/Phone';
import RefreshIcon from '@material-ui/icons/Refresh';
import WarningIcon from '@material-ui/icons/ReportProblemOutlined';
import { Alert } from '@material-ui/lab';
import { useId, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { incidentOpsApiRef } from '../../api/IncidentOpsApi';
import { chainLabel, entityNoun, isUrl, originLabel } from './format';

const useStyles = makeStyles(theme => ({
  // levels side by side when the card is wide, one above the other when it is narrow
  levels: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(340px, 1fr))',
  },
  level: {
    padding: theme.spacing(1, 2),
    borderTop: `1px solid ${theme.palette.divider}`,
  },
  levelTitle: {
    color: theme.palette.text.secondary,
    fontWeight: 600,
    letterSpacing: '0.06em',
  },
  item: { paddingLeft: 0, paddingRight: 0 },
  icon: { minWidth: 36, marginTop: 2, color: theme.palette.text.secondary },
  name: { fontWeight: 600, marginRight: theme.spacing(1) },
  chip: { marginRight: theme.spacing(0.5), height: 20 },
  secondary: { color: theme.palette.text.secondary },
  inherited: { color: theme.palette.text.secondary, fontStyle: 'italic' },
  reach: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(0.5, 2),
    marginTop: theme.spacing(0.25),
  },
  reachItem: { display: 'inline-flex', alignItems: 'center', gap: 4 },
  reachIcon: { fontSize: 16, color: theme.palette.text.secondary },
  gap: {
    display: 'flex',
    alignItems: 'flex-start',
    gap: theme.spacing(1),
    margin: theme.spacing(0.5, 0),
    padding: theme.spacing(0.5, 1),
    borderLeft: `3px solid ${theme.palette.warning.main}`,
    backgroundColor: alpha(
      theme.palette.warning.main,
      theme.palette.type === 'dark' ? 0.18 : 0.1,
    ),
  },
  gapIcon: { color: theme.palette.warning.main },
  members: { margin: theme.spacing(0.5, 0, 0), paddingLeft: theme.spacing(2) },
  membersButton: {
    padding: 0,
    marginTop: theme.spacing(0.25),
    minWidth: 0,
    textTransform: 'none',
  },
  header: { padding: theme.spacing(1, 2, 1.5) },
}));

/** What to do about a role nobody holds. */
function gapHint(role: ContactRole, tree: ContactTree): string {
  if (role in ROLE_ANNOTATIONS) {
    const key = ROLE_ANNOTATIONS[role as keyof typeof ROLE_ANNOTATIONS];
    const up = tree.chain.slice(1).map(c => chainLabel(tree, c.entityRef));
    const self = tree.chain[0];
    const noun = self ? entityNoun(self.kind, self.type) : 'entity';
    return `set ${key} on this ${noun}${
      up.length ? ` or on ${up.join(' or ')}` : ''
    }`;
  }
  if (role === 'area-lead') {
    return tree.domain
      ? `give ${
          tree.domain.title ?? tree.domain.entityRef
        } an owner in the catalog`
      : 'set incident-ops.acme.com/domain on the cluster';
  }
  if (role === 'l1' || role === 'l2' || role === 'l3') {
    return `no group has incident-ops.acme.com/support-tier: ${role.toUpperCase()}`;
  }
  if (role === 'owner') return 'the entity has no owner';
  return `no group has incident-ops.acme.com/stakeholder-role: ${role}`;
}

function ReachLinks(props: { contact: Contact | ContactPerson }) {
  const { contact } = props;
  const classes = useStyles();
  const full = contact as Contact;
  return (
    <span className={classes.reach}>
      {contact.email && (
        <span className={classes.reachItem}>
          <MailIcon className={classes.reachIcon} aria-hidden />
          <MuiLink
            href={`mailto:${contact.email}`}
            aria-label={`Email ${contact.name}: ${contact.email}`}
          >
            {contact.email}
          </MuiLink>
        </span>
      )}
      {contact.phone && (
        <span className={classes.reachItem}>
          <PhoneIcon className={classes.reachIcon} aria-hidden />
          <MuiLink
            href={`tel:${contact.phone}`}
            aria-label={`Call ${contact.name}: ${contact.phone}`}
          >
            {contact.phone}
          </MuiLink>
        </span>
      )}
      {full.slackChannel && (
        <span className={classes.reachItem}>
          <Typography variant="caption" className={classes.secondary}>
            Slack
          </Typography>
          <Typography variant="body2" component="span">
            {full.slackChannel}
          </Typography>
        </span>
      )}
      {full.teamsChannel && (
        <span className={classes.reachItem}>
          <Typography variant="caption" className={classes.secondary}>
            Teams
          </Typography>
          {isUrl(full.teamsChannel) ? (
            <Link to={full.teamsChannel}>{full.teamsChannel}</Link>
          ) : (
            <Typography variant="body2" component="span">
              {full.teamsChannel}
            </Typography>
          )}
        </span>
      )}
    </span>
  );
}

/** Groups this small show their members at once; larger ones behind a toggle. */
const MEMBERS_SHOWN = 2;

function Members(props: { contact: Contact }) {
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

function ContactItem(props: { tree: ContactTree; entry: ContactEntry }) {
  const { tree, entry } = props;
  const { contact } = entry;
  const classes = useStyles();
  let icon = <PersonIcon aria-hidden />;
  if (contact.kind === 'group') icon = <GroupIcon aria-hidden />;
  if (contact.kind === 'hotline') icon = <PhoneIcon aria-hidden />;
  return (
    <ListItem
      className={classes.item}
      alignItems="flex-start"
      data-testid={`contact-${contact.entityRef ?? contact.phone}`}
    >
      <ListItemIcon className={classes.icon}>{icon}</ListItemIcon>
      <ListItemText
        disableTypography
        primary={
          <Box display="flex" flexWrap="wrap" alignItems="center">
            <Typography
              variant="body2"
              component="span"
              className={classes.name}
            >
              {contact.entityRef && !contact.missing ? (
                <EntityRefLink
                  entityRef={contact.entityRef}
                  title={contact.name}
                />
              ) : (
                contact.name
              )}
              {contact.missing && ' (not in the catalog)'}
            </Typography>
            {entry.roles.map(r => (
              <Chip
                key={r}
                size="small"
                variant="outlined"
                label={CONTACT_ROLE_LABEL[r]}
                className={classes.chip}
              />
            ))}
          </Box>
        }
        secondary={
          <>
            <Typography
              variant="caption"
              display="block"
              className={
                entry.from.inherited ? classes.inherited : classes.secondary
              }
            >
              {originLabel(tree, entry.from)}
            </Typography>
            <ReachLinks contact={contact} />
            <Members contact={contact} />
          </>
        }
      />
    </ListItem>
  );
}

function LevelSection(props: {
  tree: ContactTree;
  level: ContactTree['levels'][number];
  gaps: ContactRole[];
}) {
  const { tree, level, gaps } = props;
  const classes = useStyles();
  const headingId = useId();
  return (
    <section className={classes.level} aria-labelledby={headingId}>
      <Typography
        id={headingId}
        component="h3"
        variant="overline"
        className={classes.levelTitle}
      >
        {level.title}
      </Typography>
      {gaps.map(role => (
        <Typography key={role} variant="body2" className={classes.gap}>
          <WarningIcon
            fontSize="small"
            className={classes.gapIcon}
            aria-hidden
          />
          No {CONTACT_ROLE_LABEL[role].toLowerCase()} — {gapHint(role, tree)}
        </Typography>
      ))}
      {level.contacts.length > 0 && (
        <List dense disablePadding aria-labelledby={headingId}>
          {level.contacts.map(entry => (
            <ContactItem
              key={entry.contact.entityRef ?? entry.contact.phone}
              tree={tree}
              entry={entry}
            />
          ))}
        </List>
      )}
    </section>
  );
}

/** The tree, level by level, with the entity's channels and its gaps. */
export function ContactTreeView(props: { tree: ContactTree }) {
  const { tree } = props;
  const classes = useStyles();
  const { slack, teams } = tree.channels;
  const channel = (label: string, c: typeof slack) =>
    c && (
      <span className={classes.reachItem}>
        <Typography variant="caption" className={classes.secondary}>
          {label}
        </Typography>
        {isUrl(c.value) ? (
          <Link to={c.value}>{c.value}</Link>
        ) : (
          <Typography variant="body2" component="span">
            {c.value}
          </Typography>
        )}
        {c.inherited && (
          <Typography variant="caption" className={classes.inherited}>
            (inherited from {chainLabel(tree, c.from)})
          </Typography>
        )}
      </span>
    );
  const self = tree.chain[0];
  return (
    <>
      <Box className={classes.header}>
        {tree.chain.length > 1 && (
          <Typography variant="body2" className={classes.secondary}>
            Inherits from{' '}
            {tree.chain
              .slice(1)
              .map(c => chainLabel(tree, c.entityRef))
              .join(', then ')}
          </Typography>
        )}
        {(slack || teams) && (
          <Box className={classes.reach} aria-label="Incident channels">
            {channel('Slack', slack)}
            {channel('Teams', teams)}
          </Box>
        )}
        {tree.gaps.length > 0 && (
          <Box mt={1}>
            <Alert severity="warning">
              {tree.gaps.length === 1
                ? 'One role has'
                : `${tree.gaps.length} roles have`}{' '}
              nobody for this{' '}
              {self ? entityNoun(self.kind, self.type) : 'entity'}:{' '}
              {tree.gaps.map(g => CONTACT_ROLE_LABEL[g]).join(', ')}.
            </Alert>
          </Box>
        )}
      </Box>
      <div className={classes.levels}>
        {tree.levels.map(level => (
          <LevelSection
            key={level.level}
            tree={tree}
            level={level}
            gaps={tree.gaps.filter(g =>
              CONTACT_LEVELS.find(l => l.level === level.level)?.roles.includes(
                g,
              ),
            )}
          />
        ))}
      </div>
    </>
  );
}

/**
 * The escalation contact tree of the entity: who is reached at L1, L2, L3/Evangelist, the
 * team lead, management and the vendor, how to reach them, and which entity each comes from.
 * @public
 */
export function ContactsCard() {
  const { entity } = useEntity();
  const api = useApi(incidentOpsApiRef);
  const entityRef = stringifyEntityRef(entity);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.getContacts(entityRef),
    [api, entityRef],
  );

  let content: JSX.Element;
  if (loading && !value) {
    content = <Progress aria-label="Loading contacts" />;
  } else if (error) {
    content = <ResponseErrorPanel error={error} />;
  } else if (!value || value.levels.every(l => l.contacts.length === 0)) {
    content = (
      <Box p={2}>
        <Typography>
          Nobody to contact was found for this {entity.kind.toLowerCase()}. Set
          role annotations such as {ROLE_ANNOTATIONS['support-engineer']} on it
          or on the namespace or cluster it runs on (see docs/catalog-model.md).
        </Typography>
      </Box>
    );
  } else {
    content = <ContactTreeView tree={value} />;
  }

  return (
    <InfoCard
      title="Escalation contacts"
      action={
        <IconButton aria-label="Refresh contacts" onClick={retry}>
          <RefreshIcon />
        </IconButton>
      }
      noPadding
    >
      {content}
    </InfoCard>
  );
}
