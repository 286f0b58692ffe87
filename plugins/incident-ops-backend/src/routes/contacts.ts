import { entityRefParam } from './context';
import type { IncidentOpsRouter, RouteContext } from './context';

/** The escalation contact tree of an entity and the role accountability matrix. */
export function registerContactRoutes(
  router: IncidentOpsRouter,
  ctx: RouteContext,
) {
  const { authorizeRead, contacts } = ctx;

  router.get('/contacts', async (req, res) => {
    const credentials = await authorizeRead(req);
    res.json(
      await contacts.contactTree(
        entityRefParam(req.query.entityRef),
        credentials,
      ),
    );
  });

  router.get('/ownership-matrix', async (req, res) => {
    const credentials = await authorizeRead(req);
    res.json(await contacts.ownershipMatrix(credentials));
  });
}
