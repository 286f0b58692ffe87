import type {
  QueueItem,
  QueueResponse,
  SlaClock,
} from '@acme/plugin-incident-ops-common';
import type {
  CommunicationsView,
  IncidentDetail,
  KnowledgeSuggestions,
  PlaybookRunView,
} from '../../api/IncidentOpsApi';

const MIN = 60_000;
const HOUR = 60 * MIN;
export const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

export const sla = (over: Partial<SlaClock>): SlaClock => ({
  target: 'resolve',
  state: 'running',
  limitMs: 8 * HOUR,
  usedMs: HOUR,
  pausedMs: 0,
  leftMs: 7 * HOUR,
  ...over,
});

export const queueItem = (over: Partial<QueueItem>): QueueItem => ({
  source: 'servicenow',
  id: over.number ?? 'x',
  number: 'INC13076932',
  shortDescription: 'Add egress NFS access for livelink-prod',
  priority: 'P3',
  status: 'work-in-progress',
  sourceState: '2',
  tier: 'L1',
  ticketType: 'egress',
  assignedTo: { id: 'u', name: 'Priya Raman' },
  assignmentGroup: { id: 'g', name: 'Atlas-L1-Support' },
  configurationItem: { id: 'ci', name: 'abrc1l:livelink-prod' },
  openedAt: ago(3 * HOUR),
  sourceUpdatedAt: ago(HOUR),
  sourceVersion: 2,
  syncedAt: ago(MIN),
  url: 'https://acme.service-now.com/nav_to.do?uri=incident.do%3Fsys_id%3Dx',
  sla: sla({}),
  transitions: ['awaiting-customer', 'escalated', 'resolved'],
  ...over,
});

/** A breached P1 at L3, a running P2 about to leave L1, a paused P3. */
export const queue: QueueResponse = {
  items: [
    queueItem({
      number: 'INC13076901',
      priority: 'P1',
      shortDescription: 'Karpenter GPU node failure',
      status: 'escalated',
      tier: 'L3',
      ticketType: 'node-provisioning',
      configurationItem: { id: 'c', name: 'mecc' },
      assignedTo: { id: 'w', name: 'Wei Zhang' },
      assignmentGroup: { id: 'g3', name: 'Atlas-L3-Evangelists' },
      sla: sla({
        state: 'breached',
        limitMs: 4 * HOUR,
        usedMs: 5 * HOUR,
        leftMs: undefined,
        overByMs: HOUR,
      }),
      transitions: ['work-in-progress'],
    }),
    queueItem({
      number: 'INC13076920',
      priority: 'P2',
      shortDescription: 'Pod visibility loss in livelink-prod',
      ticketType: 'connectivity',
      tierClock: {
        tier: 'L1',
        usedMs: 18 * MIN,
        limitMs: 30 * MIN,
        leftMs: 12 * MIN,
        breached: false,
      },
      sla: sla({ leftMs: 20 * MIN, limitMs: 8 * HOUR }),
    }),
    queueItem({
      number: 'INC13076932',
      status: 'awaiting-customer',
      sla: sla({
        state: 'paused',
        limitMs: 72 * HOUR,
        usedMs: 2 * HOUR,
        pausedMs: 2 * HOUR,
        leftMs: 70 * HOUR,
      }),
      transitions: ['work-in-progress', 'escalated', 'resolved'],
    }),
  ],
  total: 3,
  now: new Date().toISOString(),
};

/** INC13076920 as GET /incidents/{number} has it, escalated once by the policy. */
export const detail = (over: Partial<IncidentDetail> = {}): IncidentDetail => ({
  ...queueItem({
    number: 'INC13076920',
    priority: 'P2',
    shortDescription: 'Pod visibility loss in livelink-prod',
    ticketType: 'connectivity',
    tier: 'L2',
  }),
  description: 'kubectl get pods shows nothing in livelink-prod since 09:10.',
  caller: { id: 'c', name: 'Dana Osei' },
  tierEnteredAt: ago(20 * MIN),
  timeline: {
    events: [
      {
        at: ago(2 * HOUR),
        type: 'transition',
        from: 'unassigned',
        to: 'work-in-progress',
        actor: 'user:default/priya.raman',
        summary:
          'user:default/priya.raman moved it from unassigned to work-in-progress',
      },
      {
        at: ago(20 * MIN),
        type: 'escalation',
        from: 'work-in-progress',
        to: 'escalated',
        actor: 'incident-ops',
        summary: 'P2 at L1: a P2 goes to L2 at once',
        details: {
          rule: 'l1-to-l2-p2',
          from: 'L1',
          to: 'L2',
          clocks: {
            atTier: 32 * MIN,
            open: 100 * MIN,
            paused: 0,
            limit: 30 * MIN,
          },
        },
      },
    ],
    clocks: {
      tier: {
        tier: 'L2',
        used: 20 * MIN,
        paused: 0,
        limit: 60 * MIN,
        left: 40 * MIN,
        breached: false,
      },
      respond: { used: 2 * HOUR, paused: 0, limit: 30 * MIN, breached: false },
      resolve: {
        used: 2 * HOUR,
        paused: 0,
        limit: 8 * HOUR,
        left: 6 * HOUR,
        breached: false,
      },
    },
    policy: { id: 'a'.repeat(64), current: true },
  },
  ...over,
});

/** The egress playbook on INC13076920: started, first step done, the rest to do. */
export const playbookView = (
  over: Partial<PlaybookRunView> = {},
): PlaybookRunView => ({
  number: 'INC13076920',
  ticketType: 'egress',
  mappedPlaybookId: 'egress-access',
  playbook: {
    id: 'egress-access',
    title: 'Egress Access',
    summary:
      'Open egress from a namespace to a destination outside the cluster.',
  },
  run: {
    id: 1,
    status: 'active',
    startedBy: 'user:default/priya.raman',
    startedAt: ago(HOUR),
    updatedAt: ago(30 * MIN),
  },
  fields: [
    {
      name: 'namespace',
      label: 'Source namespace',
      value: 'livelink-prod',
      source: 'incident',
    },
    { name: 'port', label: 'Destination port' },
  ],
  missing: ['port'],
  steps: [
    {
      id: 'validate-namespace',
      kind: 'check',
      title: 'Validate the namespace',
      optional: false,
      instructions: 'Confirm livelink-prod exists on abrc1l.',
      checks: ['The namespace exists'],
      templates: [],
      needs: [],
      missing: [],
      status: 'done',
      actor: 'user:default/priya.raman',
      at: ago(30 * MIN),
      history: [],
      blockedBy: [],
      allowedStatuses: ['done', 'skipped', 'failed'],
    },
    {
      id: 'firewall-rule',
      kind: 'task',
      title: 'Fill the firewall rule',
      optional: false,
      checks: [],
      templates: [
        {
          id: 'rule',
          title: 'Firewall rule request',
          format: 'text',
          text: 'Source: livelink-prod\nPort: {{port}}',
          missing: ['port'],
        },
      ],
      needs: ['port'],
      missing: ['port'],
      status: 'pending',
      history: [],
      blockedBy: [],
      allowedStatuses: ['done', 'skipped', 'failed'],
    },
    {
      id: 'test-verification',
      kind: 'verification',
      title: 'Verify the connection',
      optional: false,
      checks: [],
      templates: [],
      needs: [],
      missing: [],
      status: 'pending',
      history: [],
      blockedBy: ['firewall-rule'],
      allowedStatuses: ['verified', 'failed'],
    },
  ],
  unverified: ['test-verification'],
  available: [{ id: 'egress-access', title: 'Egress Access' }],
  ...over,
});

export const suggestions = (
  over: Partial<KnowledgeSuggestions> = {},
): KnowledgeSuggestions => ({
  incident: 'INC13076920',
  kb: { shown: 2, notHelpful: 0, exhausted: false },
  items: [
    {
      articleId: 'egress-access-livelink',
      title: 'How to Request Egress Access for livelink-* Namespaces',
      source: 'repository',
      rank: 1,
      score: 12.5,
      reasons: { matchedTerms: [{ term: 'egress', fields: ['title'] }] },
      explanation:
        'Matches egress, livelink-prod in the title; written for egress tickets',
    },
    {
      articleId: 'KB0010001',
      title: 'NFS mounts from pods',
      source: 'servicenow',
      url: 'https://acme.service-now.com/kb?id=KB0010001',
      rank: 2,
      score: 7.1,
      reasons: { matchedTerms: [{ term: 'nfs', fields: ['text'] }] },
      explanation: 'Matches nfs in the text',
    },
  ],
  ...over,
});

export const communications = (
  over: Partial<CommunicationsView> = {},
): CommunicationsView => ({
  number: 'INC13076920',
  priority: 'P2',
  status: 'work-in-progress',
  at: new Date().toISOString(),
  obligations: [
    {
      kind: 'hourly-update',
      slot: 1,
      dueAt: ago(-12 * MIN),
      state: 'upcoming',
    },
  ],
  next: {
    kind: 'hourly-update',
    slot: 1,
    dueAt: ago(-12 * MIN),
    state: 'upcoming',
    dueInMs: 12 * MIN,
  },
  realTime: false,
  updates: [],
  notifications: [],
  ...over,
});
