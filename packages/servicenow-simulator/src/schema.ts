/** A record as stored: every value is a string, references hold sys_ids. */
export type SnRecord = Record<string, string>;

export interface TableSchema {
  /** All columns, in the order they are returned. */
  fields: string[];
  /** Reference columns and the table they point at. */
  references: Record<string, string>;
  /** Choice columns: value → label. */
  choices: Record<string, Record<string, string>>;
  /** The column used as the record's display value. */
  displayField: string;
  /**
   * Journal columns: each write is a sys_journal_field entry; read back as "" (the value) or as
   * the whole journal (the display value, see format.ts).
   */
  journal: string[];
  /** Prefix for `number`, if the table numbers its records. */
  numberPrefix?: string;
}

const SYS_FIELDS = [
  'sys_id',
  'sys_created_on',
  'sys_created_by',
  'sys_updated_on',
  'sys_updated_by',
  'sys_mod_count',
];

const IMPACT = { '1': '1 - High', '2': '2 - Medium', '3': '3 - Low' };

export const INCIDENT_STATE: Record<string, string> = {
  '1': 'New',
  '2': 'In Progress',
  '3': 'On Hold',
  '6': 'Resolved',
  '7': 'Closed',
  '8': 'Canceled',
};

function table(
  fields: string[],
  rest: Partial<TableSchema> & { displayField: string },
): TableSchema {
  return {
    fields: [...SYS_FIELDS, ...fields],
    references: {},
    choices: {},
    journal: [],
    ...rest,
  };
}

export const SCHEMAS: Record<string, TableSchema> = {
  incident: table(
    [
      'number',
      'short_description',
      'description',
      'state',
      'incident_state',
      'hold_reason',
      'impact',
      'urgency',
      'priority',
      'severity',
      'category',
      'subcategory',
      'contact_type',
      'assignment_group',
      'assigned_to',
      'cmdb_ci',
      'caller_id',
      'opened_by',
      'opened_at',
      'resolved_by',
      'resolved_at',
      'closed_by',
      'closed_at',
      'close_code',
      'close_notes',
      'active',
      'escalation',
      'reassignment_count',
      'reopen_count',
      'made_sla',
      'sla_due',
      'watch_list',
      'work_notes_list',
      'work_notes',
      'comments',
      'comments_and_work_notes',
      'sys_class_name',
      // an ordinary text field of task: an external system's id for the record, which
      // ServiceNow stores and queries but never deduplicates on
      'correlation_id',
      'correlation_display',
    ],
    {
      displayField: 'number',
      numberPrefix: 'INC',
      journal: ['work_notes', 'comments', 'comments_and_work_notes'],
      references: {
        assignment_group: 'sys_user_group',
        assigned_to: 'sys_user',
        cmdb_ci: 'cmdb_ci',
        caller_id: 'sys_user',
        opened_by: 'sys_user',
        resolved_by: 'sys_user',
        closed_by: 'sys_user',
      },
      choices: {
        state: INCIDENT_STATE,
        incident_state: INCIDENT_STATE,
        hold_reason: {
          '1': 'Awaiting Caller',
          '3': 'Awaiting Problem',
          '4': 'Awaiting Vendor',
          '5': 'Awaiting Change',
        },
        impact: IMPACT,
        urgency: IMPACT,
        severity: IMPACT,
        priority: {
          '1': '1 - Critical',
          '2': '2 - High',
          '3': '3 - Moderate',
          '4': '4 - Low',
          '5': '5 - Planning',
        },
        escalation: {
          '0': 'Normal',
          '1': 'Moderate',
          '2': 'High',
          '3': 'Overdue',
        },
        category: {
          inquiry: 'Inquiry / Help',
          software: 'Software',
          hardware: 'Hardware',
          network: 'Network',
          database: 'Database',
          access: 'Access',
          security: 'Security',
        },
        contact_type: {
          email: 'Email',
          phone: 'Phone',
          self_service: 'Self-service',
          monitoring: 'Monitoring',
          chat: 'Chat',
        },
      },
    },
  ),
  cmdb_ci: table(
    [
      'name',
      'sys_class_name',
      'short_description',
      'operational_status',
      'install_status',
      'environment',
      'support_group',
      'managed_by',
      'fqdn',
    ],
    {
      displayField: 'name',
      references: { support_group: 'sys_user_group', managed_by: 'sys_user' },
      choices: {
        sys_class_name: {
          cmdb_ci: 'Configuration Item',
          cmdb_ci_kubernetes_cluster: 'Kubernetes Cluster',
          cmdb_ci_kubernetes_namespace: 'Kubernetes Namespace',
          cmdb_ci_appl: 'Application',
        },
        operational_status: {
          '1': 'Operational',
          '2': 'Non-Operational',
          '3': 'Repair in Progress',
          '6': 'Retired',
        },
        install_status: {
          '1': 'Installed',
          '3': 'In Maintenance',
          '7': 'Retired',
        },
      },
    },
  ),
  sys_user_group: table(
    ['name', 'description', 'email', 'manager', 'type', 'active'],
    { displayField: 'name', references: { manager: 'sys_user' } },
  ),
  sys_user: table(
    [
      'user_name',
      'first_name',
      'last_name',
      'name',
      'email',
      'title',
      'department',
      'phone',
      'active',
    ],
    { displayField: 'name' },
  ),
  kb_knowledge_base: table(['title', 'description', 'active'], {
    displayField: 'title',
  }),
  kb_category: table(['label', 'value', 'kb_knowledge_base', 'active'], {
    displayField: 'label',
    references: { kb_knowledge_base: 'kb_knowledge_base' },
  }),
  kb_knowledge: table(
    [
      'number',
      'short_description',
      'text',
      'meta',
      'kb_knowledge_base',
      'kb_category',
      'author',
      'workflow_state',
      'published',
      'valid_to',
      'sys_view_count',
      'active',
      'latest',
    ],
    {
      displayField: 'number',
      numberPrefix: 'KB',
      references: {
        kb_knowledge_base: 'kb_knowledge_base',
        kb_category: 'kb_category',
        author: 'sys_user',
      },
      choices: {
        workflow_state: {
          draft: 'Draft',
          review: 'Review',
          published: 'Published',
          pending_retirement: 'Pending retirement',
          retired: 'Retired',
          outdated: 'Outdated',
        },
      },
    },
  ),
  sys_journal_field: table(['element_id', 'element', 'name', 'value'], {
    displayField: 'value',
  }),
};

/**
 * Class tables exposed as views of `cmdb_ci` (records whose sys_class_name
 * matches), e.g. `GET /api/now/table/cmdb_ci_kubernetes_cluster`.
 */
export const CLASS_TABLES: Record<string, string> = {
  cmdb_ci_kubernetes_cluster: 'cmdb_ci',
  cmdb_ci_kubernetes_namespace: 'cmdb_ci',
  cmdb_ci_appl: 'cmdb_ci',
};

/** Priority lookup (def-prio-lookup-rules): impact × urgency → priority. */
export function computePriority(impact: string, urgency: string): string {
  const i = Number(impact);
  const u = Number(urgency);
  if (![1, 2, 3].includes(i) || ![1, 2, 3].includes(u)) return '5';
  return String(i + u - 1);
}

/** UTC `YYYY-MM-DD HH:MM:SS`, the Table API's database date-time format. */
export function formatDateTime(d: Date): string {
  return d.toISOString().slice(0, 19).replace('T', ' ');
}

/** Parses `YYYY-MM-DD HH:MM:SS` (UTC); undefined when malformed. */
export function parseDateTime(s: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}):(\d{2}))?$/.exec(s);
  if (!m) return undefined;
  const d = new Date(
    `${m[1]}-${m[2]}-${m[3]}T${m[4] ?? '00'}:${m[5] ?? '00'}:${m[6] ?? '00'}Z`,
  );
  return isNaN(d.getTime()) ? undefined : d;
}
