import {
  IncidentOpsApiSchema,
  ReportKind,
  incidentOpsReportsReadPermission,
  incidentOpsSurveyRecordPermission,
  parseReportPeriod,
  previousReportPeriods,
  reportPeriodContaining,
} from '@acme/plugin-incident-ops-common';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import type { Request, Response } from 'express';
import type { SurveyedIncident } from '../database/DatabaseSurveyStore';
import { reportToCsv } from '../reports/csv';
import type { IncidentOpsRouter, RouteContext } from './context';

const PARAM: Record<ReportKind, 'week' | 'month' | 'quarter'> = {
  weekly: 'week',
  monthly: 'month',
  quarterly: 'quarter',
};

/**
 * Whose survey it is: the caller's ServiceNow user, else the caller's name; one answer per
 * incident and requestor, whoever records it.
 */
function requestorKey(incident: SurveyedIncident): string {
  if (incident.callerId) return incident.callerId;
  return `caller:${incident.callerName ?? 'unknown'}`;
}

/** The weekly, monthly and quarterly reports, and the post-resolution survey. */
export function registerReportRoutes(
  router: IncidentOpsRouter,
  ctx: RouteContext,
) {
  const { reports, authorize, authorizeRead, auth, audited } = ctx;
  if (!reports) return;

  const serve =
    (kind: ReportKind) =>
    async (
      req: Request<any, any, any, any>,
      res: Response<IncidentOpsApiSchema<'Report'>>,
    ) => {
      await authorize(req, incidentOpsReportsReadPermission, 'read reports');
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

  /**
   * Whether the signed-in user is the incident's requestor: the catalog user whose ServiceNow
   * user annotation is its caller, or who reported it from Backstage. Never by name.
   */
  const isRequestor = async (number: string, userRef: string) => {
    const [resource] = await ctx.access.resources([number]);
    return !!resource?.requestors.includes(userRef);
  };

  router.get('/incidents/:number/survey', async (req, res) => {
    const { number } = req.params;
    const credentials = await authorizeRead(req, number);
    if (!auth.isPrincipal(credentials, 'user')) {
      throw new NotAllowedError('Only a signed-in user reads a survey');
    }
    const userRef = credentials.principal.userEntityRef;
    const incident = await reports.surveys.getIncident(number);
    if (!incident) throw new NotFoundError(`No incident ${number}`);
    const own = await isRequestor(number, userRef);
    const survey = await reports.surveys.getSurvey(
      incident,
      requestorKey(incident),
    );
    const open = ['resolved', 'closed'].includes(incident.status);
    res.json({
      number,
      open,
      requestor: own,
      ...(survey ? { survey: { ...survey } } : {}),
      editable:
        open &&
        (!survey ||
          ((own || survey.onBehalf) &&
            Date.now() <= Date.parse(survey.editableUntil))),
    });
  });

  router.post('/incidents/:number/survey', async (req, res) => {
    const { number } = req.params;
    const credentials = await authorizeRead(req, number);
    if (!auth.isPrincipal(credentials, 'user')) {
      throw new NotAllowedError('Only a signed-in user answers a survey');
    }
    const userRef = credentials.principal.userEntityRef;
    const { rating, comment } = req.body;
    const incident = await reports.surveys.getIncident(number);
    if (!incident) throw new NotFoundError(`No incident ${number}`);

    const own = await isRequestor(number, userRef);
    if (!own) {
      await authorize(
        req,
        incidentOpsSurveyRecordPermission,
        `answer the survey of ${number}: only its requestor can, or someone allowed to record it on their behalf`,
        number,
      );
    }
    const { survey, created } = await audited(
      req,
      'incident-survey',
      { number, rating, onBehalf: !own },
      async () => {
        const result = await reports.surveys.submit({
          number,
          requestor: requestorKey(incident),
          submittedBy: userRef,
          onBehalf: !own,
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
