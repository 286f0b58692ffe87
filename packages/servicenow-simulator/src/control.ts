import express from 'express';
import { FaultInjector } from './faults';

/**
 * The simulator's own administration routes under /sim (unauthenticated):
 * health, the fault switches, and a reset to the seed.
 */
export function createControlRouter(options: {
  faults: FaultInjector;
  reset: () => void;
}): express.Router {
  const { faults, reset } = options;
  const router = express.Router();
  router.get('/sim/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/sim/faults', (_req, res) => {
    res.json(faults.switches);
  });
  router.put('/sim/faults', express.json(), (req, res) => {
    faults.set((req.body ?? {}) as Record<string, unknown>);
    res.json(faults.switches);
  });
  router.post('/sim/reset', (_req, res) => {
    reset();
    res.json({ status: 'ok' });
  });
  return router;
}
