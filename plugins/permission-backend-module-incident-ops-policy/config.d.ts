export interface Config {
  incidentOps?: {
    /**
     * The shipped Incident Ops permission policy
     * (`@acme/plugin-permission-backend-module-incident-ops-policy`). Groups are catalog
     * entity refs (`group:default/incident-ops-admins`, or just the name); a user is in a
     * group when the group is one of their ownership entity refs (their direct `memberOf`
     * groups under the default sign-in resolvers). See docs/security.md.
     */
    permissionPolicy?: {
      /**
       * Groups that administer the suite: sync now, the sync admin page (re-queue, discard,
       * quarantine payloads, recipients' contact details), reports, lessons, playbook
       * overrides and surveys recorded on a requestor's behalf. Default: none.
       */
      adminGroups?: string[];
      /** Leads and management: they read the reports. Default: none (admins only). */
      reportGroups?: string[];
      /**
       * Accountable roles (ownership matrix) whose holders on an incident's cluster or
       * namespace work it whatever its tier (transition, escalate, playbook run, KB feedback,
       * communicate, vendor engagement), besides the tier's group and the tiers above.
       * Default: ['evangelist', 'team-lead', 'kube-admin']. The Support Engineer role is left
       * out by default: it names the L1 group on the clusters, and L1 works L1 tickets only.
       */
      workRoles?: Array<
        | 'support-engineer'
        | 'evangelist'
        | 'team-lead'
        | 'kube-admin'
        | 'vendor-liaison'
      >;
      /**
       * Roles whose holders also manage vendor engagements. Default: ['vendor-liaison'].
       */
      vendorRoles?: Array<
        | 'support-engineer'
        | 'evangelist'
        | 'team-lead'
        | 'kube-admin'
        | 'vendor-liaison'
      >;
      /**
       * Accountable roles (ownership matrix) whose holders on an incident's cluster or
       * namespace may resolve it past a playbook's required steps.
       * Default: ['team-lead', 'kube-admin'].
       */
      overrideRoles?: Array<
        | 'support-engineer'
        | 'evangelist'
        | 'team-lead'
        | 'kube-admin'
        | 'vendor-liaison'
      >;
      /**
       * Groups that may record a survey on a requestor's behalf (a requestor needs no
       * permission for their own). Default: none (admins only).
       */
      surveyRecorders?: string[];
      /**
       * What permissions of other plugins (catalog, search, ...) get. Default: allow, as the
       * allow-all policy did.
       */
      otherPermissions?: 'allow' | 'deny';
    };
  };
}
