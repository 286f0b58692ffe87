import {
  CONTACT_LEVELS,
  CONTACT_ROLE_LABEL,
  ContactTree,
} from '@acme/plugin-incident-ops-common';
import { Link } from '@backstage/core-components';
import { Box, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { chainLabel, entityNoun, isUrl } from './format';
import { useStyles } from './styles';
import { LevelSection } from './LevelSection';

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
