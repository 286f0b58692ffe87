// Benchmark for the knowledge suggestions (`yarn bench kb`). Quality: top-1 and top-3 hit
// rates on the labelled tickets (plugins/incident-ops-backend/src/knowledge/__fixtures__/
// labelled.yaml) over the repository's articles, then with 10,000 generated articles added;
// the same, printed apart ("held-out: ..."), on the held-out tickets (labelled-heldout.yaml,
// written apart from the articles and never tuned on).
// Speed: with those 10,000 articles stored (SQLite and PostgreSQL), the time to build the
// index, to rebuild it after one article changed, and the latency of a suggestion, by text
// (ranking only) and by incident (read the incident, rank, record what was shown).
// Prints figures; asserts nothing.
import os from 'os';
import { openDatabase, quietLogger } from './databases';
import type { KnowledgeArticle } from '@acme/plugin-incident-ops-common';
import { createStores } from '@acme/plugin-incident-ops-backend/src/database';
import { KnowledgeService } from '@acme/plugin-incident-ops-backend/src/knowledge/KnowledgeService';
import {
  KNOWLEDGE_DIR,
  hitRates,
  loadHeldOut,
  loadLabelled,
  repositoryArticles,
  serviceOver,
} from '@acme/plugin-incident-ops-backend/src/knowledge/__fixtures__/labelled';
import { loadKnowledgeDirectory } from '@acme/plugin-incident-ops-backend/src/knowledge/loadKnowledgeDirectory';

const N = Number(process.env.BENCH_ARTICLES ?? 10_000);
const QUERIES = 2_000;

/** A deterministic random number generator (mulberry32). */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Articles written from the real articles' words (with their namespaces, hosts and error
 * codes) plus words of their own, Zipf-distributed: common words have long postings, as in a
 * large knowledge base about the same platform.
 */
function generatedArticles(
  real: KnowledgeArticle[],
  n: number,
): KnowledgeArticle[] {
  const rnd = random(42);
  const words = [
    ...new Set(real.flatMap(a => a.text.match(/[A-Za-z0-9][\w.:/-]*/g) ?? [])),
  ];
  // shuffled, so the most frequent words are not those of one article
  for (let i = words.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [words[i], words[j]] = [words[j], words[i]];
  }
  const own = Array.from({ length: 20_000 }, (_, i) => `term${i.toString(36)}`);
  const vocabulary = words
    .flatMap((w, i) => [w, own[i]])
    .concat(own.slice(words.length));
  const zipf = () => vocabulary[Math.floor(vocabulary.length ** rnd()) - 1];
  const sentence = (len: number) => Array.from({ length: len }, zipf).join(' ');
  const now = new Date().toISOString();
  return Array.from({ length: n }, (_, i) => ({
    source: 'servicenow',
    id: `gen${i}`,
    number: `KB${String(1_000_000 + i)}`,
    title: sentence(4 + Math.floor(rnd() * 6)),
    text: Array.from({ length: 8 + Math.floor(rnd() * 12) }, () =>
      sentence(10 + Math.floor(rnd() * 15)),
    ).join('.\n'),
    workflowState: 'published',
    sourceUpdatedAt: now,
    sourceVersion: 1,
    syncedAt: now,
  }));
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
function percentiles(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return `p50 ${at(0.5).toFixed(2)} ms, p99 ${at(0.99).toFixed(2)} ms, max ${s[
    s.length - 1
  ].toFixed(2)} ms`;
}

async function quality(
  real: KnowledgeArticle[],
  generated: KnowledgeArticle[],
) {
  const tickets = loadLabelled();
  const alone = await hitRates(serviceOver(real), tickets);
  console.log(
    `quality  ${alone.n} labelled tickets over the ${
      real.length
    } repository articles: top-1 ${pct(alone.top1)}, top-3 ${pct(
      alone.top3,
    )} (target top-3 >= 90%)`,
  );
  for (const miss of alone.misses) console.log(`         miss: ${miss}`);
  const crowded = await hitRates(serviceOver([...real, ...generated]), tickets);
  console.log(
    `quality  with ${generated.length} generated articles added: top-1 ${pct(
      crowded.top1,
    )}, top-3 ${pct(crowded.top3)}`,
  );
  // the held-out set: written apart from the articles, never tuned on
  const heldOut = loadHeldOut();
  const held = await hitRates(serviceOver(real), heldOut);
  console.log(
    `held-out: ${held.n} tickets over the ${
      real.length
    } repository articles: top-1 ${pct(held.top1)}, top-3 ${pct(
      held.top3,
    )} (target top-3 >= 90%)`,
  );
  for (const miss of held.misses) console.log(`         miss: ${miss}`);
  const heldCrowded = await hitRates(
    serviceOver([...real, ...generated]),
    heldOut,
  );
  console.log(
    `held-out: with ${generated.length} generated articles added: top-1 ${pct(
      heldCrowded.top1,
    )}, top-3 ${pct(heldCrowded.top3)}`,
  );
}

async function speed(kind: string, generated: KnowledgeArticle[]) {
  const { db, close } = await openDatabase(kind);
  try {
    const database = { getClient: async () => db } as any;
    const { incidents, knowledge: store } = await createStores({ database });
    await incidents.upsertKnowledgeArticles(generated);
    await store.replaceSourceArticles(
      'repository',
      await loadKnowledgeDirectory(KNOWLEDGE_DIR),
      new Date(),
    );
    const tickets = loadLabelled();
    const now = Date.now();
    await incidents.upsertIncidents(
      tickets.map((t, i) => ({
        source: 'servicenow',
        id: `inc${i}`,
        number: `INC${30_000_000 + i}`,
        shortDescription: t.short,
        description: t.description,
        priority: 'P3',
        status: 'work-in-progress',
        sourceState: '2',
        openedAt: new Date(now).toISOString(),
        sourceUpdatedAt: new Date(now).toISOString(),
        sourceVersion: 1,
        syncedAt: new Date(now).toISOString(),
      })),
    );

    const service = new KnowledgeService({ store, logger: quietLogger });
    let t = performance.now();
    await service.refresh();
    const buildMs = performance.now() - t;
    // one article changes (as a sync would write it): only it is tokenized again
    await incidents.upsertKnowledgeArticles([
      {
        ...generated[0],
        title: 'changed',
        sourceVersion: 2,
        syncedAt: new Date().toISOString(),
      },
    ]);
    t = performance.now();
    await service.refresh();
    const rebuildMs = performance.now() - t;

    const byText: number[] = [];
    const byTextCpu: number[] = [];
    for (let i = 0; i < QUERIES; i++) {
      const ticket = tickets[i % tickets.length];
      const q = {
        shortDescription: ticket.short,
        description: ticket.description,
      };
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await service.suggest({ ...q, ticketType: service.classify(q) }, 5);
      byText.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      byTextCpu.push((c.user + c.system) / 1000);
    }
    const byIncident: number[] = [];
    for (let i = 0; i < QUERIES / 4; i++) {
      const number = `INC${30_000_000 + (i % tickets.length)}`;
      const t0 = performance.now();
      const incident = (await incidents.getIncidentByNumber(number))!;
      const suggestions = await service.suggest(
        { ...incident, ticketType: service.classify(incident) },
        5,
      );
      await store.recordViews(
        { source: incident.source, sourceId: incident.id, number },
        suggestions.map(s => ({
          article: { source: s.article.source, id: s.article.number },
          rank: s.rank,
          score: s.score,
          reasons: s.reasons,
        })),
        'user:default/bench',
        new Date(),
      );
      byIncident.push(performance.now() - t0);
    }
    const heap = process.memoryUsage().heapUsed / 2 ** 20;
    console.log(
      `${kind.padEnd(8)} ${
        generated.length + 20
      } articles stored: index built in ${buildMs.toFixed(
        0,
      )} ms, rebuilt after one change in ${rebuildMs.toFixed(
        0,
      )} ms (heap ${heap.toFixed(0)} MB)`,
    );
    console.log(
      `${kind.padEnd(8)} suggestion by text, ${QUERIES} queries: ${percentiles(
        byText,
      )} (target p99 < 10 ms); CPU time ${percentiles(byTextCpu)}`,
    );
    console.log(
      `${kind.padEnd(8)} suggestion by incident (read, rank, record views), ${
        QUERIES / 4
      } queries: ${percentiles(byIncident)}`,
    );
  } finally {
    await close();
  }
}

async function main() {
  console.log(
    `Knowledge suggestions benchmark: ${os.cpus().length} x ${
      os.cpus()[0]?.model ?? 'cpu'
    }, node ${process.version}, load average ${os
      .loadavg()
      .map(l => l.toFixed(1))
      .join(' ')}`,
  );
  const real = await repositoryArticles();
  const generated = generatedArticles(real, N);
  await quality(real, generated);
  await speed('sqlite', generated);
  await speed('postgres', generated);
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
