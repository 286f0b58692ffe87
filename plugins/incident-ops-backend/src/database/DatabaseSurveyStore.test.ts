import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { DatabaseIncidentStore } from './DatabaseIncidentStore';
import { DatabaseKnowledgeStore } from './DatabaseKnowledgeStore';
import { DatabasePlaybookStore } from './DatabasePlaybookStore';
import {
  DatabaseSurveyStore,
  SURVEY_EDIT_WINDOW_MS,
} from './DatabaseSurveyStore';
import { makeIncident } from '../__fixtures__/incidents';
import { migratedDatabase } from '../__testUtils__/database';

jest.setTimeout(60_000);

const t0 = new Date('2026-11-26T10:00:00.000Z');
const later = (ms: number) => new Date(t0.getTime() + ms);
const DAY = 24 * 3_600_000;

const resolved = makeIncident({
  number: 'INC1',
  status: 'resolved',
  resolvedAt: '2026-11-21T10:00:00.000Z',
  caller: { id: 'c1', name: 'Ana Lima' },
});
const incident = {
  source: 'servicenow',
  sourceId: resolved.id,
  number: 'INC1',
  status: 'resolved',
};

describe('DatabaseSurveyStore', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  async function createStore(databaseId: TestDatabaseId) {
    const { knex, database } = await migratedDatabase(databases, databaseId);
    const incidents = await DatabaseIncidentStore.create({ database });
    await incidents.upsertIncidents([
      resolved,
      makeIncident({ id: '2'.repeat(32), number: 'INC2', caller: undefined }),
      makeIncident({ id: '3'.repeat(32), number: 'INC3', status: 'closed' }),
    ]);
    const store = await DatabaseSurveyStore.create({ database });
    return { knex, database, incidents, store };
  }

  const submit = (
    store: DatabaseSurveyStore,
    options: Partial<Parameters<DatabaseSurveyStore['submit']>[0]> = {},
  ) =>
    store.submit({
      number: 'INC1',
      requestor: 'c1',
      submittedBy: 'user:default/ana',
      onBehalf: false,
      rating: 4,
      now: t0,
      ...options,
    });

  it.each(databases.eachSupportedId())(
    'reads the incident a survey is about, %p',
    async databaseId => {
      const { knex, store } = await createStore(databaseId);
      expect(await store.getIncident('INC1')).toEqual({
        ...incident,
        callerId: 'c1',
        callerName: 'Ana Lima',
      });
      expect(await store.getIncident('INC2')).toEqual({
        source: 'servicenow',
        sourceId: '2'.repeat(32),
        number: 'INC2',
        status: 'work-in-progress',
      });
      await knex('incidents')
        .where({ number: 'INC1' })
        .update({ removed_at: t0 });
      expect(await store.getIncident('INC1')).toBeUndefined();
      expect(await store.getIncident('INC404')).toBeUndefined();
    },
  );

  it.each(databases.eachSupportedId())(
    'records one survey per requestor, changeable for a week, %p',
    async databaseId => {
      const { knex, store } = await createStore(databaseId);
      const first = await submit(store, {
        comment: 'Slow',
        rating: 2,
        kbArticles: [
          { source: 'servicenow', id: 'KB2', helpful: true },
          { source: 'repository', id: 'egress', helpful: true },
        ],
        playbook: 'egress-access',
      });
      expect(first).toEqual({
        created: true,
        survey: {
          number: 'INC1',
          requestor: 'c1',
          submittedBy: 'user:default/ana',
          onBehalf: false,
          rating: 2,
          comment: 'Slow',
          kbArticle: 'KB2',
          kbArticles: [
            { source: 'servicenow', id: 'KB2', helpful: true },
            { source: 'repository', id: 'egress', helpful: true },
          ],
          playbook: 'egress-access',
          createdAt: t0.toISOString(),
          updatedAt: t0.toISOString(),
          editableUntil: later(SURVEY_EDIT_WINDOW_MS).toISOString(),
        },
      });
      expect(await store.getSurvey(incident, 'c1')).toEqual(first.survey);

      // changed on the last moment of the week: the links are those sent last
      const edge = later(SURVEY_EDIT_WINDOW_MS);
      const changed = await submit(store, {
        submittedBy: 'user:default/bo',
        rating: 5,
        kbArticles: [{ source: 'servicenow', id: 'KB3', helpful: false }],
        now: edge,
      });
      expect(changed.created).toBe(false);
      expect(changed.survey).toMatchObject({
        submittedBy: 'user:default/bo',
        rating: 5,
        kbArticle: 'KB3',
        kbArticles: [{ source: 'servicenow', id: 'KB3', helpful: false }],
        createdAt: t0.toISOString(),
        updatedAt: edge.toISOString(),
        editableUntil: edge.toISOString(),
      });
      expect(changed.survey.comment).toBeUndefined();
      expect(changed.survey.playbook).toBeUndefined();

      // a moment later it is final
      await expect(
        submit(store, { rating: 1, now: later(SURVEY_EDIT_WINDOW_MS + 1) }),
      ).rejects.toMatchObject({
        name: 'ConflictError',
        message: expect.stringContaining('it is final now'),
      });
      expect(await store.getSurvey(incident, 'c1')).toEqual(changed.survey);

      // another requestor has a survey of their own; a closed incident takes one too
      expect(
        (await submit(store, { requestor: 'c9', rating: 3 })).created,
      ).toBe(true);
      expect((await submit(store, { number: 'INC3', rating: 3 })).created).toBe(
        true,
      );
      expect(
        Number((await knex('incident_surveys').count({ n: '*' }))[0].n),
      ).toBe(3);
      expect(await store.getSurvey(incident, 'nobody')).toBeUndefined();
    },
  );

  it.each(databases.eachSupportedId())(
    'takes surveys only on resolved or closed incidents that exist, %p',
    async databaseId => {
      const { knex, store } = await createStore(databaseId);
      await expect(submit(store, { number: 'INC2' })).rejects.toMatchObject({
        name: 'ConflictError',
        message:
          'INC2 is work-in-progress: the survey opens once it is resolved',
      });
      await expect(submit(store, { number: 'INC404' })).rejects.toMatchObject({
        name: 'NotFoundError',
      });
      await knex('incidents')
        .where({ number: 'INC1' })
        .update({ removed_at: t0 });
      await expect(submit(store)).rejects.toMatchObject({
        name: 'NotFoundError',
      });
      expect(await knex('incident_surveys')).toEqual([]);
    },
  );

  it.each(databases.eachSupportedId())(
    'links a survey to the articles marked on the incident and its last playbook, %p',
    async databaseId => {
      const { database, incidents, store } = await createStore(databaseId);
      expect(await store.usedOn(incident)).toEqual({
        kbArticles: [],
        playbook: undefined,
      });

      const knowledge = await DatabaseKnowledgeStore.create({
        database,
        incidents,
      });
      const ids = ['KB1', 'KB2', 'KB3'];
      await knowledge.recordViews(
        incident,
        ids.map((id, i) => ({
          article: { source: 'servicenow', id },
          rank: i + 1,
          score: 1,
          reasons: { matchedTerms: [] },
        })),
        'user:default/ana',
        t0,
      );
      const mark = (id: string, helpful: boolean) =>
        knowledge.recordFeedback({
          incident,
          article: { source: 'servicenow', id },
          helpful,
          actor: 'user:default/ana',
          now: t0,
        });
      await mark('KB1', false);
      await mark('KB2', false);
      // none helpful: the ones marked not helpful, latest first
      expect((await store.usedOn(incident)).kbArticles).toEqual([
        { source: 'servicenow', id: 'KB2', helpful: false },
        { source: 'servicenow', id: 'KB1', helpful: false },
      ]);
      // the latest mark counts
      await mark('KB3', true);
      await mark('KB1', true);
      await mark('KB3', false);
      expect((await store.usedOn(incident)).kbArticles).toEqual([
        { source: 'servicenow', id: 'KB1', helpful: true },
      ]);

      const playbooks = await DatabasePlaybookStore.create({ database });
      const playbook = (id: string) => ({
        id,
        title: id,
        summary: '',
        fields: {},
        steps: [],
      });
      for (const id of ['first', 'second']) {
        await playbooks.startRun({
          number: 'INC1',
          playbook: playbook(id),
          values: {},
          replace: true,
          actor: 'user:default/ana',
          now: t0,
        });
      }
      expect((await store.usedOn(incident)).playbook).toBe('second');
      // another incident's marks are not this one's
      expect(
        await store.usedOn({
          source: 'servicenow',
          sourceId: '2'.repeat(32),
          number: 'INC2',
          status: 'work-in-progress',
        }),
      ).toEqual({ kbArticles: [], playbook: undefined });
    },
  );

  it.each(databases.eachSupportedId())(
    'sums up what requestors said where an article or a playbook was used, %p',
    async databaseId => {
      const { incidents, store } = await createStore(databaseId);
      expect(
        await store.figures({ kind: 'playbook', id: 'egress-access' }),
      ).toEqual({ responses: 0, averageRating: null, low: 0, comments: [] });
      await incidents.upsertIncidents(
        [4, 5, 6, 7].map(n =>
          makeIncident({
            id: String(n).repeat(32),
            number: `INC${n}`,
            status: 'resolved',
          }),
        ),
      );
      const kb = { source: 'servicenow', id: 'KB1', helpful: true };
      const surveys: Array<[string, number, string | undefined, number]> = [
        ['INC1', 1, 'Took days', 0],
        ['INC4', 2, '', 1],
        ['INC5', 2, 'Wrong article', 2],
        ['INC6', 4, 'Fine', 3],
        ['INC7', 5, undefined, 4],
      ];
      for (const [number, rating, comment, day] of surveys) {
        await submit(store, {
          number,
          rating,
          comment,
          kbArticles: number === 'INC7' ? [] : [kb],
          playbook: 'egress-access',
          now: later(day * DAY),
        });
      }

      expect(
        await store.figures({
          kind: 'kb-article',
          source: 'servicenow',
          id: 'KB1',
        }),
      ).toEqual({
        responses: 4,
        averageRating: 2.25,
        low: 3,
        // low scores with a comment, latest first
        comments: [
          {
            number: 'INC5',
            rating: 2,
            comment: 'Wrong article',
            submittedAt: later(2 * DAY).toISOString(),
          },
          {
            number: 'INC1',
            rating: 1,
            comment: 'Took days',
            submittedAt: t0.toISOString(),
          },
        ],
      });
      const byPlaybook = await store.figures(
        { kind: 'playbook', id: 'egress-access' },
        1,
      );
      expect(byPlaybook).toMatchObject({
        responses: 5,
        averageRating: 2.8,
        low: 3,
      });
      expect(byPlaybook.comments.map(c => c.number)).toEqual(['INC5']);
      // the same article id at another source is another article
      expect(
        (
          await store.figures({
            kind: 'kb-article',
            source: 'repository',
            id: 'KB1',
          })
        ).responses,
      ).toBe(0);
    },
  );
});
