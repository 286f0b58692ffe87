import { createHash } from 'node:crypto';
import { computePriority, formatDateTime, SnRecord } from './schema';
import type { SimulatorStore } from './store';

/** Deterministic sys_id for a seed record: md5 of `<table>:<key>`. */
export function seedSysId(table: string, key: string): string {
  return createHash('md5').update(`${table}:${key}`).digest('hex');
}

const HOUR = 3_600_000;

interface UserSpec {
  user_name: string;
  first_name: string;
  last_name: string;
  title: string;
  department: string;
  phone?: string;
}

const USERS: UserSpec[] = [
  {
    user_name: 'admin',
    first_name: 'System',
    last_name: 'Administrator',
    title: 'Administrator',
    department: 'IT',
  },
  {
    user_name: 'incident-ops',
    first_name: 'Incident Ops',
    last_name: 'Integration',
    title: 'OAuth application user',
    department: 'IT',
  },
  {
    user_name: 'priya.raman',
    first_name: 'Priya',
    last_name: 'Raman',
    title: 'Support Engineer (L1)',
    department: 'Platform Engineering',
    phone: '+49 69 2000 4101',
  },
  {
    user_name: 'tomasz.kowalski',
    first_name: 'Tomasz',
    last_name: 'Kowalski',
    title: 'Support Engineer (L1)',
    department: 'Platform Engineering',
    phone: '+49 69 2000 4102',
  },
  {
    user_name: 'aisha.okafor',
    first_name: 'Aisha',
    last_name: 'Okafor',
    title: 'Platform Engineer (L2)',
    department: 'Platform Engineering',
    phone: '+49 69 2000 4201',
  },
  {
    user_name: 'daniel.meyer',
    first_name: 'Daniel',
    last_name: 'Meyer',
    title: 'Kube-Admin (L2)',
    department: 'Platform Engineering',
    phone: '+49 69 2000 4202',
  },
  {
    user_name: 'lena.fischer',
    first_name: 'Lena',
    last_name: 'Fischer',
    title: 'Platform Evangelist (L3)',
    department: 'Platform Engineering',
    phone: '+49 69 2000 4301',
  },
  {
    user_name: 'marco.bianchi',
    first_name: 'Marco',
    last_name: 'Bianchi',
    title: 'Team Lead, Platform Evangelists (L3)',
    department: 'Platform Engineering',
    phone: '+49 69 2000 4302',
  },
  {
    user_name: 'grace.liu',
    first_name: 'Grace',
    last_name: 'Liu',
    title: 'Service Desk Agent',
    department: 'IT Service Desk',
    phone: '+49 69 2000 1000',
  },
  {
    user_name: 'jonas.weber',
    first_name: 'Jonas',
    last_name: 'Weber',
    title: 'Senior Developer, LiveLink',
    department: 'Digital Channels',
  },
  {
    user_name: 'rahul.mehta',
    first_name: 'Rahul',
    last_name: 'Mehta',
    title: 'DevOps Engineer, LiveLink',
    department: 'Digital Channels',
  },
  {
    user_name: 'sofia.martins',
    first_name: 'Sofia',
    last_name: 'Martins',
    title: 'ML Engineer',
    department: 'Data & AI',
  },
  {
    user_name: 'emma.jansen',
    first_name: 'Emma',
    last_name: 'Jansen',
    title: 'Data Engineer',
    department: 'Data & AI',
  },
  {
    user_name: 'kevin.obrien',
    first_name: 'Kevin',
    last_name: "O'Brien",
    title: 'Site Reliability Engineer',
    department: 'Digital Channels',
  },
  {
    user_name: 'hannah.schmidt',
    first_name: 'Hannah',
    last_name: 'Schmidt',
    title: 'Security Architect',
    department: 'Information Security',
  },
];

const GROUPS: Record<
  string,
  { name: string; description: string; email: string; manager: string }
> = {
  L1: {
    name: 'Atlas-L1-Support',
    description:
      'Tanzu Atlas L1: triage and KB-driven fixes (egress rules, GitLab CI access requests, namespace access).',
    email: 'atlas-l1@acme.com',
    manager: 'priya.raman',
  },
  L2: {
    name: 'Atlas-L2-Platform',
    description:
      'Tanzu Atlas L2: complex configuration and debugging (namespaces, FluxCD, node provisioning).',
    email: 'atlas-l2@acme.com',
    manager: 'aisha.okafor',
  },
  L3: {
    name: 'Atlas-L3-Evangelists',
    description:
      'Tanzu Atlas L3 / Evangelists: P1 incidents, cluster outages, Karpenter, security blocks, architecture guidance.',
    email: 'atlas-l3@acme.com',
    manager: 'marco.bianchi',
  },
  SD: {
    name: 'Service Desk',
    description:
      'First point of contact for all IT requests; routes Kubernetes tickets to the Atlas tiers.',
    email: 'servicedesk@acme.com',
    manager: 'grace.liu',
  },
};

const CLUSTERS: Record<string, string[]> = {
  abrc1l: ['livelink-prod', 'livelink-uat', 'gitlab-runners', 'flux-system'],
  mecc: ['karpenter', 'egress-gateway', 'ml-training'],
  rtg: ['livelink-dev', 'monitoring', 'snowflake-connect'],
};

const CLUSTER_TEXT: Record<string, string> = {
  abrc1l:
    'Tanzu Atlas cluster abrc1l (digital-channels): LiveLink production/UAT, GitLab runners',
  mecc: 'Tanzu Atlas cluster mecc (data-and-ai): ML training with Karpenter-managed GPU nodes',
  rtg: 'Tanzu Atlas cluster rtg (digital-channels): LiveLink dev, monitoring, Snowflake connectors',
};

type Journal = [
  hoursAfterOpen: number,
  user: string,
  text: string,
  element?: 'work_notes' | 'comments',
];

interface IncidentSpec {
  k: string;
  /** opened this many hours before the anchor */
  h: number;
  s: string;
  d: string;
  cat: string;
  sub: string;
  ci: string;
  i: 1 | 2 | 3;
  u: 1 | 2 | 3;
  st: 1 | 2 | 3 | 6 | 7 | 8;
  c: string;
  g?: 'L1' | 'L2' | 'L3' | 'SD';
  a?: string;
  hold?: string;
  ct?: string;
  esc?: string;
  rc?: number;
  /** resolved this many hours after opening */
  res?: number;
  code?: string;
  cn?: string;
  notes?: Journal[];
  /** this incident gets number INC13076932 (referenced by a KB article) */
  template?: boolean;
}

const INCIDENTS: IncidentSpec[] = [
  // ---- New, unassigned ----
  {
    k: 'gitlab-artifactory',
    h: 0.4,
    i: 3,
    u: 2,
    st: 1,
    cat: 'software',
    sub: 'gitlab',
    ci: 'abrc1l:gitlab-runners',
    c: 'rahul.mehta',
    ct: 'self_service',
    s: 'GitLab CI runner access: artifactory.acme.internal:443 from gitlab-runners',
    d: 'Hi team,\npipelines for livelink/portal-api started failing in the gitlab-runners ns on abrc1l:\n  dial tcp 10.42.17.8:443: i/o timeout (artifactory.acme.internal)\nPls open egress for FQDN artifactory.acme.internal, TCP 443 for the runner pods (label app=gitlab-runner).\nJob: https://gitlab.acme.com/livelink/portal-api/-/jobs/884213\nThx, Rahul',
  },
  {
    k: 'ns-access-uat',
    h: 1.6,
    i: 3,
    u: 2,
    st: 1,
    cat: 'access',
    sub: 'namespace',
    ci: 'abrc1l:livelink-uat',
    c: 'jonas.weber',
    ct: 'self_service',
    s: 'Namespace access: edit rights on livelink-uat for new dev (mnovak)',
    d: 'New joiner Marta Novak (mnovak) needs edit on livelink-uat to debug the portal deployment. Same access as me pls. AD group LL-DEV-UAT already requested, manager approval attached.',
  },
  {
    k: 'nfs-prod',
    h: 2.7,
    i: 2,
    u: 2,
    st: 1,
    cat: 'network',
    sub: 'egress',
    ci: 'abrc1l:livelink-prod',
    c: 'rahul.mehta',
    ct: 'self_service',
    s: 'Add egress NFS access for livelink-prod',
    d: 'Need egress from namespace livelink-prod to NFS filer nas-prd-03.acme.internal (10.20.4.31) TCP/UDP 2049 and 111 (portmapper) for the document-archive pods.\nChange CHG0041123 approved for Thu. Same setup as on uat (see INC13076932).',
  },
  {
    k: 'snowflake-new',
    h: 4.2,
    i: 3,
    u: 2,
    st: 1,
    cat: 'network',
    sub: 'egress',
    ci: 'rtg:snowflake-connect',
    c: 'emma.jansen',
    ct: 'self_service',
    s: 'Whitelist Snowflake hosts for snowflake-connect',
    d: 'pls whitelist the following from rtg / snowflake-connect:\n- acme-eu.snowflakecomputing.com:443\n- acme-eu.eu-central-1.privatelink.snowflakecomputing.com:443\n- ocsp.snowflakecomputing.com:80\nconnector logs: "JDBC driver encountered communication error. Message: HTTP status=403". Not urgent, loads run nightly.',
  },
  {
    k: 'flux-monitoring',
    h: 6.8,
    i: 2,
    u: 2,
    st: 1,
    cat: 'software',
    sub: 'gitops',
    ci: 'rtg:monitoring',
    c: 'kevin.obrien',
    ct: 'monitoring',
    s: 'FluxCD kustomization monitoring-stack stuck "dependency not ready" on rtg',
    d: 'Alert FluxKustomizationNotReady firing since this morning. `flux get ks -n flux-system` on rtg shows monitoring-stack: "dependency \'flux-system/monitoring-crds\' is not ready". CRDs kustomization last applied revision main@sha1:9f1c2ab. Nothing changed on our side.',
  },
  {
    k: 'gpu-quota-doc',
    h: 30,
    i: 3,
    u: 3,
    st: 1,
    cat: 'inquiry',
    sub: 'documentation',
    ci: 'mecc:ml-training',
    c: 'sofia.martins',
    ct: 'self_service',
    s: 'Request: document GPU quota per team for ml-training',
    d: 'Could the platform team document how GPU quota (nvidia.com/gpu) is split between teams in ml-training on mecc? We keep guessing how many A10G we can request. Low prio, for next quarter planning.',
  },

  // ---- In Progress ----
  {
    k: 'karpenter-gpu',
    h: 3.1,
    i: 1,
    u: 1,
    st: 2,
    g: 'L3',
    a: 'lena.fischer',
    c: 'sofia.martins',
    cat: 'hardware',
    sub: 'node',
    ci: 'mecc:karpenter',
    ct: 'phone',
    esc: '2',
    rc: 2,
    s: 'Karpenter GPU node failure on mecc - gpu-a10g NodePool not provisioning',
    d: 'Since ~06:10 UTC Karpenter on mecc does not launch GPU nodes for NodePool gpu-a10g.\nNodeClaim events: "InsufficientInstanceCapacity: We currently do not have sufficient g5.2xlarge capacity in the Availability Zone you requested (eu-central-1b)" then "launching nodeclaim, creating instance, UnauthorizedOperation".\n~40 training pods Pending in ml-training, model release run for Friday blocked. P1 per area lead.',
    notes: [
      [
        0.2,
        'priya.raman',
        'L1 triage: 41 pods Pending in ml-training with nodeSelector karpenter.k8s.aws/instance-family=g5. Escalating to L2 per P1 path.',
      ],
      [
        0.5,
        'aisha.okafor',
        "L2: karpenter controller logs show UnauthorizedOperation on ec2:RunInstances for the new launch template version - looks like yesterday's SCP change. Escalated to L3, area lead (data-and-ai) + vendor manager informed.",
      ],
      [
        1.2,
        'lena.fischer',
        'L3: AWS support case 171893224401 opened (sev High). Workaround: adding eu-central-1a/c to the NodePool zone requirements and rolling EC2NodeClass back to v14.',
      ],
      [
        1.3,
        'lena.fischer',
        'We are working on it with AWS. Next update in 30 min.',
        'comments',
      ],
      [
        2.6,
        'lena.fischer',
        'Workaround partly effective: 12/41 pods scheduled in 1a. Waiting for AWS on the SCP/IAM side.',
      ],
    ],
  },
  {
    k: 'db-prod',
    h: 5.3,
    i: 1,
    u: 2,
    st: 2,
    g: 'L2',
    a: 'aisha.okafor',
    c: 'rahul.mehta',
    cat: 'network',
    sub: 'connectivity',
    ci: 'abrc1l:livelink-prod',
    esc: '1',
    rc: 1,
    s: 'DB connectivity failure from livelink-prod',
    d: 'livelink-portal pods in livelink-prod throw "ORA-12170: TNS:Connect timeout occurred" connecting to lldb-prd-scan.acme.internal:1521 since the egress policy change last night. ~30% of customer logins fail. Other namespaces ok?',
    notes: [
      [
        0.3,
        'tomasz.kowalski',
        'L1: reproduced with `nc -vz lldb-prd-scan.acme.internal 1521` from a debug pod: times out on 10.20.8.12, works on 10.20.8.11. KB0010007 exhausted, reassigned to L2.',
      ],
      [
        1.5,
        'aisha.okafor',
        'SCAN listener resolves to 3 IPs, the egress rule only has 2 of them (10.20.8.11, .13). Fix prepared in atlas-netpol MR !2291, waiting for network team review.',
      ],
      [
        3.9,
        'rahul.mehta',
        'Still seeing failures, any ETA? Business is asking.',
        'comments',
      ],
    ],
  },
  {
    k: 'pod-visibility',
    h: 9.5,
    i: 2,
    u: 1,
    st: 2,
    g: 'L2',
    a: 'daniel.meyer',
    c: 'kevin.obrien',
    cat: 'software',
    sub: 'monitoring',
    ci: 'rtg:monitoring',
    s: 'Pod visibility loss: Prometheus on rtg no longer scraping livelink-dev',
    d: 'Since the 02:00 upgrade window we have no metrics for any pod in livelink-dev (rtg). ServiceMonitors exist, targets page shows 0/14 up, "context deadline exceeded". Dashboards + alerting for livelink-dev are blind.',
    notes: [
      [
        1,
        'daniel.meyer',
        'NetworkPolicy default-deny in livelink-dev re-applied by Flux after the upgrade; allow-from-monitoring policy missing. Checking why it was pruned.',
      ],
    ],
  },
  {
    k: 'gitlab-registry',
    h: 26,
    i: 2,
    u: 2,
    st: 2,
    g: 'L1',
    a: 'priya.raman',
    c: 'jonas.weber',
    cat: 'software',
    sub: 'gitlab',
    ci: 'abrc1l:gitlab-runners',
    s: 'GitLab CI access request: runners to registry.gitlab.acme.com:5050',
    d: 'Our kaniko builds in gitlab-runners need to push to registry.gitlab.acme.com port 5050 (container registry) and gitlab.acme.com:443. Currently "dial tcp: lookup registry.gitlab.acme.com: i/o timeout". Project livelink/mobile-bff.',
    notes: [
      [
        2,
        'priya.raman',
        'FQDN/port validated against the GitLab CI Access Playbook. Security review requested (SEC-4471).',
      ],
      [
        20,
        'priya.raman',
        'Security approved. Runner egress config update scheduled today 16:00 UTC.',
      ],
    ],
  },
  {
    k: 'egress-paygate',
    h: 31,
    i: 2,
    u: 2,
    st: 2,
    g: 'L1',
    a: 'tomasz.kowalski',
    c: 'jonas.weber',
    cat: 'network',
    sub: 'egress',
    ci: 'abrc1l:livelink-uat',
    s: 'Egress rule livelink-uat -> api.sandbox.paygate.eu:8443',
    d: 'Payment integration tests in livelink-uat need egress to api.sandbox.paygate.eu:8443 (TLS). Vendor IP range 185.44.12.0/26. Needed for UAT sign-off next week.',
    notes: [
      [
        3,
        'tomasz.kowalski',
        'Firewall rule template filled, waiting on network team (NET-10233) for the FQDN object.',
      ],
    ],
  },
  {
    k: 'rtg-node-mem',
    h: 50,
    i: 2,
    u: 2,
    st: 2,
    g: 'L2',
    a: 'daniel.meyer',
    c: 'kevin.obrien',
    cat: 'hardware',
    sub: 'node',
    ci: 'rtg',
    s: 'Node provisioning: monitoring node pool on rtg at 95% memory',
    d: 'Nodes in pool np-monitoring on rtg at 93-96% memory, prometheus-0 OOMKilled twice last night. Need bigger instances or one more node. kubectl top nodes output attached.',
    notes: [
      [
        4,
        'daniel.meyer',
        'AWS quota check ok for r6i.2xlarge. CHG0041098 raised to resize the pool.',
      ],
    ],
  },
  {
    k: 'rbac-prod-view',
    h: 20,
    i: 3,
    u: 2,
    st: 2,
    g: 'L1',
    a: 'priya.raman',
    c: 'rahul.mehta',
    cat: 'access',
    sub: 'namespace',
    ci: 'abrc1l:livelink-prod',
    s: 'Namespace RBAC: view role on livelink-prod for rahul.mehta',
    d: 'Need read-only (view) on livelink-prod for on-call next week. AD group LL-PROD-VIEW. Approver: Hannah Schmidt.',
  },
  {
    k: 'security-egw',
    h: 14,
    i: 2,
    u: 1,
    st: 2,
    g: 'L3',
    a: 'marco.bianchi',
    c: 'hannah.schmidt',
    cat: 'security',
    sub: 'network_policy',
    ci: 'mecc:egress-gateway',
    esc: '1',
    rc: 2,
    s: 'Security block: egress-gateway dropping traffic after NetworkPolicy hardening',
    d: 'After rollout of the hardened Calico GlobalNetworkPolicy (SEC-4450) the egress-gateway on mecc drops traffic to *.amazonaws.com for ml-training and karpenter. Flow logs show deny by policy "default.deny-egress-nonprod". Need a security-approved exception or rollback.',
    notes: [
      [
        2,
        'daniel.meyer',
        'Escalated to L3: policy owned by security, needs an architecture decision.',
      ],
      [
        6,
        'marco.bianchi',
        'Met with security (H. Schmidt). Agreed temporary allow for VPC endpoints only; drafting permanent FQDN-based egress policy.',
      ],
    ],
  },
  {
    k: 'flux-helmrelease',
    h: 40,
    i: 2,
    u: 1,
    st: 2,
    g: 'L2',
    a: 'aisha.okafor',
    c: 'jonas.weber',
    cat: 'software',
    sub: 'gitops',
    ci: 'abrc1l:flux-system',
    rc: 1,
    s: 'FluxCD reconciliation stuck: HelmRelease livelink-portal on abrc1l',
    d: 'HelmRelease livelink-portal (flux-system) stuck in "upgrade retries exhausted" since chart bump 4.12.0 -> 4.13.1. Can\'t deploy hotfix to uat/prod. `flux reconcile hr livelink-portal --with-source` does nothing.',
    notes: [
      [
        1.5,
        'aisha.okafor',
        'Helm history shows a pending-upgrade lock. Will suspend/resume and roll back the failed revision after change-freeze check.',
      ],
    ],
  },
  {
    k: 'sd-portal-login',
    h: 5.9,
    i: 3,
    u: 2,
    st: 2,
    g: 'SD',
    a: 'grace.liu',
    c: 'emma.jansen',
    cat: 'inquiry',
    sub: 'access',
    ci: 'livelink-portal',
    ct: 'phone',
    s: 'Unable to log in to livelink portal UAT',
    d: 'User reports "401 - invalid session" on https://livelink-uat.acme.com after password change. Cleared cache, same result. Colleagues can log in.',
  },

  // ---- On Hold ----
  {
    k: 'gitlab-fqdn-hold',
    h: 70,
    i: 2,
    u: 2,
    st: 3,
    hold: '1',
    g: 'L1',
    a: 'tomasz.kowalski',
    c: 'jonas.weber',
    cat: 'software',
    sub: 'gitlab',
    ci: 'abrc1l:gitlab-runners',
    s: 'GitLab CI access request for new runner group (FQDN/port missing)',
    d: 'We need our new runner group (tag: ll-mobile) to reach "the gitlab stuff and the artifact repo" from gitlab-runners. Pls set up like the other runners.',
    notes: [
      [
        1,
        'tomasz.kowalski',
        'Asked requester for exact FQDNs and ports per the GitLab CI runner access checklist (KB0010002).',
      ],
      [
        1,
        'tomasz.kowalski',
        'Hi Jonas, could you send the list of FQDNs + ports the ll-mobile runners need? See KB0010002 for the checklist. Putting the ticket on hold until then.',
        'comments',
      ],
    ],
  },
  {
    k: 'snowflake-pl-hold',
    h: 100,
    i: 3,
    u: 2,
    st: 3,
    hold: '1',
    g: 'L1',
    a: 'priya.raman',
    c: 'emma.jansen',
    cat: 'network',
    sub: 'egress',
    ci: 'rtg:snowflake-connect',
    s: 'Whitelist Snowflake hosts for snowflake-connect (PrivateLink)',
    d: 'Switching snowflake-connect to PrivateLink. Pls whitelist acme-eu.privatelink.snowflakecomputing.com + stage bucket sfc-eu-ds1-customer-stage.s3.eu-central-1.amazonaws.com:443.',
    notes: [
      [
        5,
        'priya.raman',
        'Please send the output of SYSTEM$GET_PRIVATELINK_CONFIG() so we can confirm the host names.',
        'comments',
      ],
    ],
  },
  {
    k: 's3-mltraining-hold',
    h: 120,
    i: 2,
    u: 2,
    st: 3,
    hold: '1',
    g: 'L1',
    a: 'tomasz.kowalski',
    c: 'sofia.martins',
    cat: 'network',
    sub: 'egress',
    ci: 'mecc:ml-training',
    s: 'Egress to S3 bucket acme-ml-datasets from ml-training',
    d: 'Training jobs in ml-training (mecc) fail reading s3://acme-ml-datasets: "Could not connect to the endpoint URL: https://acme-ml-datasets.s3.eu-central-1.amazonaws.com/". Need egress on 443.',
    notes: [
      [
        8,
        'tomasz.kowalski',
        'Is the bucket accessed via the VPC gateway endpoint or the public endpoint? Please confirm the IAM role used by the job.',
        'comments',
      ],
    ],
  },
  {
    k: 'karpenter-consolidation-hold',
    h: 160,
    i: 2,
    u: 2,
    st: 3,
    hold: '4',
    g: 'L2',
    a: 'daniel.meyer',
    c: 'sofia.martins',
    cat: 'hardware',
    sub: 'node',
    ci: 'mecc:karpenter',
    rc: 1,
    s: 'Karpenter consolidation evicting long-running training jobs in ml-training',
    d: 'Karpenter disruption (consolidationPolicy WhenEmptyOrUnderutilized) evicts our 10h training jobs on mecc. Pods have karpenter.sh/do-not-disrupt=true but still get evicted.',
    notes: [
      [
        20,
        'daniel.meyer',
        'Reproduced on karpenter v1.0.6; matches an upstream issue with do-not-disrupt on pods with init containers. Vendor case opened (Tanzu/AWS), waiting for a fix version.',
      ],
    ],
  },

  // ---- Resolved ----
  {
    k: 'rtg-outage',
    h: 52,
    i: 1,
    u: 1,
    st: 6,
    g: 'L3',
    a: 'marco.bianchi',
    c: 'kevin.obrien',
    cat: 'software',
    sub: 'kubernetes',
    ci: 'rtg',
    ct: 'monitoring',
    esc: '3',
    rc: 2,
    res: 3.8,
    code: 'Solution provided',
    s: 'rtg cluster outage - kube-apiserver unreachable',
    d: 'All API calls to rtg fail: "Unable to connect to the server: net/http: TLS handshake timeout". livelink-dev, monitoring and snowflake-connect workloads still running but no deployments possible, Flux failing everywhere.',
    cn: 'etcd member on rtg-cp-02 ran out of disk after the defrag CronJob had failed for 9 days. Freed space, defragmented etcd, restarted kube-apiserver on all control-plane nodes, added disk alert. Post-mortem held, PRB0040871 raised.',
    notes: [
      [
        0.2,
        'daniel.meyer',
        'P1 declared, bridge opened, area leads (digital-channels) + vendor manager notified.',
      ],
      [
        1.1,
        'marco.bianchi',
        'etcd member on rtg-cp-02 out of disk (WAL growth after failed defrag CronJob). Freeing space.',
      ],
      [
        3.7,
        'marco.bianchi',
        'etcd defragmented, kube-apiserver restarted on all 3 CPs, API healthy. Monitoring for 1h.',
      ],
    ],
  },
  {
    k: 'nfs-uat',
    template: true,
    h: 150,
    i: 2,
    u: 2,
    st: 6,
    g: 'L1',
    a: 'priya.raman',
    c: 'rahul.mehta',
    cat: 'network',
    sub: 'egress',
    ci: 'abrc1l:livelink-uat',
    res: 26,
    code: 'Solution provided',
    s: 'Add egress NFS access for livelink-uat',
    d: 'Pls add egress from livelink-uat to nas-uat-01.acme.internal (10.21.4.17) NFS v4 TCP 2049 for document-archive. UAT tests blocked by "mount.nfs: Connection timed out".',
    cn: 'Egress added per Egress Access Playbook: NetworkPolicy allow-nfs-nas-uat-01 (TCP 2049 to 10.21.4.17/32) in livelink-uat + firewall rule FW-22817. Mount verified from test pod. Use as template for NFS egress requests.',
  },
  {
    k: 'gitlab-ssh',
    h: 76,
    i: 3,
    u: 2,
    st: 6,
    g: 'L1',
    a: 'tomasz.kowalski',
    c: 'jonas.weber',
    cat: 'software',
    sub: 'gitlab',
    ci: 'abrc1l:gitlab-runners',
    res: 5,
    code: 'Solution provided',
    s: 'GitLab CI runner access: gitlab.acme.com:22 for git submodules',
    d: 'Jobs cloning submodules over ssh fail: "ssh: connect to host gitlab.acme.com port 22: Connection timed out". Can we open 22 or should we switch to https?',
    cn: 'Recommended CI_JOB_TOKEN over https (443 already open) instead of port 22, per GitLab CI access checklist. Requester updated .gitmodules, pipeline green.',
  },
  {
    k: 'abrc1l-notready',
    h: 98,
    i: 2,
    u: 1,
    st: 6,
    g: 'L2',
    a: 'daniel.meyer',
    c: 'rahul.mehta',
    cat: 'hardware',
    sub: 'node',
    ci: 'abrc1l',
    rc: 1,
    res: 6,
    code: 'Workaround provided',
    s: 'Node provisioning failure on abrc1l - new nodes stuck NotReady after AMI update',
    d: 'After the AMI rollout new worker nodes on abrc1l stay NotReady: "container runtime network not ready: cni plugin not initialized". Existing nodes fine, autoscaling blocked.',
    cn: 'Antrea agent image missing from the new AMI pre-pull list + registry mirror rate limit. Pinned previous AMI in the node template (workaround); vendor ticket for a fixed AMI.',
  },
  {
    k: 'ns-livelink-dev',
    h: 60,
    i: 3,
    u: 2,
    st: 6,
    g: 'L1',
    a: 'priya.raman',
    c: 'jonas.weber',
    cat: 'access',
    sub: 'namespace',
    ci: 'rtg:livelink-dev',
    res: 3,
    code: 'Solution provided',
    s: 'Namespace access: edit on livelink-dev for contractor',
    d: 'Contractor (ext-pkumar) needs edit on livelink-dev until end of month. Approved by team lead.',
    cn: 'Added ext-pkumar to LL-DEV-EDIT, RoleBinding synced by Flux. Expiry set to month end.',
  },
  {
    k: 'snowflake-old',
    h: 120,
    i: 3,
    u: 2,
    st: 6,
    g: 'L1',
    a: 'tomasz.kowalski',
    c: 'emma.jansen',
    cat: 'network',
    sub: 'egress',
    ci: 'rtg:snowflake-connect',
    res: 22,
    code: 'Solution provided',
    s: 'Whitelist Snowflake hosts for snowflake-connect (new account acme-analytics)',
    d: 'New Snowflake account acme-analytics.eu-central-1 - pls whitelist acme-analytics.eu-central-1.snowflakecomputing.com:443 from snowflake-connect.',
    cn: 'Added FQDN to the egress allow list of snowflake-connect (rtg). Connector test query ok.',
  },
  {
    k: 'flux-token',
    h: 84,
    i: 2,
    u: 2,
    st: 6,
    g: 'L2',
    a: 'aisha.okafor',
    c: 'kevin.obrien',
    cat: 'software',
    sub: 'gitops',
    ci: 'abrc1l:flux-system',
    res: 4,
    code: 'Solution provided',
    s: 'FluxCD reconciliation stuck: GitRepository auth failure after token rotation',
    d: 'GitRepository atlas-fleet on abrc1l: "authentication required" since the deploy token rotation. Nothing reconciles since 09:00.',
    cn: 'Updated flux-system/atlas-fleet-auth with the new deploy token, reconciled source + kustomizations. Added the rotation step to the FluxCD KB.',
  },
  {
    k: 'pod-visibility-prod',
    h: 110,
    i: 2,
    u: 1,
    st: 6,
    g: 'L2',
    a: 'aisha.okafor',
    c: 'rahul.mehta',
    cat: 'access',
    sub: 'namespace',
    ci: 'abrc1l:livelink-prod',
    rc: 1,
    res: 2.5,
    code: 'Solution provided',
    s: 'Pod visibility loss for livelink-prod team (kubectl get pods forbidden)',
    d: 'Whole livelink team gets "pods is forbidden: User ... cannot list resource pods in the namespace livelink-prod" since ~10:00. Incident response impaired.',
    cn: 'RoleBinding livelink-prod-view pruned by Flux after it moved between kustomizations. Restored in atlas-fleet under the correct kustomization.',
  },
  {
    k: 'egress-github',
    h: 56,
    i: 3,
    u: 2,
    st: 6,
    g: 'L1',
    a: 'priya.raman',
    c: 'jonas.weber',
    cat: 'network',
    sub: 'egress',
    ci: 'rtg:livelink-dev',
    res: 7,
    code: 'Solution provided',
    s: 'Egress request: livelink-dev -> api.github.com:443',
    d: 'renovate bot in livelink-dev needs api.github.com:443 + objects.githubusercontent.com:443.',
    cn: 'Egress allow added for both FQDNs in livelink-dev. Verified with curl from the renovate pod.',
  },
  {
    k: 'egw-oom',
    h: 140,
    i: 2,
    u: 2,
    st: 6,
    g: 'L2',
    a: 'daniel.meyer',
    c: 'sofia.martins',
    cat: 'software',
    sub: 'networking',
    ci: 'mecc:egress-gateway',
    res: 30,
    code: 'Workaround provided',
    s: 'egress-gateway pods restarting (OOMKilled) on mecc',
    d: 'egress-gateway pods restart every ~2h, OOMKilled at 512Mi. Intermittent egress failures for ml-training model downloads.',
    cn: 'Raised memory limit to 1Gi and added an HPA; conntrack tuning tracked in PRB0040855.',
  },

  // ---- Closed ----
  {
    k: 'karpenter-iam',
    h: 300,
    i: 1,
    u: 1,
    st: 7,
    g: 'L3',
    a: 'lena.fischer',
    c: 'sofia.martins',
    cat: 'hardware',
    sub: 'node',
    ci: 'mecc:karpenter',
    esc: '2',
    rc: 2,
    res: 5,
    code: 'Solution provided',
    s: 'Karpenter failed to provision any nodes on mecc - IAM role trust policy',
    d: 'No new nodes on mecc since 11:40, karpenter logs: "AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity". Pending pods pile up in ml-training, egress-gateway cannot scale.',
    cn: 'IRSA trust policy of KarpenterControllerRole lost its OIDC provider condition after a terraform apply. Restored and added a policy test to the pipeline. PIR done.',
  },
  {
    k: 'db-uat',
    h: 260,
    i: 1,
    u: 2,
    st: 7,
    g: 'L2',
    a: 'aisha.okafor',
    c: 'rahul.mehta',
    cat: 'network',
    sub: 'connectivity',
    ci: 'abrc1l:livelink-uat',
    res: 8,
    code: 'Solution provided',
    s: 'DB connectivity failure from livelink-uat to lldb-uat',
    d: 'livelink-uat pods: "ORA-12541: TNS:no listener" to lldb-uat.acme.internal:1521 after the DB failover test.',
    cn: 'Failover moved the listener to port 1522; updated egress rule and connection-string secret. Confirmed with app team.',
  },
  {
    k: 'nfs-prod-02',
    h: 480,
    i: 2,
    u: 2,
    st: 7,
    g: 'L1',
    a: 'priya.raman',
    c: 'rahul.mehta',
    cat: 'network',
    sub: 'egress',
    ci: 'abrc1l:livelink-prod',
    res: 48,
    code: 'Solution provided',
    s: 'Add egress NFS access for livelink-prod (nas-prd-02)',
    d: 'document-archive in livelink-prod needs nas-prd-02.acme.internal 10.20.4.30 TCP 2049.',
    cn: 'NetworkPolicy + firewall rule FW-22544 added. Mount verified.',
  },
  {
    k: 'nfs-dup',
    h: 478,
    i: 2,
    u: 2,
    st: 7,
    g: 'L1',
    a: 'priya.raman',
    c: 'rahul.mehta',
    cat: 'network',
    sub: 'egress',
    ci: 'abrc1l:livelink-prod',
    res: 1,
    code: 'Duplicate',
    s: 'egrss to nfs for livelink-prod pls',
    d: 'same as other ticket, document-archive cant mount nas-prd-02',
    cn: 'Duplicate of the NFS egress request for nas-prd-02 raised two hours earlier.',
  },
  {
    k: 'gitlab-runner-group',
    h: 420,
    i: 3,
    u: 2,
    st: 7,
    g: 'L1',
    a: 'tomasz.kowalski',
    c: 'jonas.weber',
    cat: 'software',
    sub: 'gitlab',
    ci: 'abrc1l:gitlab-runners',
    res: 30,
    code: 'Solution provided',
    s: 'GitLab CI access request: new runner for livelink/portal-web',
    d: 'Pls register a group runner in gitlab-runners for livelink/portal-web with egress to gitlab.acme.com:443, registry.gitlab.acme.com:5050, artifactory.acme.internal:443.',
    cn: 'Runner registered (tag ll-web), egress for the 3 FQDN/port pairs added per checklist.',
  },
  {
    k: 'gitlab-dns',
    h: 350,
    i: 2,
    u: 2,
    st: 7,
    g: 'L2',
    a: 'daniel.meyer',
    c: 'jonas.weber',
    rc: 1,
    cat: 'software',
    sub: 'gitlab',
    ci: 'abrc1l:gitlab-runners',
    res: 10,
    code: 'Solution provided',
    s: 'GitLab runner pods failing DNS resolution for gitlab.acme.com',
    d: 'Random "Could not resolve host: gitlab.acme.com" in CI jobs, ~1 of 5 jobs. Started after the CoreDNS upgrade?',
    cn: 'CoreDNS forward max_concurrent too low for runner bursts; increased and enabled NodeLocal DNSCache for gitlab-runners.',
  },
  {
    k: 'ns-monitoring-ro',
    h: 330,
    i: 3,
    u: 2,
    st: 7,
    g: 'L1',
    a: 'priya.raman',
    c: 'kevin.obrien',
    cat: 'access',
    sub: 'namespace',
    ci: 'rtg:monitoring',
    res: 4,
    code: 'Solution provided',
    s: 'Namespace access request: read-only on monitoring for SRE team',
    d: 'SRE on-call group (AD: SRE-ONCALL) needs view on the rtg monitoring ns.',
    cn: 'RoleBinding sre-oncall-view added in atlas-fleet.',
  },
  {
    k: 'nodes-peak',
    h: 400,
    i: 2,
    u: 2,
    st: 7,
    g: 'L2',
    a: 'daniel.meyer',
    c: 'rahul.mehta',
    cat: 'hardware',
    sub: 'node',
    ci: 'abrc1l',
    res: 20,
    code: 'Solution provided',
    s: 'Node provisioning: extra m6i.2xlarge capacity for livelink-prod campaign peak',
    d: 'Marketing campaign next week, expecting 3x traffic on livelink-prod. Need node pool max raised from 12 to 20 on abrc1l.',
    cn: 'AWS quota checked, node pool max raised to 20, HPA max replicas aligned with the app team.',
  },
  {
    k: 'snowflake-ocsp',
    h: 280,
    i: 3,
    u: 2,
    st: 7,
    g: 'L1',
    a: 'tomasz.kowalski',
    c: 'emma.jansen',
    cat: 'network',
    sub: 'egress',
    ci: 'rtg:snowflake-connect',
    res: 20,
    code: 'Solution provided',
    s: 'Whitelist Snowflake OCSP hosts',
    d: 'Snowflake JDBC warns "OCSP responder didn\'t respond correctly" - pls whitelist ocsp.snowflakecomputing.com:80 and ocsp.digicert.com:80 from snowflake-connect.',
    cn: 'Both OCSP hosts added to the egress allow list.',
  },
  {
    k: 'flux-image-automation',
    h: 230,
    i: 2,
    u: 2,
    st: 7,
    g: 'L2',
    a: 'aisha.okafor',
    c: 'jonas.weber',
    cat: 'software',
    sub: 'gitops',
    ci: 'rtg:livelink-dev',
    res: 26,
    code: 'Solution provided',
    s: 'FluxCD image automation not updating livelink-dev',
    d: "ImageUpdateAutomation livelink-dev hasn't pushed for 3 days, new images not deployed to dev. ImagePolicy shows the latest tag ok.",
    cn: 'Deploy key lost write access after the repo move; re-added with write, automation pushing again.',
  },
  {
    k: 'kyverno-block',
    h: 370,
    i: 2,
    u: 1,
    st: 7,
    g: 'L3',
    a: 'marco.bianchi',
    c: 'rahul.mehta',
    rc: 2,
    esc: '1',
    cat: 'security',
    sub: 'policy',
    ci: 'abrc1l:livelink-prod',
    res: 9,
    code: 'Solution provided',
    s: 'Security block: Kyverno policy rejecting livelink-prod deployments',
    d: 'Deploys to livelink-prod rejected: "validation error: Images must be signed. rule verify-image-signature failed". Release blocked.',
    cn: 'Cosign public key rotated by security but not updated in the ClusterPolicy. Updated the key with security sign-off; release unblocked.',
  },
  {
    k: 'egress-hf',
    h: 250,
    i: 3,
    u: 2,
    st: 7,
    g: 'L1',
    a: 'priya.raman',
    c: 'sofia.martins',
    cat: 'network',
    sub: 'egress',
    ci: 'mecc:ml-training',
    res: 28,
    code: 'Solution provided',
    s: 'Egress: ml-training to huggingface.co:443',
    d: 'Need huggingface.co + cdn-lfs.huggingface.co :443 from ml-training for model downloads.',
    cn: 'Added both FQDNs to the egress-gateway allow list for ml-training.',
  },
  {
    k: 'grafana-missing',
    h: 310,
    i: 2,
    u: 2,
    st: 7,
    g: 'L2',
    a: 'daniel.meyer',
    c: 'kevin.obrien',
    cat: 'software',
    sub: 'monitoring',
    ci: 'rtg:monitoring',
    res: 12,
    code: 'Solution provided',
    s: 'Grafana dashboards missing data for rtg monitoring',
    d: 'Grafana "Atlas / Namespace overview" empty for rtg since Monday. Prometheus datasource test ok.',
    cn: 'Recording-rules ConfigMap not reloaded after a Flux update; fixed the reloader annotation.',
  },
  {
    k: 'sa-token',
    h: 440,
    i: 3,
    u: 2,
    st: 7,
    g: 'L1',
    a: 'tomasz.kowalski',
    c: 'jonas.weber',
    rc: 1,
    ct: 'phone',
    cat: 'access',
    sub: 'namespace',
    ci: 'abrc1l:livelink-uat',
    res: 6,
    code: 'Solution provided',
    s: 'Service account for GitLab deploy job to livelink-uat',
    d: 'Caller phoned the service desk: needs a service account for GitLab to deploy into livelink-uat. Routed to Atlas L1.',
    cn: 'ServiceAccount gitlab-deployer + RoleBinding created; GitLab agent configured instead of a static token.',
  },
  {
    k: 'karpenter-limits',
    h: 210,
    i: 2,
    u: 2,
    st: 7,
    g: 'L2',
    a: 'daniel.meyer',
    c: 'sofia.martins',
    cat: 'hardware',
    sub: 'node',
    ci: 'mecc:karpenter',
    res: 5,
    code: 'Solution provided',
    s: 'Karpenter NodePool limits reached on mecc (cpu: 1000)',
    d: 'Pods Pending with "all available instance types exceed limits for nodepool: default" during an ml-training batch wave.',
    cn: 'Raised NodePool default limits to cpu 1600 / memory 6400Gi after AWS quota check.',
  },
  {
    k: 'ingress-502',
    h: 200,
    i: 1,
    u: 2,
    st: 7,
    g: 'L2',
    a: 'aisha.okafor',
    c: 'rahul.mehta',
    cat: 'network',
    sub: 'ingress',
    ci: 'abrc1l:livelink-prod',
    res: 3,
    code: 'Solution provided',
    s: 'livelink-prod ingress returning 502 after certificate rotation',
    d: 'Since cert rotation at 07:00 ~10% of requests to livelink.acme.com get 502 from the ingress (contour). envoy: "upstream connect error or disconnect/reset before headers. reset reason: connection failure, transport failure reason: TLS error".',
    cn: 'Backend CA secret not updated in one HTTPProxy (upstreamValidation). Updated the secret, 502s gone.',
  },

  // ---- Canceled ----
  {
    k: 'ns-uat-error',
    h: 90,
    i: 3,
    u: 2,
    st: 8,
    g: 'L1',
    a: 'priya.raman',
    c: 'jonas.weber',
    cat: 'access',
    sub: 'namespace',
    ci: 'abrc1l:livelink-uat',
    s: 'Namespace access for livelink-uat',
    d: 'need access to uat ns',
    notes: [
      [
        2,
        'jonas.weber',
        'Sorry, raised in error - I already have access via LL-DEV-UAT.',
        'comments',
      ],
    ],
  },
];

const SLA_HOURS: Record<string, number> = {
  '1': 4,
  '2': 8,
  '3': 72,
  '4': 120,
  '5': 240,
};

interface KbSpec {
  cat: string;
  s: string;
  meta: string;
  text: string;
  draft?: boolean;
  days: number;
  views: number;
}

const KB_AUTHORS = ['marco.bianchi', 'aisha.okafor', 'lena.fischer'];

const KB_CATEGORIES = [
  'Networking',
  'CI/CD',
  'Compute',
  'GitOps',
  'Access',
  'Incident Management',
];

const KB: KbSpec[] = [
  {
    cat: 'Networking',
    days: 180,
    views: 412,
    meta: 'egress, firewall, networkpolicy, livelink',
    s: 'How to Request Egress Access for livelink-* Namespaces',
    text: '<h2>Summary</h2><p>Workloads in <code>livelink-prod</code>, <code>livelink-uat</code> and <code>livelink-dev</code> run behind a default-deny egress policy. Every new destination needs an egress rule.</p><h2>What to put in the ticket</h2><ul><li>Namespace and cluster (e.g. <code>abrc1l / livelink-prod</code>)</li><li>Destination FQDN <strong>and</strong> IP/CIDR if known</li><li>Protocol and port(s), e.g. TCP 2049 for NFS, TCP 1521 for Oracle</li><li>Pod label selector of the source workload</li><li>Approved change (CHG) for production</li></ul><h2>Resolution steps (L1)</h2><ol><li>Validate the namespace exists and the requester belongs to the owning team.</li><li>Fill the firewall rule template and add a <code>NetworkPolicy</code> in <code>atlas-netpol</code>.</li><li>After merge, verify from a debug pod: <code>nc -vz &lt;host&gt; &lt;port&gt;</code>.</li></ol><p>Category <code>network / egress</code>, assignment group <code>Atlas-L1-Support</code>, usually P3/P4.</p>',
  },
  {
    cat: 'CI/CD',
    days: 150,
    views: 388,
    meta: 'gitlab, runner, fqdn, port, ci',
    s: 'GitLab CI runner access: FQDN and port checklist',
    text: '<h2>Checklist</h2><p>GitLab runners run in <code>abrc1l:gitlab-runners</code>. Requests must list every FQDN and port:</p><table><tr><th>Purpose</th><th>FQDN</th><th>Port</th></tr><tr><td>GitLab API / clone</td><td>gitlab.acme.com</td><td>443</td></tr><tr><td>Container registry</td><td>registry.gitlab.acme.com</td><td>5050</td></tr><tr><td>Artifacts</td><td>artifactory.acme.internal</td><td>443</td></tr></table><p>SSH (22) is <strong>not</strong> opened for runners; use <code>CI_JOB_TOKEN</code> over HTTPS for submodules.</p><h2>Process</h2><ol><li>FQDN/port validation</li><li>Security review (SEC ticket)</li><li>Runner config update and verification job</li></ol>',
  },
  {
    cat: 'Compute',
    days: 120,
    views: 197,
    meta: 'karpenter, gpu, nodepool, ec2, mecc',
    s: 'Karpenter GPU node provisioning failures',
    text: '<h2>Symptoms</h2><p>Pods requesting <code>nvidia.com/gpu</code> stay <code>Pending</code> on <code>mecc</code>; NodeClaims show <code>InsufficientInstanceCapacity</code> or <code>UnauthorizedOperation</code>.</p><h2>Checks</h2><ol><li><code>kubectl get nodeclaims -o wide</code> and <code>kubectl describe nodeclaim</code></li><li>Karpenter controller logs in namespace <code>karpenter</code></li><li>AWS service quotas for G and VT instances in eu-central-1</li><li>Recent SCP / IAM changes on the Karpenter controller role</li></ol><h2>Mitigation</h2><p>Widen the NodePool zone and instance-family requirements (g5, g6), roll back the EC2NodeClass if a new version was applied, and open an AWS support case for capacity. This is a P1 when training for a release is blocked: engage <code>Atlas-L3-Evangelists</code>.</p>',
  },
  {
    cat: 'GitOps',
    days: 140,
    views: 265,
    meta: 'flux, fluxcd, kustomization, helmrelease, gitops',
    s: 'FluxCD reconciliation stuck',
    text: '<h2>Triage</h2><pre>flux get all -A --status-selector ready=false\nflux logs --level=error --since=1h</pre><h2>Common causes</h2><ul><li><strong>Source auth</strong>: deploy token rotated; update the secret referenced by the GitRepository.</li><li><strong>Dependency not ready</strong>: fix the upstream Kustomization first (often CRDs).</li><li><strong>HelmRelease retries exhausted</strong>: check <code>helm history</code> for a pending-upgrade lock; suspend, roll back, resume.</li><li><strong>Prune</strong>: resources moved between Kustomizations get deleted and recreated.</li></ul><p>Assignment group <code>Atlas-L2-Platform</code>.</p>',
  },
  {
    cat: 'Access',
    days: 200,
    views: 530,
    meta: 'rbac, namespace, access, rolebinding',
    s: 'Namespace RBAC access requests',
    text: '<h2>Roles</h2><ul><li><code>view</code>: read-only, for on-call and support</li><li><code>edit</code>: deploy and debug in non-production namespaces</li><li><code>admin</code>: namespace owners only</li></ul><h2>Request</h2><p>Name the namespace, the role and the AD group (e.g. <code>LL-PROD-VIEW</code>), plus approval from the namespace owner. RoleBindings live in <code>atlas-fleet</code> and are applied by Flux; never create them by hand, they will be pruned.</p>',
  },
  {
    cat: 'Networking',
    days: 90,
    views: 144,
    meta: 'snowflake, egress, privatelink, ocsp',
    s: 'Whitelisting Snowflake hosts for snowflake-connect',
    text: '<h2>Required hosts</h2><p>Run <code>SELECT SYSTEM$ALLOWLIST();</code> (or <code>SYSTEM$ALLOWLIST_PRIVATELINK()</code>) in the Snowflake account and attach the output to the ticket. Typically:</p><ul><li><code>&lt;account&gt;.snowflakecomputing.com:443</code></li><li><code>ocsp.snowflakecomputing.com:80</code></li><li>stage bucket <code>sfc-*-customer-stage.s3.*.amazonaws.com:443</code></li></ul><p>Add the hosts to the egress allow list of <code>rtg:snowflake-connect</code>. P4, <code>Atlas-L1-Support</code>.</p>',
  },
  {
    cat: 'Networking',
    days: 60,
    views: 98,
    meta: 'oracle, ora-12170, tns, database, connectivity',
    s: 'Troubleshooting DB connectivity from livelink namespaces (ORA-12170 / TNS timeouts)',
    text: '<h2>Steps</h2><ol><li>From a debug pod in the namespace: <code>nc -vz &lt;scan-host&gt; 1521</code> for <em>every</em> IP the SCAN name resolves to.</li><li>Compare with the egress rule: SCAN listeners usually have three IPs.</li><li>Check recent changes to egress policies and DB failovers (listener port may change).</li></ol><p>Customer-facing failures in <code>livelink-prod</code> are P2: escalate to <code>Atlas-L2-Platform</code> after 30 minutes.</p>',
  },
  {
    cat: 'Access',
    days: 45,
    views: 71,
    meta: 'visibility, rolebinding, networkpolicy, flux, prune',
    s: 'Pod visibility loss: missing RoleBindings or NetworkPolicies after Flux prune',
    text: '<p>When a team suddenly cannot list pods, or Prometheus stops scraping a namespace, check whether Flux pruned a RoleBinding or an allow-from-monitoring NetworkPolicy:</p><pre>flux events -n flux-system --for Kustomization/&lt;name&gt;\nkubectl get rolebinding,networkpolicy -n &lt;ns&gt;</pre><p>Restore the object in <code>atlas-fleet</code> under the correct Kustomization.</p>',
  },
  {
    cat: 'Incident Management',
    days: 220,
    views: 301,
    meta: 'p1, major incident, outage, escalation',
    s: 'P1 major incident runbook for Tanzu Atlas clusters',
    text: '<h2>Declare</h2><p>Cluster down, security breach or production application failure = P1. Assign to <code>Atlas-L3-Evangelists</code> immediately.</p><h2>Notify</h2><ul><li>SMS/email to the area leads of the cluster domain and the vendor manager</li><li>Open the bridge and the Teams channel</li><li>Tanzu / AWS escalation via the vendor hotline</li></ul><h2>Communicate</h2><p>Real-time updates in work notes and the customer-visible comments; post-mortem within 24h.</p>',
  },
  {
    cat: 'Networking',
    days: 20,
    views: 36,
    meta: 'nfs, egress, template, livelink',
    s: 'INC13076932 resolution template: NFS egress for livelink namespaces',
    text: '<p>Reuse the resolution of <strong>INC13076932</strong> for NFS egress requests:</p><ol><li>NetworkPolicy <code>allow-nfs-&lt;filer&gt;</code> allowing TCP 2049 (and 111 for NFSv3) to the filer IP /32</li><li>Firewall rule via the egress template</li><li>Verify with <code>mount -t nfs4</code> from a test pod</li></ol>',
  },
  {
    cat: 'Compute',
    days: 3,
    views: 2,
    draft: true,
    meta: 'node, provisioning, aws, quota, karpenter',
    s: 'Node provisioning playbook: AWS quota checks and Karpenter config',
    text: '<p><em>DRAFT</em> - AWS quota check, Karpenter NodePool limits, cluster validation. To be reviewed by Atlas-L2-Platform.</p>',
  },
];

export interface SeedIds {
  user(userName: string): string;
  group(tier: 'L1' | 'L2' | 'L3' | 'SD'): string;
  ci(name: string): string;
}

export const seedIds: SeedIds = {
  user: u => seedSysId('sys_user', u),
  group: t => seedSysId('sys_user_group', GROUPS[t].name),
  ci: n => seedSysId('cmdb_ci', n),
};

/** All CMDB CI names in the seed: clusters, `cluster:namespace`, applications. */
export const SEED_CI_NAMES: string[] = [
  ...Object.keys(CLUSTERS),
  ...Object.entries(CLUSTERS).flatMap(([c, nss]) =>
    nss.map(ns => `${c}:${ns}`),
  ),
  'livelink-portal',
];

/** Loads the demo data set; timestamps are relative to `anchor`. */
export function loadSeed(store: SimulatorStore, anchor: Date): void {
  const base = anchor.getTime();
  const at = (hoursAgo: number) =>
    formatDateTime(new Date(base - Math.max(hoursAgo, 0) * HOUR));
  const created = at(24 * 400);
  const sys = (by = 'admin', on = created): SnRecord => ({
    sys_created_on: on,
    sys_created_by: by,
    sys_updated_on: on,
    sys_updated_by: by,
    sys_mod_count: '0',
  });

  for (const u of USERS) {
    store.load('sys_user', {
      ...sys(),
      sys_id: seedIds.user(u.user_name),
      user_name: u.user_name,
      first_name: u.first_name,
      last_name: u.last_name,
      name: `${u.first_name} ${u.last_name}`,
      email: `${u.user_name}@acme.com`,
      title: u.title,
      department: u.department,
      phone: u.phone ?? '',
      active: 'true',
    });
  }
  for (const [tier, g] of Object.entries(GROUPS)) {
    store.load('sys_user_group', {
      ...sys(),
      sys_id: seedIds.group(tier as 'L1'),
      name: g.name,
      description: g.description,
      email: g.email,
      manager: seedIds.user(g.manager),
      type: 'itil',
      active: 'true',
    });
  }
  for (const [cluster, namespaces] of Object.entries(CLUSTERS)) {
    store.load('cmdb_ci', {
      ...sys(),
      sys_id: seedIds.ci(cluster),
      name: cluster,
      sys_class_name: 'cmdb_ci_kubernetes_cluster',
      short_description: CLUSTER_TEXT[cluster],
      operational_status: '1',
      install_status: '1',
      environment: 'production',
      support_group: seedIds.group('L2'),
      managed_by: seedIds.user('daniel.meyer'),
      fqdn: `api.${cluster}.k8s.acme.internal`,
    });
    for (const ns of namespaces) {
      const name = `${cluster}:${ns}`;
      store.load('cmdb_ci', {
        ...sys(),
        sys_id: seedIds.ci(name),
        name,
        sys_class_name: 'cmdb_ci_kubernetes_namespace',
        short_description: `Kubernetes namespace ${ns} on cluster ${cluster}`,
        operational_status: '1',
        install_status: '1',
        environment: /-(uat|dev)$/.test(ns)
          ? ns.split('-').pop()!
          : 'production',
        support_group: seedIds.group('L1'),
      });
    }
  }
  store.load('cmdb_ci', {
    ...sys(),
    sys_id: seedIds.ci('livelink-portal'),
    name: 'livelink-portal',
    sys_class_name: 'cmdb_ci_appl',
    short_description:
      'LiveLink customer portal (runs in abrc1l:livelink-prod)',
    operational_status: '1',
    install_status: '1',
    environment: 'production',
    support_group: seedIds.group('SD'),
    fqdn: 'livelink.acme.com',
  });

  // Knowledge base
  const kbBase = seedSysId('kb_knowledge_base', 'tanzu-atlas');
  store.load('kb_knowledge_base', {
    ...sys(),
    sys_id: kbBase,
    title: 'Tanzu Atlas Platform',
    description:
      'Runbooks, playbooks and request how-tos for the Tanzu Atlas Kubernetes clusters.',
    active: 'true',
  });
  for (const label of KB_CATEGORIES) {
    store.load('kb_category', {
      ...sys(),
      sys_id: seedSysId('kb_category', label),
      label,
      value: label.toLowerCase().replace(/[^a-z]+/g, '_'),
      kb_knowledge_base: kbBase,
      active: 'true',
    });
  }
  KB.forEach((a, idx) => {
    const on = at(a.days * 24);
    const upd = at(Math.max(a.days * 24 - 240, a.days * 12));
    store.load('kb_knowledge', {
      ...sys('marco.bianchi', on),
      sys_updated_on: upd,
      sys_mod_count: String(2 + (idx % 4)),
      sys_id: seedSysId('kb_knowledge', a.s),
      number: `KB${String(10001 + idx).padStart(7, '0')}`,
      short_description: a.s,
      text: a.text,
      meta: a.meta,
      kb_knowledge_base: kbBase,
      kb_category: seedSysId('kb_category', a.cat),
      author: seedIds.user(KB_AUTHORS[idx % KB_AUTHORS.length]),
      workflow_state: a.draft ? 'draft' : 'published',
      published: a.draft ? '' : on.slice(0, 10),
      valid_to: '2100-01-01',
      sys_view_count: String(a.views),
      active: 'true',
      latest: 'true',
    });
  });

  // Incidents, numbered in the order they were opened.
  const ordered = [...INCIDENTS].sort((a, b) => b.h - a.h);
  const templateIdx = ordered.findIndex(s => s.template);
  const firstNumber = 13076932 - templateIdx;
  ordered.forEach((spec, idx) => {
    const sysId = seedSysId('incident', spec.k);
    const priority = computePriority(String(spec.i), String(spec.u));
    const openedH = spec.h;
    const resolvedH = spec.res !== undefined ? openedH - spec.res : undefined;
    const closedH =
      spec.st === 7 && resolvedH !== undefined
        ? Math.max(resolvedH - 72, Math.min(resolvedH, 0.5))
        : undefined;
    const creator = spec.ct === 'phone' ? 'grace.liu' : spec.c;
    let lastH = openedH;
    let mods = spec.g ? 2 : 0;
    for (const [after, user, text, element] of spec.notes ?? []) {
      const h = openedH - after;
      const on = at(h);
      store.load('sys_journal_field', {
        sys_id: seedSysId('sys_journal_field', `${spec.k}:${after}:${text}`),
        sys_created_on: on,
        sys_created_by: user,
        sys_updated_on: on,
        sys_updated_by: user,
        sys_mod_count: '0',
        element_id: sysId,
        element: element ?? 'work_notes',
        name: 'incident',
        value: text,
      });
      lastH = Math.min(lastH, h);
      mods++;
    }
    if (resolvedH !== undefined) {
      lastH = Math.min(lastH, resolvedH);
      mods += 2;
    }
    if (closedH !== undefined) {
      lastH = Math.min(lastH, closedH);
      mods++;
    }
    if (spec.st === 8) mods++;
    const slaH = SLA_HOURS[priority];
    const doneH = spec.res ?? (spec.st === 8 ? 0 : openedH);
    let lastUser = spec.a ?? creator;
    if (spec.notes?.length) lastUser = spec.notes[spec.notes.length - 1][1];
    if (closedH !== undefined) lastUser = 'system';
    store.load('incident', {
      sys_id: sysId,
      sys_created_on: at(openedH),
      sys_created_by: creator,
      sys_updated_on: at(lastH),
      sys_updated_by: lastUser,
      sys_mod_count: String(mods),
      number: `INC${firstNumber + idx}`,
      short_description: spec.s,
      description: spec.d,
      state: String(spec.st),
      incident_state: String(spec.st),
      hold_reason: spec.hold ?? '',
      impact: String(spec.i),
      urgency: String(spec.u),
      priority,
      severity: String(spec.i),
      category: spec.cat,
      subcategory: spec.sub,
      contact_type: spec.ct ?? 'self_service',
      assignment_group: spec.g ? seedIds.group(spec.g) : '',
      assigned_to: spec.a ? seedIds.user(spec.a) : '',
      cmdb_ci: seedIds.ci(spec.ci),
      caller_id: seedIds.user(spec.c),
      opened_by: seedIds.user(creator),
      opened_at: at(openedH),
      resolved_by:
        resolvedH !== undefined && spec.a ? seedIds.user(spec.a) : '',
      resolved_at: resolvedH !== undefined ? at(resolvedH) : '',
      closed_by: closedH !== undefined && spec.a ? seedIds.user(spec.a) : '',
      closed_at: closedH !== undefined ? at(closedH) : '',
      close_code: spec.code ?? '',
      close_notes: spec.cn ?? '',
      active: spec.st === 7 || spec.st === 8 ? 'false' : 'true',
      escalation: spec.esc ?? '0',
      reassignment_count: String(spec.rc ?? 0),
      reopen_count: '0',
      made_sla: doneH <= slaH ? 'true' : 'false',
      sla_due: at(openedH - slaH),
      watch_list:
        spec.i === 1
          ? `${seedIds.user('marco.bianchi')},${seedIds.user('hannah.schmidt')}`
          : '',
      work_notes_list: '',
      work_notes: '',
      comments: '',
      comments_and_work_notes: '',
      sys_class_name: 'incident',
    });
  });
}

interface GenTemplate {
  s: string;
  cat: string;
  sub: string;
  i: number;
  u: number;
  g: 'L1' | 'L2' | 'L3';
}

const GEN_TEMPLATES: GenTemplate[] = [
  {
    s: 'Add egress NFS access for {ns}',
    cat: 'network',
    sub: 'egress',
    i: 2,
    u: 2,
    g: 'L1',
  },
  {
    s: 'Egress request from {ns} to external API',
    cat: 'network',
    sub: 'egress',
    i: 3,
    u: 2,
    g: 'L1',
  },
  {
    s: 'GitLab CI access request for {ns}',
    cat: 'software',
    sub: 'gitlab',
    i: 3,
    u: 2,
    g: 'L1',
  },
  {
    s: 'Namespace access request: {ns}',
    cat: 'access',
    sub: 'namespace',
    i: 3,
    u: 2,
    g: 'L1',
  },
  {
    s: 'FluxCD reconciliation stuck for {ns}',
    cat: 'software',
    sub: 'gitops',
    i: 2,
    u: 2,
    g: 'L2',
  },
  {
    s: 'Node provisioning failure affecting {ns}',
    cat: 'hardware',
    sub: 'node',
    i: 2,
    u: 1,
    g: 'L2',
  },
  {
    s: 'Pod visibility loss in {ns}',
    cat: 'software',
    sub: 'monitoring',
    i: 2,
    u: 1,
    g: 'L2',
  },
  {
    s: 'DB connectivity failure from {ns}',
    cat: 'network',
    sub: 'connectivity',
    i: 1,
    u: 2,
    g: 'L2',
  },
  {
    s: 'Whitelist hosts for {ns}',
    cat: 'network',
    sub: 'egress',
    i: 3,
    u: 2,
    g: 'L1',
  },
  {
    s: 'Security block on {ns}',
    cat: 'security',
    sub: 'policy',
    i: 2,
    u: 1,
    g: 'L3',
  },
  {
    s: 'Cluster degraded: {ns}',
    cat: 'software',
    sub: 'kubernetes',
    i: 1,
    u: 1,
    g: 'L3',
  },
  {
    s: 'Documentation request for {ns}',
    cat: 'inquiry',
    sub: 'documentation',
    i: 3,
    u: 3,
    g: 'L1',
  },
];

/** State mixes by age: [cumulative share, state]. */
const OLD_MIX: [number, string][] = [
  [0.92, '7'],
  [0.97, '6'],
  [1, '8'],
];
const MIDDLE_MIX: [number, string][] = [
  [0.5, '7'],
  [0.8, '6'],
  [0.9, '2'],
  [0.95, '3'],
  [1, '8'],
];
const RECENT_MIX: [number, string][] = [
  [0.3, '1'],
  [0.65, '2'],
  [0.8, '3'],
  [1, '6'],
];

const ASSIGNEES: Record<string, string[]> = {
  L1: ['priya.raman', 'tomasz.kowalski'],
  L2: ['aisha.okafor', 'daniel.meyer'],
  L3: ['lena.fischer', 'marco.bianchi'],
};
const CALLERS = [
  'jonas.weber',
  'rahul.mehta',
  'sofia.martins',
  'emma.jansen',
  'kevin.obrien',
];

/**
 * Adds `count` synthetic incidents spread over the year before the anchor
 * (numbers INC12000000…, older than the seed). Deterministic and cheap:
 * strings that repeat are shared between records.
 */
export function loadGeneratedIncidents(
  store: SimulatorStore,
  anchor: Date,
  count: number,
): void {
  if (count <= 0) return;
  let state = 0x9e3779b9;
  const rand = () => {
    // mulberry32
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const ciNames = SEED_CI_NAMES.filter(n => n.includes(':'));
  const ciIds = ciNames.map(n => seedIds.ci(n));
  const texts = GEN_TEMPLATES.map(t =>
    ciNames.map(n => t.s.replace('{ns}', n.replace(':', ' / '))),
  );
  const descs = GEN_TEMPLATES.map(t =>
    ciNames.map(
      n =>
        `Synthetic ticket: ${t.s.replace(
          '{ns}',
          n,
        )}. Generated for load testing.`,
    ),
  );
  const groupIds = {
    L1: seedIds.group('L1'),
    L2: seedIds.group('L2'),
    L3: seedIds.group('L3'),
  };
  const assigneeIds: Record<string, string[]> = {};
  for (const [g, us] of Object.entries(ASSIGNEES))
    assigneeIds[g] = us.map(seedIds.user);
  const callerIds = CALLERS.map(seedIds.user);
  const callerNames = CALLERS;
  const priorities = GEN_TEMPLATES.map(t =>
    computePriority(String(t.i), String(t.u)),
  );
  const impacts = GEN_TEMPLATES.map(t => String(t.i));
  const urgencies = GEN_TEMPLATES.map(t => String(t.u));
  const closeNotes = 'Resolved per the matching KB article.';
  const end = anchor.getTime() - HOUR;
  const span = 365 * 24 * HOUR;
  const start = end - span;
  const step = span / count;

  for (let n = 0; n < count; n++) {
    const r = rand();
    const ti = Math.floor(r * GEN_TEMPLATES.length);
    const ci = Math.floor(rand() * ciIds.length);
    const cl = Math.floor(rand() * callerIds.length);
    const t = GEN_TEMPLATES[ti];
    const openedMs = Math.floor(start + (n + rand() * 0.9) * step);
    const ageH = (end - openedMs) / HOUR;
    const x = rand();
    let mix = RECENT_MIX;
    if (ageH > 14 * 24) mix = OLD_MIX;
    else if (ageH > 48) mix = MIDDLE_MIX;
    const st = mix.find(([limit]) => x < limit)?.[1] ?? mix[mix.length - 1][1];
    const opened = formatDateTime(new Date(openedMs));
    const resolvedMs = openedMs + Math.floor((1 + rand() * 70) * HOUR);
    const done = st === '6' || st === '7';
    const resolved = done
      ? formatDateTime(new Date(Math.min(resolvedMs, end)))
      : '';
    const closed =
      st === '7'
        ? formatDateTime(new Date(Math.min(resolvedMs + 72 * HOUR, end)))
        : '';
    const assigned = st !== '1';
    const who = assigneeIds[t.g][n & 1];
    store.load('incident', {
      sys_id: seedSysId('incident', `gen:${n}`),
      sys_created_on: opened,
      sys_created_by: callerNames[cl],
      sys_updated_on: closed || resolved || opened,
      sys_updated_by: callerNames[cl],
      sys_mod_count: done ? '4' : '1',
      number: `INC${12000000 + n}`,
      short_description: texts[ti][ci],
      description: descs[ti][ci],
      state: st,
      incident_state: st,
      hold_reason: st === '3' ? '1' : '',
      impact: impacts[ti],
      urgency: urgencies[ti],
      priority: priorities[ti],
      severity: impacts[ti],
      category: t.cat,
      subcategory: t.sub,
      contact_type: 'self_service',
      assignment_group: assigned ? groupIds[t.g] : '',
      assigned_to: assigned ? who : '',
      cmdb_ci: ciIds[ci],
      caller_id: callerIds[cl],
      opened_by: callerIds[cl],
      opened_at: opened,
      resolved_by: done ? who : '',
      resolved_at: resolved,
      closed_by: st === '7' ? who : '',
      closed_at: closed,
      close_code: done ? 'Solution provided' : '',
      close_notes: done ? closeNotes : '',
      active: st === '7' || st === '8' ? 'false' : 'true',
      escalation: '0',
      reassignment_count: '0',
      reopen_count: '0',
      made_sla: 'true',
      sla_due: '',
      watch_list: '',
      work_notes_list: '',
      work_notes: '',
      comments: '',
      comments_and_work_notes: '',
      sys_class_name: 'incident',
    });
  }
}
