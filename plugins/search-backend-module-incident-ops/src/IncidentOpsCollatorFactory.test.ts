import { startTestBackend } from '@backstage/backend-test-utils';
import { searchIndexRegistryExtensionPoint } from '@backstage/plugin-search-backend-node/alpha';
import { collect, startIncidentOps } from './__testUtils__/incidentOpsBackend';
import { knowledgeSearchSource, markdownToText } from './knowledgeSource';
import { incidentOpsSearchModule } from './module';
import { incidentOpsSearchSources } from './sources';

jest.setTimeout(60_000);

/** The incident-ops plugin on a port, with the repository's articles and synced ones. */
async function startWithArticles(options: { synced: number; deny?: true }) {
  const { factory, connection } = await startIncidentOps({
    source: knowledgeSearchSource,
    deny: options.deny,
  });
  const now = new Date().toISOString();
  await connection.applyKnowledgeArticles([
    // the repository's egress-access-livelink replaces it
    {
      id: 'sys-replaced',
      number: 'KB0010001',
      title: 'How to Request Egress Access for livelink-* Namespaces',
      text: 'The ServiceNow copy',
      workflowState: 'published',
      sourceUpdatedAt: now,
      sourceVersion: 1,
    },
    ...Array.from({ length: options.synced }, (_, n) => ({
      id: `sys${n}`,
      number: `KB${String(20000 + n).padStart(7, '0')}`,
      title: `Synced article ${n}`,
      text: `Plain text of article ${n}`,
      workflowState: n === 0 ? 'draft' : 'published',
      sourceUpdatedAt: now,
      sourceVersion: 1,
      url: `https://acme.service-now.com/kb_view.do?sysparm_article=KB${n}`,
    })),
    // past its valid-to date: left out, as from the suggestions
    {
      id: 'sys-expired',
      number: 'KB0010090',
      title: 'Old proxy allow list procedure',
      text: 'Expired',
      workflowState: 'published',
      validTo: '2020-01-01',
      sourceUpdatedAt: now,
      sourceVersion: 1,
    },
    // valid until today: still in
    {
      id: 'sys-valid-today',
      number: 'KB0010091',
      title: 'Proxy allow list until today',
      text: 'Valid today',
      workflowState: 'published',
      validTo: now.slice(0, 10),
      sourceUpdatedAt: now,
      sourceVersion: 1,
    },
  ]);
  return factory;
}

describe('IncidentOpsCollatorFactory with the knowledge source', () => {
  it('indexes every published article of every source, page by page', async () => {
    const factory = await startWithArticles({ synced: 601 });
    expect(factory.type).toBe('incident-ops-kb');
    expect(factory.visibilityPermission.name).toBe(
      'incident-ops.incident.read',
    );
    const documents = await collect(factory);
    // 20 repository articles and 601 published synced ones (one is a draft, one is
    // replaced by a repository article, one expired), over 2 pages
    expect(documents).toHaveLength(621);
    expect(new Set(documents.map(d => d.articleId)).size).toBe(621);
    expect(documents.map(d => d.articleId)).not.toContain('KB0010090');
    expect(documents.map(d => d.articleId)).toContain('KB0010091');

    const template = documents.find(
      d => d.articleId === 'egress-access-livelink',
    );
    expect(template).toMatchObject({
      title: 'How to Request Egress Access for livelink-* Namespaces',
      location: '/incident-ops/kb/egress-access-livelink',
      source: 'repository',
      ticketTypes: ['egress'],
      tags: expect.arrayContaining(['egress', 'firewall']),
    });
    // the title is indexed apart, not repeated at the start of the text
    expect(template.text).toMatch(/^Summary\n\nWorkloads in livelink-prod/);
    expect(template.text).toContain('atlas-netpol/namespaces/');
    expect(template.text).not.toMatch(/^#|`|\*\*/m);

    expect(documents.find(d => d.articleId === 'KB0020001')).toEqual({
      title: 'Synced article 1',
      text: 'Plain text of article 1',
      location: 'https://acme.service-now.com/kb_view.do?sysparm_article=KB1',
      articleId: 'KB0020001',
      source: 'servicenow',
      ticketTypes: [],
      tags: [],
    });
    expect(documents.map(d => d.articleId)).not.toContain('KB0020000');
    expect(documents.map(d => d.articleId)).not.toContain('KB0010001');
  });

  it('fails the collation when the API refuses it', async () => {
    const factory = await startWithArticles({ synced: 0, deny: true });
    await expect(collect(factory)).rejects.toThrow(
      'incident-ops search: GET /kb/articles?limit=500&offset=0 failed with 403',
    );
  });
});

describe('markdownToText', () => {
  it('keeps the words and drops the markup', () => {
    expect(
      markdownToText(
        '# Title\n\n## Steps\n\n1. Run `kubectl get ns` in **abrc1l**, see [the docs](https://x).\n\n```sh\nnc -vz host 443\n```\n\n| A | B |\n| - | - |\n| x | y |',
      ),
    ).toBe(
      'Title\n\nSteps\n\n1. Run kubectl get ns in abrc1l, see the docs.\n\nnc -vz host 443\n\nA B\nx y',
    );
  });
});

describe('incidentOpsSearchModule', () => {
  it('adds one collator per incident-ops search source to the search plugin', async () => {
    const addCollator = jest.fn();
    await startTestBackend({
      extensionPoints: [
        [
          searchIndexRegistryExtensionPoint,
          { addCollator, addDecorator: jest.fn() },
        ],
      ],
      features: [incidentOpsSearchModule],
    });
    expect(addCollator.mock.calls.map(([c]) => c.factory.type)).toEqual(
      incidentOpsSearchSources.map(s => s.type),
    );
    expect(incidentOpsSearchSources.map(s => s.type)).toContain(
      'incident-ops-kb',
    );
  });
});
