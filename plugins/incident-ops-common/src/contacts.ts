import type { AccountableRole } from './annotations';

/**
 * Who can be reached about an entity, by what they do for it:
 * - the tier groups `l1`, `l2`, `l3` (groups with a support-tier annotation),
 * - the accountable roles set on the entity or inherited (`support-engineer`, `evangelist`,
 *   `team-lead`, `kube-admin`, `vendor-liaison`), and the entity's `owner`,
 * - `architect`, `vendor-manager`, `it-leadership` and `vendor` (groups with a
 *   stakeholder-role annotation), and `area-lead` (the owner of the entity's domain).
 * @public
 */
export type ContactRole =
  | 'l1'
  | 'l2'
  | 'l3'
  | 'support-engineer'
  | 'kube-admin'
  | 'owner'
  | 'evangelist'
  | 'architect'
  | 'team-lead'
  | 'area-lead'
  | 'vendor-manager'
  | 'it-leadership'
  | 'vendor-liaison'
  | 'vendor';

/** The levels of the escalation contact tree, in the order they are reached. @public */
export type ContactLevel =
  | 'l1'
  | 'l2'
  | 'l3'
  | 'team-lead'
  | 'management'
  | 'vendor';

/** Each level of the contact tree, its title and the roles it holds. @public */
export const CONTACT_LEVELS: ReadonlyArray<{
  level: ContactLevel;
  title: string;
  roles: readonly ContactRole[];
}> = [
  { level: 'l1', title: 'L1 support', roles: ['support-engineer', 'l1'] },
  { level: 'l2', title: 'L2 platform', roles: ['kube-admin', 'owner', 'l2'] },
  {
    level: 'l3',
    title: 'L3 / Evangelist',
    roles: ['evangelist', 'architect', 'l3'],
  },
  { level: 'team-lead', title: 'Team lead', roles: ['team-lead'] },
  {
    level: 'management',
    title: 'Management',
    roles: ['area-lead', 'vendor-manager', 'it-leadership'],
  },
  { level: 'vendor', title: 'Vendor', roles: ['vendor-liaison', 'vendor'] },
];

/** Human labels of the contact roles. @public */
export const CONTACT_ROLE_LABEL: Record<ContactRole, string> = {
  l1: 'L1 tier',
  l2: 'L2 tier',
  l3: 'L3 tier',
  'support-engineer': 'Support engineer',
  'kube-admin': 'Kube-admin',
  owner: 'Owner',
  evangelist: 'Evangelist',
  architect: 'Architect',
  'team-lead': 'Team lead',
  'area-lead': 'Area lead',
  'vendor-manager': 'Vendor manager',
  'it-leadership': 'IT leadership',
  'vendor-liaison': 'Vendor liaison',
  vendor: 'Vendor support',
};

/**
 * Values of the stakeholder-role annotation on groups, which makes a group a platform-wide
 * contact for that role.
 * @public
 */
export type StakeholderRole =
  | 'architect'
  | 'vendor-manager'
  | 'it-leadership'
  | 'vendor';

/** @public */
export const STAKEHOLDER_ROLES: readonly StakeholderRole[] = [
  'architect',
  'vendor-manager',
  'it-leadership',
  'vendor',
];

/** A user or group as a contact, or a member of a group. @public */
export interface ContactPerson {
  entityRef: string;
  kind: 'user' | 'group';
  name: string;
  email?: string;
  phone?: string;
  /** Named by an annotation but not in the catalog. */
  missing?: boolean;
}

/** Someone (or a hotline) to reach, with how to reach them. @public */
export interface Contact {
  /** The user or group; absent for a hotline that only an annotation names. */
  entityRef?: string;
  kind: 'user' | 'group' | 'hotline';
  name: string;
  description?: string;
  email?: string;
  /** A user's phone, or a vendor group's hotline. */
  phone?: string;
  slackChannel?: string;
  teamsChannel?: string;
  /** A group's direct members. */
  members?: ContactPerson[];
  /** Named by an annotation but not in the catalog. */
  missing?: boolean;
}

/** Where a contact in the tree comes from. @public */
export interface ContactSource {
  /**
   * The entity that names the contact: the entity asked about, or the namespace or cluster
   * it inherits from; for a platform-wide contact, the group itself.
   */
  entityRef: string;
  /**
   * How: a role `annotation` (key in `detail`), the entity's `owner`, the owner of its
   * `domain` (domain ref in `detail`), a `support-tier` group or a `stakeholder-role` group.
   */
  via: 'annotation' | 'owner' | 'domain' | 'support-tier' | 'stakeholder-role';
  detail?: string;
  /** True when `entityRef` is a namespace or cluster the entity inherits from. */
  inherited: boolean;
}

/** One contact at a level of the tree, with every role it holds there. @public */
export interface ContactEntry {
  roles: ContactRole[];
  contact: Contact;
  /** Where the first of its roles comes from. */
  from: ContactSource;
}

/** A value (a channel, a hotline) set on the entity or inherited. @public */
export interface InheritedValue {
  value: string;
  from: string;
  inherited: boolean;
}

/** Response of `GET /contacts`: who is reached about an entity, level by level. @public */
export interface ContactTree {
  entityRef: string;
  /** The entity and what it inherits from, nearest first (service, namespace, cluster). */
  chain: Array<{
    entityRef: string;
    kind: string;
    type?: string;
    title?: string;
  }>;
  /** The management domain, from the nearest entity in the chain that names one. */
  domain?: { entityRef: string; title?: string; from: string };
  channels: { slack?: InheritedValue; teams?: InheritedValue };
  levels: Array<{
    level: ContactLevel;
    title: string;
    contacts: ContactEntry[];
  }>;
  /** Roles nobody holds for this entity. */
  gaps: ContactRole[];
}

/** Someone to notify, with every role they hold for the entity. @public */
export interface Recipient extends Contact {
  roles: ContactRole[];
}

/** The columns of the role accountability matrix. @public */
export const MATRIX_ROLES: readonly AccountableRole[] = [
  'support-engineer',
  'evangelist',
  'team-lead',
  'kube-admin',
  'vendor-liaison',
];

/** Human labels of the accountable roles. @public */
export const ACCOUNTABLE_ROLE_LABEL: Record<AccountableRole, string> = {
  'support-engineer': 'Support Engineer',
  evangelist: 'Evangelist',
  'team-lead': 'Team Lead',
  'kube-admin': 'Kube-Admin',
  'vendor-liaison': 'Vendor Liaison',
};

/** One role for one cluster or namespace. @public */
export interface OwnershipCell {
  role: AccountableRole;
  /** Entity refs of the users and groups holding it (see `people`). */
  holders: string[];
  /** The entity that sets it: the row's own, or its cluster's. Absent for a gap. */
  from?: string;
  inherited: boolean;
  /** Nobody in the catalog holds the role. */
  gap: boolean;
}

/** A cluster or namespace of the matrix. @public */
export interface OwnershipRow {
  entityRef: string;
  name: string;
  title?: string;
  type: 'cluster' | 'namespace';
  /** For a namespace, its cluster's entity ref. */
  cluster?: string;
  /** The management domain (own or the cluster's). */
  domain?: string;
  /** Its own ServiceNow CMDB CI, which places incidents on it. */
  configurationItem?: string;
  cells: OwnershipCell[];
}

/** Response of `GET /ownership-matrix`. @public */
export interface OwnershipMatrix {
  roles: AccountableRole[];
  rows: OwnershipRow[];
  /** Every holder named in the matrix. */
  people: ContactPerson[];
  domains: Array<{ name: string; title?: string }>;
  gaps: {
    total: number;
    byRole: Array<{ role: AccountableRole; count: number }>;
  };
}
