import type { Incident } from '@acme/plugin-incident-ops-common';
import { mockServices } from '@backstage/backend-test-utils';
import { makeIncident } from '../__fixtures__/incidents';
import { asSent } from '../__testUtils__/testBackend';
import type { IncidentStore } from '../database/IncidentStore';
import { createProviderConnection } from './connection';

/** A store that holds the incidents `known` and stores whatever it is given. */
function fakeStore(known: string[]) {
  const calls: string[] = [];
  const store = {
    upsertIncidents: async (incidents: Incident[]) => {
      calls.push(`upsert ${incidents.map(i => i.id).join(',')}`);
      return {
        stored: incidents.length,
        unchanged: 0,
        inserted: incidents.map(i => i.id).filter(id => !known.includes(id)),
      };
    },
  } as Partial<IncidentStore> as IncidentStore;
  return { store, calls };
}

describe('createProviderConnection', () => {
  const sent = asSent([
    makeIncident({ id: 'new-open', status: 'unassigned' }),
    makeIncident({ id: 'known-open', status: 'work-in-progress' }),
    makeIncident({ id: 'new-closed', status: 'closed' }),
  ]);

  it('hands the open incidents new to the store on, once they are stored', async () => {
    const { store, calls } = fakeStore(['known-open']);
    const arrived: string[] = [];
    const connection = createProviderConnection({
      store,
      source: 'servicenow',
      tierOf: () => 'L1',
      onNewOpenIncidents: async incidents => {
        calls.push('arrived');
        arrived.push(
          ...incidents.map(i => `${i.source}:${i.id}:${i.ticketType}`),
        );
      },
    });
    expect(await connection.applyIncidents(sent)).toEqual({
      stored: 3,
      unchanged: 0,
    });
    // the open ones the store inserted, classified as stored
    expect(calls).toEqual(['upsert new-open,known-open,new-closed', 'arrived']);
    expect(arrived).toEqual(['servicenow:new-open:cluster-outage']);
  });

  it('goes on with the sync when the suggestions on arrival fail', async () => {
    const { store } = fakeStore([]);
    const logger = mockServices.logger.mock();
    const connection = createProviderConnection({
      store,
      source: 'servicenow',
      tierOf: () => 'L1',
      onNewOpenIncidents: async () => {
        throw new Error('database is locked');
      },
      logger,
    });
    expect(await connection.applyIncidents(sent)).toEqual({
      stored: 3,
      unchanged: 0,
    });
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(
        /^Knowledge suggestions on arrival failed for 2 incidents .*database is locked/,
      ),
    );
  });
});
