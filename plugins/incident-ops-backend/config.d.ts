export interface Config {
  /** Incident Ops */
  incidentOps?: {
    /**
     * Which source assignment groups (by name or sys_id) are which support tier.
     * An incident whose group is in none of them has no tier.
     */
    tiers?: {
      L1?: { assignmentGroups: string[] };
      L2?: { assignmentGroups: string[] };
      L3?: { assignmentGroups: string[] };
    };
    /**
     * How tickets are classified into types (egress, gitlab-ci-access, node-provisioning,
     * gitops, namespace-access, cluster-outage, security, connectivity, other). The first rule
     * whose conditions all hold decides; configured rules come before the defaults.
     */
    classification?: {
      /** Default true: the shipped rules follow the configured ones. */
      useDefaultRules?: boolean;
      rules?: Array<{
        id: string;
        type: string;
        /** ServiceNow category, compared case-insensitively. */
        category?: string;
        subcategory?: string;
        /** A case-insensitive regular expression over the short description and description. */
        pattern?: string;
      }>;
    };
  };
}
