import {
  ANNOTATION_SERVICENOW_USER,
  IncidentOpsApiSchema,
  ReportKind,
  incidentOpsSurveyRecordPermission,
  parseReportPeriod,
  previousReportPeriods,
  reportPeriodContaining,
} from '@acme/plugin-incident-ops-common';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { Request, Response } from 'express';
import type { SurveyedIncident } from '../database/DatabaseSurveyStore';
import { reportToCsv } from '../reports/csv';
import type { IncidentOpsRouter, RouteContext } from './context';

const PARAM: Record<ReportKind, 'week' | 'month' | 'quarter'> = {
  weekly: 'week',
  monthly: 'month',
  quarterly: 'quarter',
};

/** The weekly, monthly and quarterly reports, and the post-resolution survey. */
export function registerReportRoutes(
  router: IncidentOpsRouter,
  ctx: RouteContext,
) {
  const { reports, authorizeRead, catalog, httpAuth, permissions, audited } =
    ctx;
  if (!reports) return;

  const serve =
    (kind: ReportKind) =>
    async (
      req: Request<any, any, any, any>,
      res: Response<IncidentOpsApiSchema<'Report'>>,
    ) => {
      await authorizeRead(req);
      const now = new Date();
      const id = req.query[PARAM[kind]] as string | undefined;
      // without one: the last complete period
      const period = id
        ? parseReportPeriod(kind, id)
        : previousReportPeriods(reportPeriodContaining(kind, now), 1)[0];
      if (period instanceof Error) throw new InputError(period.message);
      const report = await reports.builder.build(period, now);
      const csv =
        req.query.format === 'csv' ||
        (req.query.format === undefined &&
          req.accepts(['application/json', 'text/csv']) === 'text/csv');
      if (csv) {
        // not JSON: the spec's text/csv response
        const text: Response = res;
        text
          .type('text/csv; charset=utf-8')
          .attachment(`incident-report-${period.id}.csv`)
          .send(reportToCsv(report));
        return;
      }
      res.json(report);
    };
  router.get('/reports/weekly', serve('weekly'));
  router.get('/reports/monthly', serve('monthly'));
  router.get('/reports/quarterly', serve('quarterly'));

  /** Whether the signed-in user is the incident's caller, as the catalog knows them. */
  const isRequestor = async (
    userRef: string,
    incident: SurveyedIncident,
    credentials: BackstageCredentials,
  ) => {
    if (!incident.callerId && !incident.callerName) return false;
    const user = await catalog.getEntityByRef(userRef, { credentials });
    if (!user) return false;
    const sysId = user.metadata.annotations?.[ANNOTATION_SERVICENOW_USER];
    if (sysId) return sysId === incident.callerId;
    const display = (user.spec?.profile as { displayName?: string } | undefined)
      ?.displayName;
    const norm = (s?: string) => s?.trim().toLowerCase();
    return !!display && norm(display) === norm(incident.callerName);
  };

  router.get('/incidents/:number/survey', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const userRef = credentials.principal.userEntityRef;
    const { number } = req.params;
    const incident = await reports.surveys.getIncident(number);
    if (!incident) throw new NotFoundError(`No incident ${number}`);
    // the requestor sees their own survey; anyone else needs to be allowed to read incidents
    const own = await isRequestor(userRef, incident, credentials);
    if (!own) await authorizeRead(req);
    const survey = await reports.surveys.getSurvey(
      incident,
      incident.callerId ?? userRef,
    );
    const open = ['resolved', 'closed'].includes(incident.status);
    res.json({
      number,
      open,
      requestor: own,
      ...(survey ? { survey: { ...survey } } : {}),
      editable:
        open && (!survey || Date.now() <= Date.parse(survey.editableUntil)),
    });
  });

  router.post('/incidents/:number/survey', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const userRef = credentials.principal.userEntityRef;
    const { number } = req.params;
    const { rating, comment } = req.body;
    const incident = await reports.surveys.getIncident(number);
    if (!incident) throw new NotFoundError(`No incident ${number}`);

    const own = await isRequestor(userRef, incident, credentials);
    if (!own) {
      const [decision] = await permissions.authorize(
        [{ permission: incidentOpsSurveyRecordPermission }],
        { credentials },
      );
      if (decision.result !== AuthorizeResult.ALLOW) {
        throw new NotAllowedError(
          `Only the requestor of ${number} can answer its survey`,
        );
      }
    }
    const requestor = incident.callerId ?? userRef;
    const { survey, created } = await audited(
      req,
      'incident-survey',
      { number, rating, onBehalf: !own },
      async () => {
        const result = await reports.surveys.submit({
          number,
          requestor,
          submittedBy: userRef,
          rating,
          comment: comment?.trim() || undefined,
          ...(await reports.surveys.usedOn(incident)),
          now: new Date(),
        });
        return { result, meta: { created: result.created } };
      },
    );
    res.status(created ? 201 : 200).json({ survey: { ...survey } });
  });
}
