import { TICKET_TYPES, TicketType } from '@acme/plugin-incident-ops-common';
import { Header, InfoCard, Link } from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import {
  Chip,
  Grid,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
  makeStyles,
} from '@material-ui/core';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { PlaybookList, incidentOpsApiRef } from '../../api/IncidentOpsApi';
import { TICKET_TYPE_LABEL } from '../common/format';
import { playbookRouteRef } from '../../routes';
import { PageShell } from '../common/PageShell';

const useStyles = makeStyles(theme => ({
  title: { fontWeight: 600, whiteSpace: 'nowrap' },
  chips: { display: 'flex', flexWrap: 'wrap', gap: theme.spacing(0.5) },
  none: { color: theme.palette.text.secondary },
  table: { '& td': { verticalAlign: 'top' } },
}));

const typeLabel = (t: string) => TICKET_TYPE_LABEL[t as TicketType] ?? t;

/** The ticket types in the classifier's order, then any others the mapping names. */
function mappedTypes(mapping: Record<string, string>): string[] {
  const extra = Object.keys(mapping).filter(
    t => !(TICKET_TYPES as readonly string[]).includes(t),
  );
  return [...TICKET_TYPES, ...extra];
}

/** Every playbook with what it is for and the ticket types that run it, and the mapping. */
export function PlaybookListContent(props: { list: PlaybookList }) {
  const { items, mapping } = props.list;
  const classes = useStyles();
  const playbook = useRouteRef(playbookRouteRef);
  const titles = new Map(items.map(p => [p.id, p.title]));
  const typesOf = (id: string) =>
    Object.entries(mapping)
      .filter(([, mapped]) => mapped === id)
      .map(([type]) => type);

  return (
    <Grid container spacing={3}>
      <Grid item xs={12} lg={8}>
        <InfoCard title="Playbooks" noPadding>
          <Table aria-label="Playbooks" className={classes.table}>
            <TableHead>
              <TableRow>
                <TableCell>Playbook</TableCell>
                <TableCell>What it is for</TableCell>
                <TableCell>Runs for</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {items.map(p => (
                <TableRow key={p.id}>
                  <TableCell className={classes.title}>
                    <Link to={playbook({ id: p.id })}>{p.title}</Link>
                  </TableCell>
                  <TableCell>
                    <Typography variant="body2">{p.summary}</Typography>
                  </TableCell>
                  <TableCell>
                    <div className={classes.chips}>
                      {typesOf(p.id).map(t => (
                        <Chip key={t} size="small" label={typeLabel(t)} />
                      ))}
                    </div>
                    {typesOf(p.id).length === 0 && (
                      <span className={classes.none}>
                        No ticket type (started by hand)
                      </span>
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </InfoCard>
      </Grid>
      <Grid item xs={12} lg={4}>
        <InfoCard
          title="Ticket type → playbook"
          subheader="The playbook a ticket runs, by its type (incidentOps.playbooks.mapping)"
          noPadding
        >
          <Table size="small" aria-label="Ticket type to playbook">
            <TableHead>
              <TableRow>
                <TableCell>Ticket type</TableCell>
                <TableCell>Playbook</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {mappedTypes(mapping).map(type => (
                <TableRow key={type}>
                  <TableCell>{typeLabel(type)}</TableCell>
                  <TableCell>
                    {mapping[type] ? (
                      <Link to={playbook({ id: mapping[type] })}>
                        {titles.get(mapping[type]) ?? mapping[type]}
                      </Link>
                    ) : (
                      <span className={classes.none}>
                        None: worked case by case
                      </span>
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </InfoCard>
      </Grid>
    </Grid>
  );
}

/**
 * The playbooks at `/incident-ops/playbooks`, in the nav as "Playbooks": each with what it
 * is for and the ticket types that run it, and the ticket type → playbook mapping.
 * @public
 */
export function PlaybooksPage() {
  const api = useApi(incidentOpsApiRef);
  const state = useAsyncRetry(() => api.listPlaybooks(), [api]);
  return (
    <PageShell
      state={state}
      header={
        <Header
          title="Playbooks"
          subtitle="Step-by-step procedures for the platform's common tickets"
        />
      }
      loadingLabel="Loading the playbooks"
      empty={{
        when: list => list.items.length === 0,
        title: 'No playbooks loaded',
        description:
          'The backend found no playbook files. Put them in the folder incidentOps.playbooks.directory names (playbooks/README.md describes the format).',
      }}
    >
      {list => <PlaybookListContent list={list} />}
    </PageShell>
  );
}
