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
  };
}
