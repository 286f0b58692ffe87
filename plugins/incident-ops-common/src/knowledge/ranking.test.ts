import fc from 'fast-check';
import {
  DEFAULT_KNOWLEDGE_RANKING,
  KnowledgeDocument,
  KnowledgeIndex,
  analyzeKnowledgeDocument,
} from './ranking';

const build = (
  docs: KnowledgeDocument[],
  options = DEFAULT_KNOWLEDGE_RANKING,
) => KnowledgeIndex.build(docs.map(analyzeKnowledgeDocument), options);

const filler = (n: number) =>
  Array.from({ length: n }, (_, i) => `word${i} cluster platform`).join(' ');

describe('KnowledgeIndex', () => {
  it('ranks by rare terms over common ones (BM25 idf)', () => {
    const index = build([
      { id: 'common', title: 'Cluster platform notes', text: filler(5) },
      { id: 'rare', title: 'Notes', text: `karpenter ${filler(5)}` },
      { id: 'other', title: 'Other', text: filler(5) },
    ]);
    const [first] = index.search({ text: 'karpenter cluster' });
    expect(first.id).toBe('rare');
  });

  it('weighs a match in the title over one in the text', () => {
    const index = build([
      { id: 'body', title: 'Runbook', text: `egress ${filler(3)}` },
      { id: 'title', title: 'Egress', text: filler(3) },
      { id: 'none', title: 'Else', text: filler(3) },
    ]);
    expect(index.search({ text: 'egress' }).map(m => m.id)).toEqual([
      'title',
      'body',
    ]);
  });

  it('prefers the namespace named whole over its parts apart', () => {
    const index = build([
      { id: 'apart', title: 'Access', text: 'livelink team, prod cluster' },
      { id: 'whole', title: 'Access', text: 'namespace livelink-prod' },
      { id: 'neither', title: 'Access', text: 'namespace rtg' },
    ]);
    const matches = index.search({ text: 'access to livelink-prod' });
    expect(matches[0].id).toBe('whole');
    expect(matches[0].terms.map(t => t.term)).toContain('livelink-prod');
  });

  it('boosts articles linked to the ticket type, and says so', () => {
    const docs: KnowledgeDocument[] = [
      {
        id: 'a',
        title: 'Access',
        text: 'request access',
        ticketTypes: ['egress'],
      },
      {
        id: 'b',
        title: 'Access',
        text: 'request access',
        ticketTypes: ['namespace-access'],
      },
    ];
    const index = build(docs);
    const forType = index.search({
      text: 'request access',
      ticketType: 'namespace-access',
    });
    expect(forType.map(m => [m.id, m.ticketType])).toEqual([
      ['b', 'namespace-access'],
      ['a', undefined],
    ]);
    expect(forType[0].score).toBeCloseTo(
      forType[1].score * (1 + DEFAULT_KNOWLEDGE_RANKING.ticketTypeBoost),
      2,
    );
    // without a type: equal scores, document order
    expect(index.search({ text: 'request access' }).map(m => m.id)).toEqual([
      'a',
      'b',
    ]);
  });

  it('matches a typo one edit away, at a lower weight, and names it', () => {
    const index = build([
      { id: 'egress', title: 'Egress rules', text: 'egress to nfs' },
      { id: 'rbac', title: 'Namespace access', text: 'rolebinding' },
    ]);
    const [m] = index.search({ text: 'egrss' });
    expect(m.id).toBe('egress');
    expect(m.terms).toEqual([
      { term: 'egress', typed: 'egrss', fields: ['title', 'text'] },
    ]);
    const exact = index.search({ text: 'egress' })[0];
    expect(m.score).toBeCloseTo(
      exact.score * DEFAULT_KNOWLEDGE_RANKING.fuzzyWeight,
      2,
    );
    // short words are not corrected: too many false friends
    expect(index.search({ text: 'nsf' })).toEqual([]);
  });

  it('joins words written apart that the article writes as one', () => {
    const index = build([
      { id: 'pull', title: 'ImagePullBackOff', text: 'registry credentials' },
      { id: 'pool', title: 'NodePool limits', text: 'karpenter' },
    ]);
    expect(index.search({ text: 'image pull backoff' })[0].id).toBe('pull');
    const [pool] = index.search({ text: 'node pool full' });
    expect(pool.id).toBe('pool');
    expect(pool.terms).toContainEqual({
      term: 'nodepool',
      typed: 'node pool',
      fields: ['title'],
    });
  });

  it('weighs query parts, and leaves out weak matches and those past the limit', () => {
    const docs = Array.from({ length: 8 }, (_, i) => ({
      id: `d${i}`,
      title: `Article ${i}`,
      text: i === 0 ? 'flux kustomization' : `kustomization ${filler(i)}`,
    }));
    const index = build(docs);
    expect(index.search({ text: 'flux kustomization', limit: 3 })).toHaveLength(
      1,
    );
    const weighted = build(docs, {
      ...DEFAULT_KNOWLEDGE_RANKING,
      minRelativeScore: 0,
    });
    expect(weighted.search({ text: 'kustomization', limit: 3 })).toHaveLength(
      3,
    );
    const full = weighted.search({ text: [{ text: 'flux' }] })[0].score;
    const half = weighted.search({ text: [{ text: 'flux', weight: 0.5 }] })[0]
      .score;
    expect(half).toBeCloseTo(full / 2, 2);
  });

  it('finds nothing for words no article has', () => {
    const index = build([{ id: 'a', title: 'Egress', text: 'rules' }]);
    expect(index.search({ text: 'zzz qqq' })).toEqual([]);
    expect(build([]).search({ text: 'egress' })).toEqual([]);
  });

  it('always returns matched terms, non-increasing scores, within the limit', () => {
    const words = [
      'egress',
      'nfs',
      'flux',
      'karpenter',
      'livelink-prod',
      'rbac',
      'dns',
    ];
    const doc = fc.record({
      title: fc.subarray(words, { minLength: 1 }),
      text: fc.subarray(words),
    });
    fc.assert(
      fc.property(
        fc.array(doc, { minLength: 1, maxLength: 12 }),
        fc.subarray(words, { minLength: 1 }),
        fc.integer({ min: 1, max: 5 }),
        (docs, query, limit) => {
          const index = build(
            docs.map((d, i) => ({
              id: String(i),
              title: d.title.join(' '),
              text: d.text.join(' '),
            })),
          );
          const matches = index.search({ text: query.join(' '), limit });
          expect(matches.length).toBeLessThanOrEqual(limit);
          for (let i = 1; i < matches.length; i++) {
            expect(matches[i].score).toBeLessThanOrEqual(matches[i - 1].score);
          }
          for (const m of matches) {
            expect(m.terms.length).toBeGreaterThan(0);
          }
        },
      ),
    );
  });
});
