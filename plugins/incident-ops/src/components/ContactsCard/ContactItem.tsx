import {
  CONTACT_ROLE_LABEL,
  ContactEntry,
  ContactTree,
} from '@acme/plugin-incident-ops-common';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  Box,
  Chip,
  ListItem,
  ListItemIcon,
  ListItemText,
  Typography,
} from '@material-ui/core';
import GroupIcon from '@material-ui/icons/Group';
import PersonIcon from '@material-ui/icons/Person';
import PhoneIcon from '@material-ui/icons/Phone';
import { originLabel } from './format';
import { useStyles } from './styles';
import { ReachLinks } from './ReachLinks';
import { Members } from './Members';

/** One contact: name, roles, where it comes from, how to reach it. */
export function ContactItem(props: { tree: ContactTree; entry: ContactEntry }) {
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
