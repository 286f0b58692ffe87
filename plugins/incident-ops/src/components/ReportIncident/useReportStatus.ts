import { useApi } from '@backstage/core-plugin-api';
import { useEffect, useState } from 'react';
import { IncidentReport, incidentOpsApiRef } from '../../api/IncidentOpsApi';

/** How often a queued report is asked about. */
export const POLL_MS = 2000;

/**
 * The report as the backend has it now: asked again every {@link POLL_MS} while it is
 * queued, until it is filed or refused. `onSettled` hears once when a queued one is.
 */
export function useReportStatus(
  first: IncidentReport,
  onSettled: (report: IncidentReport) => void,
) {
  const api = useApi(incidentOpsApiRef);
  const [report, setReport] = useState(first);
  const queued = report.status === 'queued';

  useEffect(() => {
    if (!queued) {
      if (report !== first) onSettled(report);
      return undefined;
    }
    let timer: ReturnType<typeof setTimeout>;
    let current = true;
    const poll = async () => {
      try {
        const { incident } = await api.getIncidentReport(first.clientKey);
        if (!current) return;
        if (incident.status !== 'queued') {
          setReport(incident);
          return;
        }
      } catch {
        // the backend restarting, the network: ask again
      }
      if (current) timer = setTimeout(poll, POLL_MS);
    };
    timer = setTimeout(poll, POLL_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
    // once per state: onSettled may change identity on each render
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, first.clientKey, queued]);

  return report;
}
