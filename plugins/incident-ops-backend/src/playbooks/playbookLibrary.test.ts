import {
  DEFAULT_PLAYBOOK_MAPPING,
  TicketType,
  buildStepViews,
  extractIncidentFields,
  resolvePlaybookValues,
} from '@acme/plugin-incident-ops-common';
import { ConfigReader } from '@backstage/config';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { loadPlaybooks, readPlaybookLibrary } from './playbookLibrary';
import { readLessonFiles } from './LessonService';
import type { JsonObject } from '@backstage/types';
import { startIncidentOpsBackend } from '../__testUtils__/testBackend';
import { parseDocument } from 'yaml';

const repoPlaybooks = resolvePackagePath(
  '@acme/plugin-incident-ops-backend',
  '../../playbooks',
);

function tempDir(files: Record<string, string>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'playbooks-'));
  for (const [name, text] of Object.entries(files)) {
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const minimal = (id: string) => `id: ${id}
title: ${id}
summary: A test playbook
steps:
  - id: verify
    kind: verification
    title: Verify
`;

describe('playbook library', () => {
  it('loads the shipped playbooks and maps the ticket types of Appendix A', async () => {
    const library = await readPlaybookLibrary(new ConfigReader({}));
    expect(library.directory).toBe(repoPlaybooks);
    expect(library.list().map(l => l.playbook.id)).toEqual([
      'egress-access',
      'fluxcd-gitops',
      'gitlab-ci-access',
      'namespace-access',
      'node-provisioning',
    ]);
    expect(library.forTicketType('egress')?.playbook.title).toBe(
      'Egress Access',
    );
    expect(library.forTicketType('gitops')?.playbook.id).toBe('fluxcd-gitops');
    expect(library.forTicketType('cluster-outage')).toBeUndefined();
    // every shipped playbook follows the model: a check first, a verification last
    for (const { playbook } of library.list()) {
      expect(playbook.steps[0].kind).toBe('check');
      expect(playbook.steps[playbook.steps.length - 1].kind).toBe(
        'verification',
      );
    }
    // the model's order of steps
    expect(library.get('egress-access')!.playbook.steps.map(s => s.id)).toEqual(
      ['validate-namespace', 'firewall-rule', 'test-verification'],
    );
    expect(
      library.get('gitlab-ci-access')!.playbook.steps.map(s => s.id),
    ).toEqual([
      'validate-fqdn-port',
      'security-review',
      'runner-config',
      'verification-job',
    ]);
    expect(
      library.get('node-provisioning')!.playbook.steps.map(s => s.id),
    ).toEqual([
      'aws-quota-check',
      'quota-increase',
      'karpenter-config',
      'cluster-validation',
    ]);
  });

  it('fills the egress firewall rule from a ticket, ready to paste', async () => {
    const library = await readPlaybookLibrary(new ConfigReader({}));
    const { playbook } = library.get('egress-access')!;
    const extracted = extractIncidentFields({
      number: 'INC13076959',
      priority: 'P3',
      shortDescription: 'Add egress NFS access for livelink-prod',
      description:
        'Need egress from namespace livelink-prod to NFS filer nas-prd-03.acme.internal (10.20.4.31) TCP/UDP 2049 and 111 (portmapper) for the document-archive pods.\nChange CHG0041123 approved for Thu.',
      caller: { id: 'x', name: 'Jonas Weber' },
      configurationItem: { id: 'ci', name: 'abrc1l:livelink-prod' },
    });
    const values = resolvePlaybookValues(playbook, extracted, {
      appLabel: 'document-archive',
      egressCidr: '10.42.0.0/16',
    });
    const [, rule] = buildStepViews(playbook, values, {});
    expect(rule.templates[0].missing).toEqual([]);
    expect(rule.templates[0].text).toBe(
      `Rule name:     k8s-abrc1l-livelink-prod-nas-prd-03-acme-internal-2049
Source:        10.42.0.0/16 (Tanzu Atlas cluster abrc1l, namespace livelink-prod, pods app=document-archive)
Destination:   nas-prd-03.acme.internal (10.20.4.31/32)
Service:       TCP/2049
Action:        allow
Ticket:        INC13076959 (requested by Jonas Weber)
Change:        CHG0041123
`,
    );
    expect(rule.templates[1].text).toContain(
      'name: allow-egress-nas-prd-03-acme-internal-2049',
    );
    expect(rule.templates[1].text).toContain('cidr: 10.20.4.31/32');
    // the rule id is given when the step is done: reported, not blanked
    expect(rule.missing).toEqual(['firewallRuleId']);

    // the ticket names its pods' app; the egress range is the catalog's, which is not read
    // here: the template says what is missing instead of leaving it blank
    expect(extracted.appLabel).toBe('document-archive');
    const bare = buildStepViews(
      playbook,
      resolvePlaybookValues(playbook, extracted, {}),
      {},
    );
    expect(bare[1].templates[0].missing).toEqual(['egressCidr']);
    expect(bare[1].templates[0].text).toContain(
      'Source:        {{egressCidr}} (Tanzu Atlas cluster abrc1l, namespace livelink-prod, pods app=document-archive)',
    );
    // with the cluster's egress range from the catalog (as the backend adds it): ready to paste
    const filled = buildStepViews(
      playbook,
      resolvePlaybookValues(
        playbook,
        { ...extracted, egressCidr: '10.42.0.0/16' },
        {},
      ),
      {},
    );
    expect(filled[1].templates[0].missing).toEqual([]);
    expect(filled[1].templates[0].text).toBe(rule.templates[0].text);
    expect(filled[1].templates.map(t => t.text).join('')).not.toContain('{{');
  });

  it('stops start-up on an invalid playbook file, naming the file and the keys', async () => {
    const dir = tempDir({
      'good.yaml': minimal('good'),
      'bad.yaml': `id: bad
title: Bad
summary: x
steps:
  - id: one
    kind: step
    title: One
    templates:
      - id: t
        title: T
        text: "{{fqdn}}"
`,
      'README.md': 'not a playbook',
    });
    await expect(loadPlaybooks(dir)).rejects.toThrow(
      `Invalid playbook file ${path.join(
        dir,
        'bad.yaml',
      )}: steps[0].kind: 'step' is not one of task, check, verification; steps[0].templates[0].text: uses {{fqdn}}, which is not a field of this playbook`,
    );
  });

  it('keeps the backend from starting with an invalid playbook file or mapping', async () => {
    const start = (playbooks: JsonObject) =>
      startIncidentOpsBackend({ config: { incidentOps: { playbooks } } });
    const dir = tempDir({
      'a.yaml': minimal('a').replace('kind: verification', 'kind: verify'),
    });
    await expect(start({ directory: dir })).rejects.toThrow(
      `Invalid playbook file ${path.join(
        dir,
        'a.yaml',
      )}: steps[0].kind: 'verify' is not one of task, check, verification`,
    );
    await expect(
      start({ mapping: { egress: 'egress-acess' } }),
    ).rejects.toThrow(
      "incidentOps.playbooks.mapping.egress: no playbook 'egress-acess'",
    );
    await expect(
      start({ mapping: { egres: 'egress-access' } }),
    ).rejects.toThrow(
      "incidentOps.playbooks.mapping.egres: 'egres' is not a ticket type",
    );
    await expect(
      start({ mapping: { egress: ['egress-access'] } }),
    ).rejects.toThrow(/incidentOps\.playbooks\.mapping\.egress/);
  });

  it('ships the Appendix A mapping in app-config.yaml, the same as the default', async () => {
    const appConfig = parseDocument(
      fs.readFileSync(
        resolvePackagePath(
          '@acme/plugin-incident-ops-backend',
          '../../app-config.yaml',
        ),
        'utf8',
      ),
    ).toJS();
    const mapping = appConfig.incidentOps.playbooks.mapping;
    expect(mapping).toEqual(DEFAULT_PLAYBOOK_MAPPING);
    const library = await readPlaybookLibrary(
      new ConfigReader({ incidentOps: { playbooks: { mapping } } }),
    );
    expect(library.mapping).toEqual(mapping);
    for (const [type, id] of Object.entries(mapping)) {
      expect(library.forTicketType(type as TicketType)?.playbook.id).toBe(id);
    }
  });

  it('refuses YAML errors, ids that are not the file name, and a missing directory', async () => {
    await expect(
      loadPlaybooks(tempDir({ 'x.yaml': 'id: x\ntitle: [unclosed\n' })),
    ).rejects.toThrow(/^Invalid file .*x\.yaml: /);
    await expect(
      loadPlaybooks(tempDir({ 'one.yaml': minimal('two') })),
    ).rejects.toThrow(
      "one.yaml: id: 'two' must be the file name without .yaml ('one')",
    );
    await expect(
      readPlaybookLibrary(
        new ConfigReader({
          incidentOps: { playbooks: { directory: '/nonexistent/playbooks' } },
        }),
      ),
    ).rejects.toThrow(
      /^Invalid config at incidentOps.playbooks.directory: cannot read the directory \/nonexistent\/playbooks/,
    );
  });

  it('takes the mapping from config, checked against ticket types and playbooks', async () => {
    const dir = tempDir({ 'a.yaml': minimal('a') });
    const library = await readPlaybookLibrary(
      new ConfigReader({
        incidentOps: {
          playbooks: { directory: dir, mapping: { connectivity: 'a' } },
        },
      }),
    );
    expect(library.mapping).toEqual({ connectivity: 'a' });
    expect(library.forTicketType('connectivity')?.playbook.id).toBe('a');
    expect(library.forTicketType('egress')).toBeUndefined();

    await expect(
      readPlaybookLibrary(
        new ConfigReader({
          incidentOps: {
            playbooks: { directory: dir, mapping: { egres: 'a', egress: 'b' } },
          },
        }),
      ),
    ).rejects.toThrow(
      "Invalid config: incidentOps.playbooks.mapping.egres: 'egres' is not a ticket type (egress, gitlab-ci-access, node-provisioning, gitops, namespace-access, cluster-outage, security, connectivity, other); incidentOps.playbooks.mapping.egress: no playbook 'b' (loaded: a)",
    );
    // the default mapping names playbooks this directory does not have
    await expect(
      readPlaybookLibrary(
        new ConfigReader({ incidentOps: { playbooks: { directory: dir } } }),
      ),
    ).rejects.toThrow(
      "incidentOps.playbooks.mapping.egress: no playbook 'egress-access' (loaded: a)",
    );
  });

  it('resolves a relative directory from the working directory', async () => {
    const dir = tempDir({ 'a.yaml': minimal('a') });
    const cwd = process.cwd();
    try {
      process.chdir(path.dirname(dir));
      const library = await readPlaybookLibrary(
        new ConfigReader({
          incidentOps: {
            playbooks: {
              directory: path.basename(dir),
              mapping: { other: 'a' },
            },
          },
        }),
      );
      expect(library.directory).toBe(fs.realpathSync(dir));
    } finally {
      process.chdir(cwd);
    }
  });

  it('loads the shipped lesson and refuses lessons that link unknown playbooks', async () => {
    const library = await readPlaybookLibrary(new ConfigReader({}));
    const lessons = await readLessonFiles(new ConfigReader({}), library);
    expect(lessons.map(l => [l.file, l.input.id, l.input.playbooks])).toEqual([
      [
        'lessons/gitlab-runner-verdict-drops.yaml',
        'gitlab-runner-verdict-drops',
        ['gitlab-ci-access'],
      ],
    ]);
    const dir = tempDir({
      'drops.yaml':
        'title: Drops\nsummary: x\nplaybooks: [nope]\nstatus: new\n',
    });
    await expect(
      readLessonFiles(
        new ConfigReader({ incidentOps: { lessons: { directory: dir } } }),
        library,
      ),
    ).rejects.toThrow(
      `Invalid lesson file ${path.join(
        dir,
        'drops.yaml',
      )}: status: must be one of open, monitoring, closed`,
    );
    const dir2 = tempDir({
      'drops.yaml': 'title: Drops\nsummary: x\nplaybooks: [nope]\n',
    });
    await expect(
      readLessonFiles(
        new ConfigReader({ incidentOps: { lessons: { directory: dir2 } } }),
        library,
      ),
    ).rejects.toThrow("drops.yaml: playbooks: no playbook 'nope'");
  });
});
