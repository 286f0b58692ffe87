import { ConfigReader } from '@backstage/config';
import fs from 'fs';
import os from 'os';
import path from 'path';
import {
  loadKnowledgeDirectory,
  parseArticle,
  resolveKnowledgeDirectory,
} from './loadKnowledgeDirectory';
import { KNOWLEDGE_DIR } from './__fixtures__/labelled';

const sections = (text: string) =>
  [...text.matchAll(/^## (.+)$/gm)].map(m => m[1].trim());

describe('the knowledge folder', () => {
  it('holds valid articles with unique ids', async () => {
    const articles = await loadKnowledgeDirectory(KNOWLEDGE_DIR);
    expect(articles.length).toBeGreaterThanOrEqual(12);
    expect(new Set(articles.map(a => a.id)).size).toBe(articles.length);
  });

  it('has the operational model template article, written to the template', async () => {
    const articles = await loadKnowledgeDirectory(KNOWLEDGE_DIR);
    const egress = articles.find(
      a => a.title === 'How to Request Egress Access for livelink-* Namespaces',
    )!;
    expect(egress).toMatchObject({
      id: 'egress-access-livelink',
      ticketTypes: ['egress'],
      playbook: 'egress-access',
      format: 'markdown',
      workflowState: 'published',
    });
    expect(sections(egress.text)).toEqual([
      'Summary',
      'Applies to',
      'What the ticket must contain',
      'Steps',
      'Verify',
      'Escalate when',
      'Related',
    ]);
  });

  it('writes every article to the template, and links only to articles that exist', async () => {
    const articles = await loadKnowledgeDirectory(KNOWLEDGE_DIR);
    const ids = new Set(articles.map(a => a.id));
    for (const a of articles) {
      const s = sections(a.text);
      const problems = [
        ...[
          'Summary',
          'Applies to',
          'Steps',
          'Verify',
          'Escalate when',
          'Related',
        ]
          .filter(name => !s.includes(name))
          .map(name => `no ${name}`),
        ...(s.includes('Symptoms') || s.includes('What the ticket must contain')
          ? []
          : ['neither Symptoms nor What the ticket must contain']),
      ];
      const related = a.text.slice(a.text.indexOf('## Related'));
      for (const [, ref] of related.matchAll(/`([a-z0-9]+(?:-[a-z0-9]+)+)`/g)) {
        if (!ids.has(ref)) problems.push(`links to unknown article ${ref}`);
      }
      expect({ id: a.id, problems }).toEqual({ id: a.id, problems: [] });
    }
  });
});

describe('parseArticle', () => {
  const article = (front: string, body = '# T\n\n## Summary\n\nText.') =>
    `---\n${front}\n---\n${body}`;

  it('reads the front matter and the body; ports in tags are words', () => {
    const { article: a, problems } = parseArticle(
      'a.md',
      article(
        'id: nfs-egress\ntitle: NFS egress\nticketTypes: [egress]\ntags: [nfs, 2049]\ntiers: [L1]\nreplaces: [KB0010010]',
      ),
    );
    expect(problems).toEqual([]);
    expect(a).toEqual({
      file: 'a.md',
      id: 'nfs-egress',
      number: 'nfs-egress',
      title: 'NFS egress',
      text: '# T\n\n## Summary\n\nText.',
      format: 'markdown',
      ticketTypes: ['egress'],
      tags: ['nfs', '2049'],
      tiers: ['L1'],
      replaces: ['KB0010010'],
      playbook: undefined,
      owner: undefined,
      knowledgeBase: 'Repository',
      workflowState: 'published',
    });
  });

  it('names every problem', () => {
    expect(parseArticle('a.md', '# No front matter').problems).toEqual([
      'has no front matter (a --- block at the top)',
    ]);
    expect(
      parseArticle(
        'a.md',
        article(
          'id: Bad_Id\nticketTypes: [egress, dns]\ntiers: [L4]\nstate: gone\nauthor: me',
          '',
        ),
      ).problems,
    ).toEqual([
      "unknown front matter field 'author'",
      "id must be 3-100 lowercase letters, digits and dashes (e.g. 'egress-access-livelink')",
      'title is missing',
      "ticket type 'dns' is not one of egress, gitlab-ci-access, node-provisioning, gitops, namespace-access, cluster-outage, security, connectivity, other",
      'tiers must be a list of L1, L2, L3',
      'state must be one of published, draft, retired',
      'the article has no body',
    ]);
    expect(parseArticle('a.md', article('id: [')).problems[0]).toMatch(
      /^front matter is not YAML/,
    );
  });
});

describe('loadKnowledgeDirectory', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kb-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const write = (file: string, id: string) =>
    fs.writeFileSync(
      path.join(dir, file),
      `---\nid: ${id}\ntitle: T\nticketTypes: [other]\n---\nBody\n`,
    );

  it('stops on an invalid article or an id used twice, naming the files', async () => {
    write('a.md', 'same-id');
    write('b.md', 'same-id');
    fs.writeFileSync(path.join(dir, 'c.md'), 'no front matter');
    fs.writeFileSync(path.join(dir, 'README.md'), 'not an article');
    await expect(loadKnowledgeDirectory(dir)).rejects.toThrow(
      /b\.md: id 'same-id' is also used by a\.md\n- c\.md: has no front matter/,
    );
  });

  it('reads Markdown files only, README aside', async () => {
    write('a.md', 'first-article');
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'x');
    fs.writeFileSync(path.join(dir, 'README.md'), 'not an article');
    expect((await loadKnowledgeDirectory(dir)).map(a => a.id)).toEqual([
      'first-article',
    ]);
  });

  it('resolves the configured folder from the working directory, else finds one above', () => {
    fs.mkdirSync(path.join(dir, 'knowledge'));
    fs.mkdirSync(path.join(dir, 'packages', 'backend'), { recursive: true });
    const cwd = path.join(dir, 'packages', 'backend');
    const config = (directory?: string) =>
      new ConfigReader(
        directory ? { incidentOps: { knowledge: { directory } } } : {},
      );
    expect(resolveKnowledgeDirectory(config('../../knowledge'), cwd)).toBe(
      path.join(dir, 'knowledge'),
    );
    expect(resolveKnowledgeDirectory(config(), cwd)).toBe(
      path.join(dir, 'knowledge'),
    );
    expect(() => resolveKnowledgeDirectory(config('../kb'), cwd)).toThrow(
      /incidentOps.knowledge.directory: .*packages\/kb is not a directory/,
    );
  });
});
