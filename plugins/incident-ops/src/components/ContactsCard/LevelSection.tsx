import {
  CONTACT_ROLE_LABEL,
  ContactRole,
  ContactTree,
  ROLE_ANNOTATIONS,
} from '@acme/plugin-incident-ops-common';
import { List, Typography } from '@material-ui/core';
import WarningIcon from '@material-ui/icons/ReportProblemOutlined';
import { useId } from 'react';
import { chainLabel, entityNoun } from './format';
import { useStyles } from './styles';
import { ContactItem } from './ContactItem';

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

/** One level of the tree (L1, L2, …) with its contacts and the roles nobody holds. */
export function LevelSection(props: {
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
