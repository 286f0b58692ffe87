import type {
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_PHONE,
  ANNOTATION_SERVICENOW_CMDB_CI,
  ANNOTATION_SLACK_CHANNEL,
  ANNOTATION_TEAMS_CHANNEL,
  ANNOTATION_VENDOR_HOTLINE,
  type ContactRole,
  type Incident,
  type NotificationRole,
  type NotificationRule,
  rolesByChannel,
} from '@acme/plugin-incident-ops-common';
import type {
  IncidentNotifier,
  NotificationRecipient,
} from '@acme/plugin-incident-ops-node';
import type {
  ClaimedNotification,
  PlannedDelivery,
} from '../../database/DatabaseNotificationStore';
import type { IncidentStore } from '../../database/IncidentStore';
import type { ContactResolver } from '../contacts';
import { composeMessage } from './messages';

/** A contact as the contact tree returns it: a user, a group (with members) or a hotline. */
export interface LookupContact extends NotificationRecipient {
  kind: 'user' | 'group' | 'hotline';
  roles: readonly string[];
  members?: NotificationRecipient[];
}

/**
 * Who holds roles for an entity. The contact tree's ContactResolver fits it; so does any
 * directory that can answer by role.
 */
export interface RecipientLookup {
  /** The contacts holding any of `roles` for the entity (inheritance applied). */
  recipientsFor(
    entityRef: string,
    roles: readonly any[],
    credentials: BackstageCredentials,
  ): Promise<LookupContact[]>;
  /** The entity's own Slack/Teams channels, set on it or inherited. */
  channelsFor?(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<{ slack?: string; teams?: string }>;
}

/** The contact tree as a recipient lookup. */
export function contactLookup(resolver: ContactResolver): RecipientLookup {
  return {
    recipientsFor: (entityRef, roles, credentials) =>
      resolver.recipientsFor(entityRef, roles as ContactRole[], credentials),
    async channelsFor(entityRef, credentials) {
      const { channels } = await resolver.contactTree(entityRef, credentials);
      return {
        ...(channels.slack ? { slack: channels.slack.value } : {}),
        ...(channels.teams ? { teams: channels.teams.value } : {}),
      };
    },
  };
}

/** A vendor's escalation contact, from config. */
export interface VendorContact {
  /** The vendor group in the catalog, if any. */
  entityRef?: string;
  name: string;
  email?: string;
  phone?: string;
  slackChannel?: string;
  teamsChannel?: string;
}

/** Roles the router resolves itself rather than through the contact tree. */
const OWN_ROLES = new Set<NotificationRole>([
  'requestor',
  'assignee',
  'vendor',
  'entity-channel',
]);

type EventRow = Extract<ClaimedNotification, { kind: 'event' }>;

const userContact = (e: Entity): NotificationRecipient => {
  const profile = (e.spec?.profile ?? {}) as {
    displayName?: string;
    email?: string;
  };
  const annotations = e.metadata.annotations ?? {};
  return {
    entityRef: stringifyEntityRef(e),
    name: profile.displayName ?? e.metadata.name,
    ...(profile.email ? { email: profile.email } : {}),
    ...(annotations[ANNOTATION_PHONE]
      ? { phone: annotations[ANNOTATION_PHONE] }
      : {}),
    ...(annotations[ANNOTATION_SLACK_CHANNEL]
      ? { slackChannel: annotations[ANNOTATION_SLACK_CHANNEL] }
      : {}),
    ...(annotations[ANNOTATION_TEAMS_CHANNEL]
      ? { teamsChannel: annotations[ANNOTATION_TEAMS_CHANNEL] }
      : {}),
  };
};

/**
 * Turns an event into deliveries: the rules say which roles hear of it on which channels;
 * the contact tree (on the incident's catalog entity), the ticket's caller and assignee,
 * and the vendor's contact say who those are; each channel's notifier says how it reaches
 * them. What could not be reached is said in the outcome.
 */
export class NotificationRouter {
  constructor(
    private readonly options: {
      rules: readonly NotificationRule[];
      notifiers: IncidentNotifier[];
      lookup?: RecipientLookup;
      catalog: CatalogService;
      auth: AuthService;
      incidents: IncidentStore;
      vendors: Record<string, VendorContact>;
      /** A link to the incident: `{number}` is replaced. Default: the ticket's own URL. */
      linkTemplate?: string;
    },
  ) {}

  async route(
    row: EventRow,
  ): Promise<{ deliveries: PlannedDelivery[]; outcome: string }> {
    const { rules, notifiers, auth } = this.options;
    const p = row.payload;
    const incident = row.incident
      ? await this.options.incidents.getIncidentByNumber(row.incident.number)
      : undefined;
    const byChannel = rolesByChannel(rules, {
      event: row.event,
      priority: p.priority ?? incident?.priority,
      toTier: p.toTier,
    });
    const notes: string[] = [];
    const notifierOf = new Map(notifiers.map(n => [n.channel, n]));
    const channels = [...byChannel.keys()].filter(c => {
      if (notifierOf.has(c)) return true;
      notes.push(`${c}: not configured`);
      return false;
    });
    if (channels.length === 0) {
      return {
        deliveries: [],
        outcome: notes.length ? notes.join('; ') : 'no rule applies',
      };
    }

    const roles = new Set(channels.flatMap(c => byChannel.get(c)!));
    const credentials = await auth.getOwnServiceCredentials();
    const contacts = await this.contactsFor(
      row,
      incident,
      roles,
      credentials,
      notes,
    );

    const message = composeMessage({
      event: row.event,
      payload: p,
      incident,
      link: this.linkFor(incident),
    });
    const deliveries: PlannedDelivery[] = [];
    for (const channel of channels) {
      const notifier = notifierOf.get(channel)!;
      const wanted = new Set(byChannel.get(channel));
      const addresses = new Map<string, NotificationRecipient>();
      for (const contact of contacts) {
        if (!contact.roles.some(r => wanted.has(r as NotificationRole))) {
          continue;
        }
        const own = notifier.address(contact);
        if (own) {
          if (!addresses.has(own)) addresses.set(own, strip(contact));
          continue;
        }
        // a group without an address of its own on this channel: its members'
        for (const member of contact.members ?? []) {
          const a = notifier.address(member);
          if (a && !addresses.has(a)) addresses.set(a, strip(member));
        }
      }
      if (addresses.size === 0) {
        notes.push(`${channel}: nobody reachable (${[...wanted].join(', ')})`);
        continue;
      }
      const to = [...addresses.keys()].sort();
      if (notifier.batch) {
        deliveries.push({
          key: `${row.key}>${channel}`,
          channel,
          to,
          recipients: to.map(a => addresses.get(a)!),
          message,
        });
      } else {
        for (const a of to) {
          deliveries.push({
            key: `${row.key}>${channel}>${a}`,
            channel,
            to: [a],
            recipients: [addresses.get(a)!],
            message,
          });
        }
      }
      notes.push(`${channel}: ${to.length}`);
    }
    return { deliveries, outcome: notes.join('; ') };
  }

  private linkFor(incident?: Incident) {
    if (!incident) return undefined;
    return this.options.linkTemplate
      ? this.options.linkTemplate.replace(
          /\{number\}/g,
          encodeURIComponent(incident.number),
        )
      : incident.url;
  }

  /** Everyone holding one of the roles, each with the roles they hold. */
  private async contactsFor(
    row: EventRow,
    incident: Incident | undefined,
    roles: Set<NotificationRole>,
    credentials: BackstageCredentials,
    notes: string[],
  ): Promise<LookupContact[]> {
    const out: LookupContact[] = [];
    const treeRoles = [...roles].filter(r => !OWN_ROLES.has(r));
    let entity: Promise<string | undefined> | undefined;
    const entityRef = () => {
      entity ??= this.entityOf(incident, credentials);
      return entity;
    };
    const lookup = this.options.lookup;
    if (treeRoles.length > 0 || roles.has('entity-channel')) {
      const ref = await entityRef();
      if (!ref) {
        notes.push(
          `no catalog entity for CMDB CI ${
            incident?.configurationItem?.name ?? '(none)'
          }: ${[...roles]
            .filter(r => r !== 'requestor')
            .join(', ')} not resolved`,
        );
      } else if (!lookup) {
        notes.push('no contact directory: roles not resolved');
      } else {
        if (treeRoles.length > 0) {
          out.push(
            ...(await lookup.recipientsFor(ref, treeRoles, credentials)),
          );
        }
        if (roles.has('entity-channel') && lookup.channelsFor) {
          const ch = await lookup.channelsFor(ref, credentials);
          if (ch.slack || ch.teams) {
            out.push({
              kind: 'hotline',
              name: `${ref} channel`,
              roles: ['entity-channel'],
              ...(ch.slack ? { slackChannel: ch.slack } : {}),
              ...(ch.teams ? { teamsChannel: ch.teams } : {}),
            });
          }
        }
      }
    }
    if (roles.has('requestor')) {
      const who = row.payload.requestor ?? incident?.caller;
      const user = who
        ? await this.userNamed(who.name ?? '', credentials)
        : undefined;
      if (user) out.push({ ...user, kind: 'user', roles: ['requestor'] });
      else {
        notes.push(
          `requestor ${who?.name ?? '(none)'} is not a user in the catalog`,
        );
      }
    }
    if (roles.has('assignee')) {
      const who = incident?.assignedTo;
      const user = who?.name
        ? await this.userNamed(who.name, credentials)
        : undefined;
      // nobody (or nobody in the catalog) has it: the tier group it is assigned to
      const tier = incident?.tier?.toLowerCase();
      const ref = user || !tier || !lookup ? undefined : await entityRef();
      const team = ref
        ? await lookup!.recipientsFor(ref, [tier], credentials)
        : [];
      if (user) out.push({ ...user, kind: 'user', roles: ['assignee'] });
      else if (team.length > 0) {
        out.push(...team.map(t => ({ ...t, roles: ['assignee'] })));
        notes.push(
          `assignee ${
            who?.name ?? '(none)'
          } is not a user in the catalog: told the ${incident?.tier} group`,
        );
      } else {
        notes.push(
          `assignee ${who?.name ?? '(none)'} is not a user in the catalog`,
        );
      }
    }
    if (roles.has('vendor') && row.payload.vendor) {
      const vendor = await this.vendorContact(
        row.payload.vendor.vendor,
        credentials,
      );
      if (vendor) out.push({ ...vendor, kind: 'group', roles: ['vendor'] });
    }
    return out;
  }

  /** The catalog entity whose CMDB CI annotation names the incident's CI. */
  private async entityOf(
    incident: Incident | undefined,
    credentials: BackstageCredentials,
  ): Promise<string | undefined> {
    const ci = incident?.configurationItem;
    const keys = [ci?.name, ci?.id].filter((k): k is string => Boolean(k));
    if (keys.length === 0) return undefined;
    const { items } = await this.options.catalog.getEntities(
      {
        filter: {
          [`metadata.annotations.${ANNOTATION_SERVICENOW_CMDB_CI}`]: keys,
        },
        fields: ['kind', 'metadata.name', 'metadata.namespace'],
      },
      { credentials },
    );
    return items[0] ? stringifyEntityRef(items[0]) : undefined;
  }

  /**
   * A catalog user for a ServiceNow display name ("Priya Raman"): by display name, or by the
   * user name it implies (priya.raman).
   */
  private async userNamed(
    name: string,
    credentials: BackstageCredentials,
  ): Promise<NotificationRecipient | undefined> {
    if (!name.trim()) return undefined;
    const dotted = name.trim().toLowerCase().replace(/\s+/g, '.');
    const { items } = await this.options.catalog.getEntities(
      {
        filter: [
          { kind: 'User', 'spec.profile.displayName': name.trim() },
          { kind: 'User', 'metadata.name': dotted },
        ],
      },
      { credentials },
    );
    return items[0] ? userContact(items[0]) : undefined;
  }

  /** The vendor's contact: config, completed from its catalog group. */
  private async vendorContact(
    vendor: string,
    credentials: BackstageCredentials,
  ): Promise<NotificationRecipient | undefined> {
    const configured = this.options.vendors[vendor];
    if (!configured) return undefined;
    if (!configured.entityRef) return { ...configured };
    const entity = await this.options.catalog.getEntityByRef(
      configured.entityRef,
      { credentials },
    );
    if (!entity) return configured;
    const fromCatalog = userContact(entity);
    const hotline = entity.metadata.annotations?.[ANNOTATION_VENDOR_HOTLINE];
    const { name, email, phone, slackChannel, teamsChannel } = configured;
    return {
      ...fromCatalog,
      ...(hotline ? { phone: hotline } : {}),
      name,
      ...(email ? { email } : {}),
      ...(phone ? { phone } : {}),
      ...(slackChannel ? { slackChannel } : {}),
      ...(teamsChannel ? { teamsChannel } : {}),
    };
  }
}

function strip(r: NotificationRecipient): NotificationRecipient {
  return {
    ...(r.entityRef ? { entityRef: r.entityRef } : {}),
    name: r.name,
  };
}
