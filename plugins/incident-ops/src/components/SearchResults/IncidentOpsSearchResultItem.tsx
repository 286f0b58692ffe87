import { Link } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Divider from '@material-ui/core/Divider';
import ListItem from '@material-ui/core/ListItem';
import ListItemIcon from '@material-ui/core/ListItemIcon';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import type { ReactNode } from 'react';

/** The search document types the incident-ops collators index. */
export const KB_RESULT_TYPE = 'incident-ops-kb';
export const PLAYBOOK_RESULT_TYPE = 'incident-ops-playbook';

interface IncidentOpsDocument {
  title: string;
  text: string;
  location: string;
  ticketTypes?: string[];
  tags?: string[];
  source?: string;
  articleId?: string;
}

/**
 * One KB article or playbook in the app's search results: what it is, the ticket types it
 * is written for and its tags, so a support engineer can tell at a glance which one fits.
 */
export function IncidentOpsSearchResultItem(props: {
  result?: { title: string; text: string; location: string };
  kind: 'Knowledge article' | 'Playbook';
  icon?: ReactNode;
}) {
  const doc = props.result as IncidentOpsDocument | undefined;
  if (!doc) return null;
  const what =
    props.kind === 'Knowledge article' && doc.source && doc.articleId
      ? `${props.kind} · ${doc.articleId} · ${
          doc.source === 'servicenow' ? 'ServiceNow' : 'repository'
        }`
      : props.kind;
  return (
    <>
      <ListItem alignItems="flex-start">
        {props.icon && <ListItemIcon>{props.icon}</ListItemIcon>}
        <ListItemText
          primaryTypographyProps={{ variant: 'h6' }}
          primary={<Link to={doc.location}>{doc.title}</Link>}
          secondary={
            <>
              <Typography variant="caption" component="span" display="block">
                {what}
              </Typography>
              <Typography
                variant="body2"
                component="span"
                display="block"
                color="textSecondary"
              >
                {doc.text.length > 240
                  ? `${doc.text.slice(0, 240).trimEnd()}…`
                  : doc.text}
              </Typography>
              {(doc.ticketTypes?.length || doc.tags?.length) && (
                <Box component="span" display="block" mt={1}>
                  {(doc.ticketTypes ?? []).map(t => (
                    <Chip
                      key={`type-${t}`}
                      component="span"
                      size="small"
                      color="primary"
                      variant="outlined"
                      label={t}
                    />
                  ))}
                  {(doc.tags ?? []).slice(0, 6).map(t => (
                    <Chip
                      key={`tag-${t}`}
                      component="span"
                      size="small"
                      label={t}
                    />
                  ))}
                </Box>
              )}
            </>
          }
        />
      </ListItem>
      <Divider component="li" />
    </>
  );
}
