import type {
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_PHONE,
  ANNOTATION_SERVICENOW_USER,
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
} from '../database/DatabaseNotificationStore';
import type { IncidentStore } from '../database/IncidentStore';
import type { ContactResolver } from '../contacts';
import { composeMessage } from './messages';
import { incidentEntity } from '../contacts/incidentEntity';

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

/** A user of the source (ServiceNow): sys_id, display name, email when the source gives one. */
type SourceUser = { id?: string; name?: string; email?: string };

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
 * the contact tree (on the incident's catalog entity), the ticket's caller and assignee
 * (catalog users by their ServiceNow sys_id, email or unique display name),
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
      /**
       * Who reported the incident from Backstage (user entity refs): requestors too, when
       * ServiceNow names someone else as its caller (the integration caller).
       */
      reportersOf?: (number: string) => Promise<string[]>;
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
      // each address with everyone it reaches (several chat channels can share one
      // incoming webhook: one address, one post, naming them all)
      const addresses = new Map<string, NotificationRecipient[]>();
      const reach = (address: string, r: NotificationRecipient) => {
        const list = addresses.get(address) ?? [];
        const who = strip(r);
        if (!list.some(x => sameRecipient(x, who))) list.push(who);
        addresses.set(address, list);
      };
      for (const contact of contacts) {
        if (!contact.roles.some(r => wanted.has(r as NotificationRole))) {
          continue;
        }
        const own = notifier.address(contact);
        if (own) {
          reach(own, contact);
          continue;
        }
        // a group without an address of its own on this channel: its members'
        for (const member of contact.members ?? []) {
          const a = notifier.address(member);
          if (a) reach(a, member);
        }
      }
      if (addresses.size === 0) {
        notes.push(`${channel}: nobody reachable (${[...wanted].join(', ')})`);
        continue;
      }
      const to = [...addresses.keys()].sort();
      if (notifier.batch) {
        const recipients: NotificationRecipient[] = [];
        for (const r of to.flatMap(a => addresses.get(a)!)) {
          if (!recipients.some(x => sameRecipient(x, r))) recipients.push(r);
        }
        deliveries.push({
          key: `${row.key}>${channel}`,
          channel,
          to,
          recipients,
          message,
        });
      } else {
        for (const a of to) {
          deliveries.push({
            key: `${row.key}>${channel}>${a}`,
            channel,
            to: [a],
            recipients: addresses.get(a)!,
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
      const { user, why } = await this.catalogUser(
        'requestor',
        row.payload.requestor ?? incident?.caller,
        credentials,
      );
      if (user) out.push({ ...user, kind: 'user', roles: ['requestor'] });
      else notes.push(why!);
      for (const reporter of await this.reporters(incident, credentials)) {
        if (reporter.entityRef !== user?.entityRef) {
          out.push({ ...reporter, kind: 'user', roles: ['requestor'] });
        }
      }
    }
    if (roles.has('assignee')) {
      const { user, why } = await this.catalogUser(
        'assignee',
        incident?.assignedTo,
        credentials,
      );
      // nobody (or nobody in the catalog) has it: the tier group it is assigned to
      const tier = incident?.tier?.toLowerCase();
      const ref = user || !tier || !lookup ? undefined : await entityRef();
      const team = ref
        ? await lookup!.recipientsFor(ref, [tier], credentials)
        : [];
      if (user) out.push({ ...user, kind: 'user', roles: ['assignee'] });
      else if (team.length > 0) {
        out.push(...team.map(t => ({ ...t, roles: ['assignee'] })));
        notes.push(`${why}: told the ${incident?.tier} group`);
      } else {
        notes.push(why!);
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

  /** The catalog users who reported the incident from Backstage. */
  private async reporters(
    incident: Incident | undefined,
    credentials: BackstageCredentials,
  ): Promise<NotificationRecipient[]> {
    const refs =
      incident && this.options.reportersOf
        ? await this.options.reportersOf(incident.number)
        : [];
    const users = await Promise.all(
      refs.map(ref =>
        this.options.catalog.getEntityByRef(ref, { credentials }),
      ),
    );
    return users.flatMap(u => (u ? [userContact(u)] : []));
  }

  /** The catalog entity whose CMDB CI annotation names the incident's CI. */
  private entityOf(
    incident: Incident | undefined,
    credentials: BackstageCredentials,
  ): Promise<string | undefined> {
    return incidentEntity(this.options.catalog, incident, credentials);
  }

  /**
   * The catalog user for a user of the source (the caller, the assignee): the one whose
   * `servicenow-user` annotation holds their sys_id; else the one with their email (when the
   * source gives it); else the one user whose display name is exactly theirs. A user whose
   * annotation names another sys_id is never taken for them. Otherwise nobody, and why.
   */
  private async catalogUser(
    role: string,
    who: SourceUser | undefined,
    credentials: BackstageCredentials,
  ): Promise<{ user?: NotificationRecipient; why?: string }> {
    const id = who?.id?.trim();
    const name = who?.name?.trim();
    const email = who?.email?.trim().toLowerCase();
    const label = `${role} ${name || id || '(none)'}`;
    const notInCatalog = { why: `${label} is not a user in the catalog` };
    if (!id && !name && !email) return notInCatalog;
    const sysIdOf = (e: Entity) =>
      e.metadata.annotations?.[ANNOTATION_SERVICENOW_USER]?.trim();
    const profile = (e: Entity) =>
      (e.spec?.profile ?? {}) as { displayName?: string; email?: string };
    const filter: Array<Record<string, string>> = [];
    if (id) {
      filter.push({
        kind: 'User',
        [`metadata.annotations.${ANNOTATION_SERVICENOW_USER}`]: id,
      });
    }
    if (email) filter.push({ kind: 'User', 'spec.profile.email': email });
    if (name) filter.push({ kind: 'User', 'spec.profile.displayName': name });
    const { items } = await this.options.catalog.getEntities(
      { filter },
      { credentials },
    );
    // a user known as another ServiceNow user is not this one, whatever the name
    const candidates = items.filter(e => !id || !sysIdOf(e));
    // by sys_id, then email, then display name; several matches are no match
    const steps: Array<{ found: Entity[]; what: string; more?: string }> = [
      {
        found: id ? items.filter(e => sysIdOf(e) === id) : [],
        what: `carry servicenow-user ${id}`,
      },
      {
        found: email
          ? candidates.filter(e => profile(e).email?.toLowerCase() === email)
          : [],
        what: `have the email ${email}`,
      },
      {
        found: name
          ? candidates.filter(e => profile(e).displayName?.trim() === name)
          : [],
        what: 'have that display name',
        more: ` and none carries servicenow-user ${id ?? '(no sys_id)'}`,
      },
    ];
    for (const { found, what, more = '' } of steps) {
      if (found.length === 1) return { user: userContact(found[0]) };
      if (found.length > 1) {
        const refs = found.map(e => stringifyEntityRef(e)).join(', ');
        return {
          why: `${label} is not matched: ${found.length} catalog users ${what} (${refs})${more}`,
        };
      }
    }
    return notInCatalog;
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

function sameRecipient(a: NotificationRecipient, b: NotificationRecipient) {
  return a.entityRef || b.entityRef
    ? a.entityRef === b.entityRef
    : a.name === b.name;
}

function strip(r: NotificationRecipient): NotificationRecipient {
  return {
    ...(r.entityRef ? { entityRef: r.entityRef } : {}),
    name: r.name,
  };
}
