import {
  Playbook,
  PlaybookStepStatus,
  buildStepViews,
  extractIncidentFields,
  fillTemplate,
  isRunComplete,
  placeholdersOf,
  resolvePlaybookValues,
  stepBlockers,
  unverifiedSteps,
  validatePlaybook,
  validatePlaybookValues,
} from './playbooks';

const valid = {
  id: 'egress-access',
  title: 'Egress Access',
  summary: 'Open egress',
  fields: {
    namespace: { label: 'Namespace', from: 'namespace', pattern: '^[a-z-]+$' },
    fqdn: { label: 'Host', from: 'fqdn' },
    port: { label: 'Port', from: 'port', pattern: '^[0-9]+$' },
    protocol: { label: 'Protocol', default: 'TCP' },
    ruleId: { label: 'Rule id', pattern: '^FW-[0-9]+$', example: 'FW-1' },
  },
  steps: [
    {
      id: 'validate',
      kind: 'check',
      title: 'Validate {{namespace}}',
      checks: ['{{namespace}} exists'],
    },
    { id: 'notes', kind: 'task', title: 'Optional notes', optional: true },
    {
      id: 'rule',
      kind: 'task',
      title: 'Firewall rule',
      templates: [
        {
          id: 'fw',
          title: 'Rule',
          format: 'text',
          text: 'allow {{namespace}} -> {{fqdn}}:{{port}}/{{protocol}} as {{ fqdn | slug }}',
        },
      ],
      needs: ['ruleId'],
    },
    { id: 'test', kind: 'verification', title: 'Test' },
  ],
};

describe('validatePlaybook', () => {
  it('accepts a valid playbook and fills in the defaults', () => {
    const { playbook, problems } = validatePlaybook(valid);
    expect(problems).toEqual([]);
    expect(playbook!.steps.map(s => [s.id, s.kind, s.optional])).toEqual([
      ['validate', 'check', false],
      ['notes', 'task', true],
      ['rule', 'task', false],
      ['test', 'verification', false],
    ]);
    expect(playbook!.steps[2].needs).toEqual(['ruleId']);
    expect(playbook!.fields.protocol).toEqual({
      label: 'Protocol',
      default: 'TCP',
    });
  });

  it('names the key of every problem', () => {
    const { playbook, problems } = validatePlaybook({
      ...valid,
      id: 'Egress Access',
      colour: 'red',
      fields: {
        ...valid.fields,
        port: { label: 'Port', from: 'ticket-port', pattern: '([' },
        protocol: {
          label: 'Protocol',
          default: 'SCTP',
          pattern: '^(TCP|UDP)$',
        },
      },
      steps: [
        { ...valid.steps[0], kind: 'chek' },
        { ...valid.steps[1], id: 'validate' },
        {
          ...valid.steps[2],
          needs: ['nope'],
          templates: [
            {
              id: 'fw',
              title: 'Rule',
              format: 'xml',
              text: '{{host}} {{port | upper}}',
            },
          ],
        },
        { id: 'test', kind: 'verification', title: 'Test', optional: true },
      ],
    });
    expect(playbook).toBeUndefined();
    expect(problems).toEqual([
      'colour: is not a known key (known: id, title, summary, fields, steps)',
      "id: 'Egress Access' must be lowercase letters, digits and dashes",
      "fields.port.from: 'ticket-port' is not one of number, shortDescription, requester, priority, cluster, namespace, fqdn, port, destinations, cidr, changeRef, securityRef, accessRole, adGroup, accessUser, nodePool, instanceType, region, availabilityZone, fluxKind, fluxName, gitlabProject, runnerTag, appLabel, egressCidr",
      'fields.port.pattern: is not a valid regular expression',
      "fields.protocol.default: 'SCTP' does not match the field pattern",
      "steps[0].kind: 'chek' is not one of task, check, verification",
      "steps[1].id: 'validate' is used twice",
      "steps[2].needs[0]: 'nope' is not a field",
      "steps[2].templates[0].format: 'xml' is not one of text, yaml, shell, toml, json, markdown",
      "steps[2].templates[0].text: filter 'upper' is not one of lower, slug",
      'steps[2].templates[0].text: uses {{host}}, which is not a field of this playbook',
      'steps[3].optional: a verification step cannot be optional',
    ]);
  });

  it('needs a verification step, steps, and a mapping at the root', () => {
    expect(
      validatePlaybook({ ...valid, steps: valid.steps.slice(0, 3) }).problems,
    ).toEqual([
      'steps: needs at least one verification step (kind: verification): the proof that the change works',
    ]);
    expect(validatePlaybook({ ...valid, steps: [] }).problems).toEqual([
      'steps: must be a non-empty list of steps',
    ]);
    expect(validatePlaybook(['a']).problems).toEqual([
      '(root): must be a mapping with id, title, steps',
    ]);
    expect(
      validatePlaybook({ id: 'x', steps: [{ id: 'a', kind: 'verification' }] })
        .problems,
    ).toEqual([
      'title: is required',
      'summary: is required',
      'steps[0].title: is required',
    ]);
  });
});

describe('templates', () => {
  it('fills placeholders, applies filters and reports what is missing', () => {
    expect(
      placeholdersOf('{{a}} {{ b | slug }} {{a}} {{ .Values.x }}'),
    ).toEqual(['a', 'b']);
    expect(
      fillTemplate('k8s-{{ns}}-{{ host | slug }}-{{port}} {{number | lower}}', {
        ns: 'livelink-prod',
        host: 'NAS-prd-03.acme.internal',
        number: 'INC13076959',
      }),
    ).toEqual({
      text: 'k8s-livelink-prod-nas-prd-03-acme-internal-{{port}} inc13076959',
      missing: ['port'],
    });
    // Helm and Go templates are left alone
    expect(fillTemplate('{{ .Values.image }}', {})).toEqual({
      text: '{{ .Values.image }}',
      missing: [],
    });
  });
});

describe('extractIncidentFields', () => {
  const ticket = (
    shortDescription: string,
    description: string,
    ci?: string,
  ) => ({
    number: 'INC13076961',
    priority: 'P3' as const,
    shortDescription,
    description,
    caller: { id: 'u1', name: 'Rahul Mehta' },
    configurationItem: ci ? { id: 'ci', name: ci } : undefined,
  });

  it('reads a GitLab runner access ticket', () => {
    expect(
      extractIncidentFields(
        ticket(
          'GitLab CI runner access: artifactory.acme.internal:443 from gitlab-runners',
          'pipelines for livelink/portal-api started failing in the gitlab-runners ns on abrc1l:\n  dial tcp 10.42.17.8:443: i/o timeout (artifactory.acme.internal)\nPls open egress for FQDN artifactory.acme.internal, TCP 443 for the runner pods (label app=gitlab-runner).\nJob: https://gitlab.acme.com/livelink/portal-api/-/jobs/884213',
          'abrc1l:gitlab-runners',
        ),
      ),
    ).toEqual({
      number: 'INC13076961',
      shortDescription:
        'GitLab CI runner access: artifactory.acme.internal:443 from gitlab-runners',
      priority: 'P3',
      requester: 'Rahul Mehta',
      cluster: 'abrc1l',
      namespace: 'gitlab-runners',
      fqdn: 'artifactory.acme.internal',
      port: '443',
      destinations: 'artifactory.acme.internal:443, gitlab.acme.com',
      cidr: '10.42.17.8/32',
      gitlabProject: 'livelink/portal-api',
      appLabel: 'gitlab-runner',
    });
  });

  it('reads an NFS egress ticket with a change, an IP and two ports', () => {
    const f = extractIncidentFields(
      ticket(
        'Add egress NFS access for livelink-prod',
        'Need egress from namespace livelink-prod to NFS filer nas-prd-03.acme.internal (10.20.4.31) TCP/UDP 2049 and 111 (portmapper) for the document-archive pods.\nChange CHG0041123 approved for Thu.',
        'abrc1l:livelink-prod',
      ),
    );
    expect(f).toMatchObject({
      cluster: 'abrc1l',
      namespace: 'livelink-prod',
      fqdn: 'nas-prd-03.acme.internal',
      port: '2049',
      cidr: '10.20.4.31/32',
      changeRef: 'CHG0041123',
      appLabel: 'document-archive',
    });
  });

  it("reads the pods' app label when the ticket names it", () => {
    const app = (text: string, ci?: string) =>
      extractIncidentFields(ticket('Egress request', text, ci)).appLabel;
    expect(app('for pods with label app=portal-web')).toBe('portal-web');
    expect(app('app: Document_Archive.v2, port 443')).toBe(
      'Document_Archive.v2',
    );
    expect(app('the app label is billing-sync')).toBe('billing-sync');
    expect(app('for the document-archive pods')).toBe('document-archive');
    // not an app: the namespace, a namespace-like name, words, a port
    expect(
      app('for the livelink-uat pods', 'abrc1l:livelink-uat'),
    ).toBeUndefined();
    expect(app('Egress to NFS for Livelink-Prod pods')).toBeUndefined();
    expect(app('all pods and the runner pods')).toBeUndefined();
    expect(app('curl http://app:8080 fails')).toBeUndefined();
  });

  it('keeps host names apart from API groups, file names, instance types and account ids', () => {
    const f = extractIncidentFields(
      ticket(
        'Whitelist Snowflake hosts for snowflake-connect (new account acme-analytics)',
        'New Snowflake account acme-analytics.eu-central-1 - pls whitelist acme-analytics.eu-central-1.snowflakecomputing.com:443 from snowflake-connect. Pods have karpenter.sh/do-not-disrupt=true and request nvidia.com/gpu on g5.2xlarge / m5.large, see values.yaml.',
        'rtg:snowflake-connect',
      ),
    );
    expect(f.fqdn).toBe('acme-analytics.eu-central-1.snowflakecomputing.com');
    expect(f.destinations).toBe(
      'acme-analytics.eu-central-1.snowflakecomputing.com:443',
    );
    expect(f.port).toBe('443');
    expect(f.instanceType).toBe('g5.2xlarge');
  });

  it('takes the port from words when the host has none, and not from an IP', () => {
    const f = extractIncidentFields(
      ticket(
        'GitLab CI access request: runners to registry.gitlab.acme.com',
        'kaniko builds need registry.gitlab.acme.com port 5050; currently "dial tcp 10.1.2.3:5050". Project livelink/mobile-bff. tag: ll-mobile',
        'abrc1l:gitlab-runners',
      ),
    );
    expect(f).toMatchObject({
      fqdn: 'registry.gitlab.acme.com',
      port: '5050',
      gitlabProject: 'livelink/mobile-bff',
      runnerTag: 'll-mobile',
    });
    expect(
      extractIncidentFields(ticket('egress', 'dial tcp 10.42.17.8 failed'))
        .port,
    ).toBeUndefined();
  });

  it('reads namespace access, node and Flux tickets', () => {
    expect(
      extractIncidentFields(
        ticket(
          'Namespace access: edit rights on livelink-uat for new dev (mnovak)',
          'New joiner Marta Novak (mnovak) needs edit on livelink-uat. AD group LL-DEV-UAT already requested.',
          'abrc1l:livelink-uat',
        ),
      ),
    ).toMatchObject({
      namespace: 'livelink-uat',
      accessUser: 'mnovak',
      accessRole: 'edit',
      adGroup: 'LL-DEV-UAT',
    });
    expect(
      extractIncidentFields(
        ticket(
          'Namespace RBAC: view role on livelink-prod for rahul.mehta',
          'Need read-only (view) on livelink-prod for on-call next week.',
        ),
      ),
    ).toMatchObject({ accessRole: 'view', accessUser: 'rahul.mehta' });
    expect(
      extractIncidentFields(
        ticket(
          'Karpenter GPU node failure on mecc - gpu-a10g NodePool not provisioning',
          'Karpenter does not launch GPU nodes for NodePool gpu-a10g. "InsufficientInstanceCapacity: no g5.2xlarge capacity in eu-central-1b"',
          'mecc:karpenter',
        ),
      ),
    ).toMatchObject({
      cluster: 'mecc',
      nodePool: 'gpu-a10g',
      instanceType: 'g5.2xlarge',
      region: 'eu-central-1',
      availabilityZone: 'eu-central-1b',
    });
    expect(
      extractIncidentFields(
        ticket(
          'Node provisioning: monitoring node pool on rtg at 95% memory',
          'Nodes in pool np-monitoring on rtg at 93-96% memory.',
          'rtg',
        ),
        { isCluster: ci => ci === 'rtg' },
      ),
    ).toMatchObject({ cluster: 'rtg', nodePool: 'np-monitoring' });
    expect(
      extractIncidentFields(
        ticket(
          'FluxCD reconciliation stuck: HelmRelease livelink-portal on abrc1l',
          'HelmRelease livelink-portal (flux-system) stuck',
          'abrc1l:flux-system',
        ),
      ),
    ).toMatchObject({ fluxKind: 'HelmRelease', fluxName: 'livelink-portal' });
  });

  it('takes a bare CI as a cluster only when told it is one', () => {
    const t = ticket(
      'Unable to log in',
      'after password change',
      'livelink-portal',
    );
    expect(extractIncidentFields(t).cluster).toBeUndefined();
    expect(
      extractIncidentFields(t, { isCluster: () => false }).cluster,
    ).toBeUndefined();
  });
});

describe('step rules', () => {
  const playbook = validatePlaybook(valid).playbook as Playbook;

  it('blocks a step until the required steps before it are complete', () => {
    expect(stepBlockers(playbook, 'validate', {})).toEqual([]);
    expect(stepBlockers(playbook, 'rule', {}).map(s => s.id)).toEqual([
      'validate',
    ]);
    // optional steps never block; failed does not complete
    expect(
      stepBlockers(playbook, 'test', { validate: 'failed' }).map(s => s.id),
    ).toEqual(['validate', 'rule']);
    expect(
      stepBlockers(playbook, 'test', { validate: 'done', rule: 'skipped' }),
    ).toEqual([]);
  });

  const outcome = (status: PlaybookStepStatus, minute: number) => ({
    status,
    actor: 'a',
    at: `2026-11-26T10:${String(minute).padStart(2, '0')}:00.000Z`,
    ...(status === 'failed' ? { note: 'why' } : {}),
  });

  it('knows which verifications are open and when a run is complete', () => {
    expect(unverifiedSteps(playbook, {}).map(s => s.id)).toEqual(['test']);
    expect(
      unverifiedSteps(playbook, {
        validate: [outcome('done', 1)],
        rule: [outcome('done', 2)],
        test: [outcome('failed', 3)],
      }).map(s => s.id),
    ).toEqual(['test']);
    expect(
      unverifiedSteps(playbook, {
        validate: [outcome('done', 1)],
        rule: [outcome('done', 2)],
        test: [outcome('failed', 3), outcome('verified', 4)],
      }),
    ).toEqual([]);
    expect(isRunComplete(playbook, { validate: 'done', rule: 'done' })).toBe(
      false,
    );
    expect(
      isRunComplete(playbook, {
        validate: 'done',
        rule: 'done',
        test: 'verified',
      }),
    ).toBe(true);
  });

  it('undoes a verification when a step before it fails afterwards, until verified again', () => {
    const verified = {
      validate: [outcome('done', 1)],
      rule: [outcome('done', 2)],
      test: [outcome('verified', 3)],
    };
    expect(unverifiedSteps(playbook, verified)).toEqual([]);
    // the rule fails after the verification: not verified any more
    const failed = {
      ...verified,
      rule: [outcome('done', 2), outcome('failed', 4)],
    };
    expect(unverifiedSteps(playbook, failed).map(s => s.id)).toEqual(['test']);
    // redoing the rule does not bring the old proof back
    const redone = { ...failed, rule: [...failed.rule, outcome('done', 5)] };
    expect(unverifiedSteps(playbook, redone).map(s => s.id)).toEqual(['test']);
    // verifying again does
    expect(
      unverifiedSteps(playbook, {
        ...redone,
        test: [...redone.test, outcome('verified', 6)],
      }),
    ).toEqual([]);
    // a failure before the verification, or of an optional step, does not count
    expect(
      unverifiedSteps(playbook, {
        validate: [outcome('failed', 1), outcome('done', 2)],
        notes: [outcome('failed', 5)],
        rule: [outcome('done', 3)],
        test: [outcome('verified', 4)],
      }),
    ).toEqual([]);
  });

  it('checks supplied values against the fields', () => {
    expect(
      validatePlaybookValues(playbook, { port: 443, ruleId: 'FW-22817' }),
    ).toEqual({ values: { port: '443', ruleId: 'FW-22817' }, problems: [] });
    expect(
      validatePlaybookValues(playbook, {
        ruleId: 'fw 1',
        colour: 'red',
        namespace: '',
      }).problems,
    ).toEqual([
      "values.ruleId: 'fw 1' does not match ^FW-[0-9]+$ (e.g. FW-1)",
      'values.colour: not a field of playbook egress-access (fields: namespace, fqdn, port, protocol, ruleId)',
      'values.namespace: must be a non-empty string (at most 500)',
    ]);
  });

  it('builds step views: filled texts, missing values, state and blockers', () => {
    const values = resolvePlaybookValues(
      playbook,
      { namespace: 'livelink-prod', fqdn: 'nas-prd-03.acme.internal' },
      { port: '2049' },
    );
    expect(values.map(v => [v.name, v.value, v.source])).toEqual([
      ['namespace', 'livelink-prod', 'incident'],
      ['fqdn', 'nas-prd-03.acme.internal', 'incident'],
      ['port', '2049', 'engineer'],
      ['protocol', 'TCP', 'default'],
      ['ruleId', undefined, undefined],
    ]);
    const steps = buildStepViews(playbook, values, {
      validate: [
        {
          status: 'failed',
          actor: 'a',
          at: '2026-11-26T10:00:00.000Z',
          note: 'no ns',
        },
        { status: 'done', actor: 'b', at: '2026-11-26T10:05:00.000Z' },
      ],
    });
    expect(steps[0]).toMatchObject({
      title: 'Validate livelink-prod',
      checks: ['livelink-prod exists'],
      status: 'done',
      actor: 'b',
      blockedBy: [],
    });
    expect(steps[0].history).toHaveLength(2);
    expect(steps[2]).toMatchObject({
      status: 'pending',
      blockedBy: [],
      missing: ['ruleId'],
      templates: [
        {
          id: 'fw',
          text: 'allow livelink-prod -> nas-prd-03.acme.internal:2049/TCP as nas-prd-03-acme-internal',
          missing: [],
        },
      ],
    });
    expect(steps[3]).toMatchObject({
      status: 'pending',
      blockedBy: ['rule'],
      allowedStatuses: ['verified', 'failed'],
    });
  });
});
