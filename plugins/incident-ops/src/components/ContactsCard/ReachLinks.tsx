import { Contact, ContactPerson } from '@acme/plugin-incident-ops-common';
import { Link } from '@backstage/core-components';
import { Link as MuiLink, Typography } from '@material-ui/core';
import MailIcon from '@material-ui/icons/MailOutline';
import PhoneIcon from '@material-ui/icons/Phone';
import { isUrl } from './format';
import { useStyles } from './styles';

/** How to reach a contact: email, phone, Slack and Teams channels. */
export function ReachLinks(props: { contact: Contact | ContactPerson }) {
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
