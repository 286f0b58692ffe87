import {
  incidentOpsVendorEngagementManagePermission,
  vendorResponseClock,
} from '@acme/plugin-incident-ops-common';
import { InputError, NotFoundError } from '@backstage/errors';
import type { StoredVendorEngagement } from '../database/DatabaseCommunicationStore';
import type { CommunicationServices } from '../notifications/setup';
import type { IncidentOpsRouter, RouteContext } from './context';

const MIN = 60_000;

/** An engagement with where it stands against the vendor's response SLA. */
function withClock(e: StoredVendorEngagement, at: Date) {
  const clock = vendorResponseClock(e, at);
  return {
    ...e,
    respondBy: clock.respondBy,
    timeToResponseMs: clock.timeToResponse,
    responded: clock.responded,
    breached: clock.breached,
    ...(clock.left !== undefined ? { leftMs: clock.left } : {}),
  };
}

/**
 * Vendor coordination (operational model, VI.2): cases opened with Tanzu or AWS on an
 * incident, their response against the vendor's SLA, and the list across incidents.
 */
export function registerVendorRoutes(
  router: IncidentOpsRouter,
  ctx: RouteContext,
  comms: CommunicationServices,
  now: () => Date = () => new Date(),
) {
  const { authorize, authorizeRead, actorOf, audited } = ctx;
  const { store, vendors, signals } = comms;

  router.post('/incidents/:number/vendor-engagements', async (req, res) => {
    const { number } = req.params;
    const actor = actorOf(
      await authorize(
        req,
        incidentOpsVendorEngagementManagePermission,
        `open vendor engagements on ${number}`,
        number,
      ),
    );
    const { vendor, caseId, openedAt, responseSlaMinutes, note } = req.body;
    const at = now();
    const opened = openedAt ? new Date(openedAt) : at;
    if (opened.getTime() > at.getTime() + MIN) {
      throw new InputError('openedAt is in the future');
    }
    const engagement = await audited(
      req,
      'incident-vendor-engagement',
      { number, vendor, caseId },
      async () => {
        const incident = await ctx.store.getIncidentByNumber(number);
        if (!incident) throw new NotFoundError(`No incident ${number}`);
        const result = await store.openVendorEngagement({
          number,
          vendor,
          caseId,
          openedAt: opened,
          responseSla:
            responseSlaMinutes !== undefined
              ? responseSlaMinutes * MIN
              : vendors[vendor].responseSla[incident.priority],
          note,
          actor,
          now: at,
        });
        return { result, meta: { engagementId: result.id } };
      },
    );
    ctx.tasks?.runSoon('notifications');
    await signals.incidentChanged(number, 'vendor-engagement');
    res.status(201).json({ engagement: withClock(engagement, at) });
  });

  router.patch(
    '/incidents/:number/vendor-engagements/:id',
    async (req, res) => {
      const { number } = req.params;
      const actor = actorOf(
        await authorize(
          req,
          incidentOpsVendorEngagementManagePermission,
          `record vendor responses on ${number}`,
          number,
        ),
      );
      const id = Number(req.params.id);
      const { respondedAt, note } = req.body;
      const at = now();
      const responded = respondedAt ? new Date(respondedAt) : at;
      if (responded.getTime() > at.getTime() + MIN) {
        throw new InputError('respondedAt is in the future');
      }
      const engagement = await audited(
        req,
        'incident-vendor-response',
        { number, engagementId: id },
        async () => ({
          result: await store.recordVendorResponse({
            number,
            id,
            respondedAt: responded,
            note,
            actor,
          }),
        }),
      );
      await signals.incidentChanged(number, 'vendor-engagement');
      res.json({ engagement: withClock(engagement, at) });
    },
  );

  router.get('/incidents/:number/vendor-engagements', async (req, res) => {
    const { number } = req.params;
    await authorizeRead(req, number);
    if (!(await ctx.store.getIncidentByNumber(number))) {
      throw new NotFoundError(`No incident ${number}`);
    }
    const at = now();
    const items = await store.listVendorEngagements({ number });
    res.json({ items: items.map(e => withClock(e, at)) });
  });

  router.get('/vendor-escalations', async (req, res) => {
    const { restrict } = await ctx.authorizeList(req);
    const { vendor, status = 'all', limit = 200 } = req.query;
    const at = now();
    const all = (
      await ctx.visibleTo(
        restrict,
        await store.listVendorEngagements({
          vendor,
          waiting: status === 'waiting',
        }),
      )
    ).map(e => withClock(e, at));
    const summary = (['tanzu', 'aws'] as const)
      .filter(v => !vendor || v === vendor)
      .map(v => {
        const mine = all.filter(e => e.vendor === v);
        const answered = mine
          .filter(e => e.responded)
          .map(e => e.timeToResponseMs)
          .sort((a, b) => a - b);
        return {
          vendor: v,
          engagements: mine.length,
          waiting: mine.filter(e => !e.responded).length,
          breached: mine.filter(e => e.breached).length,
          ...(answered.length
            ? {
                medianTimeToResponseMs:
                  (answered[Math.floor((answered.length - 1) / 2)] +
                    answered[Math.ceil((answered.length - 1) / 2)]) /
                  2,
              }
            : {}),
        };
      });
    res.json({
      at: at.toISOString(),
      summary,
      items: all.slice(0, limit),
    });
  });
}
