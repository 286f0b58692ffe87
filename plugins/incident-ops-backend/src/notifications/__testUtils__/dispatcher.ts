import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { ConfigReader } from '@backstage/config';
import {
  DEFAULT_ESCALATION_POLICY,
  DEFAULT_NOTIFICATION_RULES,
  Incident,
} from '@acme/plugin-incident-ops-common';
import type {
  IncidentNotification,
  IncidentNotifier,
  NotificationRecipient,
} from '@acme/plugin-incident-ops-node';
import type { Knex } from 'knex';
import { makeIncident } from '../../__fixtures__/incidents';
import { ContactResolver } from '../../contacts';
import { shippedCatalog } from '../../contacts/__fixtures__/catalog';
import { createStores } from '../../database';
import { EscalationEngine } from '../../escalation/EscalationEngine';
import { PolicyBook } from '../../escalation/PolicyBook';
import { readVendors } from '../config';
import { NotificationDispatcher } from '../NotificationDispatcher';
import { NotificationRouter, contactLookup } from '../NotificationRouter';

const T0 = Date.parse('2026-11-25T08:00:00Z');
export const at = (minutes: number) => new Date(T0 + minutes * 60_000);

/** A channel that records what it was asked to send and can be made to fail. */
export function recorder(
  channel: string,
  address: (r: NotificationRecipient) => string | undefined,
  batch = true,
) {
  const sent: IncidentNotification[] = [];
  let failures = 0;
  const notifier: IncidentNotifier = {
    channel,
    batch,
    address,
    async send(n) {
      if (failures > 0) {
        failures--;
        throw new Error(`${channel} is down`);
      }
      sent.push(n);
    },
  };
  return {
    notifier,
    sent,
    failNext(n: number) {
      failures = n;
    },
  };
}

export const incident = (n: number, overrides: Partial<Incident> = {}) =>
  makeIncident({
    id: String(n).padStart(32, '0'),
    number: `INC${3000 + n}`,
    shortDescription: 'LiveLink API returns 503 from livelink-prod',
    priority: 'P1',
    tier: 'L1',
    assignmentGroup: { id: 'g1', name: 'Atlas-L1-Support' },
    assignedTo: { id: 'u1', name: 'Priya Sharma' },
    caller: { id: 'c1', name: 'Tom Becker' },
    configurationItem: { id: 'ci-ll', name: 'abrc1l:livelink-prod' },
    openedAt: at(0).toISOString(),
    sourceUpdatedAt: at(0).toISOString(),
    syncedAt: at(0).toISOString(),
    ...overrides,
  });

const catalog = catalogServiceMock({ entities: shippedCatalog() });

/** The stores, router, dispatcher and escalation engine on `knex`, with a clock to set. */
export async function setup(knex: Knex, notifiers: IncidentNotifier[]) {
  const database = mockServices.database({
    knex,
    migrations: { skip: false },
  });
  const {
    incidents: store,
    workflow,
    escalations,
    notifications: outbox,
  } = await createStores({ database });
  let clock = at(0);
  const router = new NotificationRouter({
    rules: DEFAULT_NOTIFICATION_RULES,
    notifiers,
    lookup: contactLookup(new ContactResolver({ catalog })),
    catalog,
    auth: mockServices.auth(),
    incidents: store,
    vendors: readVendors(new ConfigReader({})),
    linkTemplate:
      'https://backstage.acme.com/incident-ops/queue?incident={number}',
  });
  const dispatcher = (
    o: Partial<ConstructorParameters<typeof NotificationDispatcher>[0]> = {},
  ) =>
    new NotificationDispatcher({
      store: outbox,
      router,
      notifiers,
      logger: mockServices.logger.mock(),
      now: () => clock,
      random: () => 0,
      ...o,
    });
  const engine = new EscalationEngine({
    store: escalations,
    policies: new PolicyBook(escalations, DEFAULT_ESCALATION_POLICY),
    groupOf: tier => `Atlas-${tier}`,
    logger: mockServices.logger.mock(),
    now: () => clock,
  });
  return {
    store,
    workflow,
    outbox,
    engine,
    dispatcher,
    setClock: (d: Date) => {
      clock = d;
    },
  };
}
