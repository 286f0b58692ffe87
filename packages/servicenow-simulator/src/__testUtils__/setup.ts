import request from 'supertest';
import { createSimulator, SimulatorOptions } from '../simulator';

export const ANCHOR = new Date('2025-03-10T12:00:00Z');
export const BASIC = `Basic ${Buffer.from('admin:admin').toString('base64')}`;

/** A simulator with a controllable clock and request helpers. */
export function setup(options: SimulatorOptions = {}) {
  let time = ANCHOR.getTime();
  const sim = createSimulator({ now: () => new Date(time), ...options });
  const agent = request(sim.app);
  return {
    ...sim,
    advance(seconds: number) {
      time += seconds * 1000;
    },
    get: (path: string) =>
      agent
        .get(path)
        .set('Authorization', BASIC)
        .set('Accept', 'application/json'),
    post: (path: string, body: unknown) =>
      agent
        .post(path)
        .set('Authorization', BASIC)
        .set('Accept', 'application/json')
        .set('Content-Type', 'application/json')
        .send(JSON.stringify(body)),
    patch: (path: string, body: unknown) =>
      agent
        .patch(path)
        .set('Authorization', BASIC)
        .set('Accept', 'application/json')
        .set('Content-Type', 'application/json')
        .send(JSON.stringify(body)),
    put: (path: string, body: unknown) =>
      agent
        .put(path)
        .set('Authorization', BASIC)
        .set('Accept', 'application/json')
        .set('Content-Type', 'application/json')
        .send(JSON.stringify(body)),
    del: (path: string) =>
      agent
        .delete(path)
        .set('Authorization', BASIC)
        .set('Accept', 'application/json'),
    raw: agent,
  };
}

export type TestSim = ReturnType<typeof setup>;
