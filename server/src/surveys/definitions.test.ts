// Survey definitions through the staff API: each question kind's rules, create/update/archive/list/get, site scoping.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDb, testDialects } from '../db/testing.ts';
import type { WireSurvey } from '../protocol/index.ts';
import { makeClock, makeSurveyApp, newSite, q, type Site, staffApi, type TestApp } from './testing.ts';

type ErrorBody = { error: { code: string; field?: string } };

describe.each(testDialects)('survey definitions on %s', (dialect) => {
  let db: TestDb;
  let app: TestApp;
  let site: Site;
  let staff: ReturnType<typeof staffApi>;

  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    site = await newSite(db);
    app = makeSurveyApp(db, makeClock());
    staff = staffApi(app, site.secretKey);
  });
  afterAll(async () => {
    await app.closeRealtime();
    await db.close();
  });

  it('creates a survey with every question kind, filling defaults, and reads it back', async () => {
    const created = await staff.create({
      name: 'Post-purchase',
      questions: [
        q.nps(),
        q.csat(),
        q.single(),
        q.multiple(),
        { id: 'text', kind: 'text', required: false, title: { en: 'Anything else?' } },
      ],
    });
    expect(created).toMatchObject({
      name: 'Post-purchase',
      status: 'draft',
      targeting: { urls: [], excludeUrls: [], delaySeconds: 0, sharePercent: 100 },
      frequency: { mode: 'once' },
    });
    expect(created.questions.map((x) => x.kind)).toEqual(['nps', 'csat', 'single_choice', 'multiple_choice', 'text']);
    expect(created.questions[4]).toMatchObject({ kind: 'text', maxLength: 1000, required: false });
    const read = await staff.json<WireSurvey>('GET', `/api/surveys/${created.id}`);
    expect(read).toEqual({ status: 200, body: created });
    const stored = await db.kysely
      .selectFrom('surveys')
      .select(['site_id', 'name'])
      .where('site_id', '=', site.siteId)
      .where('survey_id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(stored.name).toBe('Post-purchase');
  });

  it.each([
    ['no questions', { questions: [] }, 'questions'],
    ['duplicate question ids', { questions: [q.nps('a'), q.csat('a')] }, 'questions'],
    ['an unknown kind', { questions: [{ ...q.nps(), kind: 'stars' }] }, 'questions.0.kind'],
    ['a title in no language', { questions: [{ ...q.nps(), title: {} }] }, 'questions.0.title'],
    ['a title in another language', { questions: [{ ...q.nps(), title: { fr: 'Oui' } }] }, 'questions.0.title'],
    ['a bad question id', { questions: [{ ...q.nps(), id: 'Has Spaces' }] }, 'questions.0.id'],
    [
      'one choice',
      { questions: [{ ...q.single(), choices: [{ id: 'a', label: { en: 'A' } }] }] },
      'questions.0.choices',
    ],
    [
      'duplicate choice ids',
      {
        questions: [
          {
            ...q.single(),
            choices: [
              { id: 'a', label: { en: 'A' } },
              { id: 'a', label: { en: 'B' } },
            ],
          },
        ],
      },
      'questions.0.choices',
    ],
    [
      'min over max',
      { questions: [q.multiple('m', true, { minSelected: 3, maxSelected: 2 })] },
      'questions.0.minSelected',
    ],
    ['max over the choices', { questions: [q.multiple('m', true, { maxSelected: 4 })] }, 'questions.0.maxSelected'],
    ['a text over 4,000', { questions: [q.text('t', false, 4001)] }, 'questions.0.maxLength'],
    ['a URL pattern without /', { targeting: { urls: ['checkout/*'] } }, 'targeting.urls.0'],
    ['a share over 100', { targeting: { sharePercent: 101 } }, 'targeting.sharePercent'],
    ['a negative delay', { targeting: { delaySeconds: -1 } }, 'targeting.delaySeconds'],
    [
      'a bad event property',
      { targeting: { event: { name: 'Order Completed', filters: [{ property: 'a..b', op: 'eq', value: 1 }] } } },
      'targeting.event.filters.0.property',
    ],
    [
      'gt on a boolean',
      { targeting: { event: { name: 'X', filters: [{ property: 'a', op: 'gt', value: true }] } } },
      'targeting.event.filters.0.op',
    ],
    ['a cap of 0 days', { frequency: { mode: 'every', days: 0 } }, 'frequency.days'],
    ['an unknown field', { colour: 'red' }, ''],
  ])('refuses %s with 400 naming the field', async (_, change, field) => {
    const res = await staff.json<ErrorBody>('POST', '/api/surveys', { name: 'x', questions: [q.nps()], ...change });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_body');
    if (field) expect(res.body.error.field).toBe(field);
  });

  it('replaces a survey, archives it, and lists without archived ones unless asked', async () => {
    const a = await staff.create({ name: 'A', questions: [q.nps()] });
    const b = await staff.create({ name: 'B', questions: [q.csat()], status: 'active' });
    const updated = await staff.json<WireSurvey>('PUT', `/api/surveys/${a.id}`, {
      name: 'A2',
      status: 'active',
      questions: [q.nps(), q.text()],
      targeting: { urls: ['/checkout/*'], delaySeconds: 5 },
      frequency: { mode: 'every', days: 30 },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      id: a.id,
      name: 'A2',
      status: 'active',
      frequency: { mode: 'every', days: 30 },
    });
    expect(updated.body.targeting).toMatchObject({ urls: ['/checkout/*'], delaySeconds: 5 });
    expect(updated.body.createdAt).toBe(a.createdAt);

    const archived = await staff.json<WireSurvey>('POST', `/api/surveys/${b.id}/archive`);
    expect(archived.body.status).toBe('archived');
    const list = await staff.json<{ surveys: WireSurvey[] }>('GET', '/api/surveys');
    const ids = list.body.surveys.map((s) => s.id);
    expect(ids).toContain(a.id);
    expect(ids).not.toContain(b.id);
    const onlyArchived = await staff.json<{ surveys: WireSurvey[] }>('GET', '/api/surveys?status=archived');
    expect(onlyArchived.body.surveys.map((s) => s.id)).toEqual([b.id]);
    expect((await staff.send('GET', '/api/surveys?status=gone')).status).toBe(400);
  });

  it("keeps sites apart and refuses requests without the site's secret key", async () => {
    const mine = await staff.create({ name: 'Mine', questions: [q.nps()] });
    const other = await newSite(db);
    const theirs = staffApi(app, other.secretKey);
    expect((await theirs.send('GET', `/api/surveys/${mine.id}`)).status).toBe(404);
    expect((await theirs.send('PUT', `/api/surveys/${mine.id}`, { name: 'x', questions: [q.nps()] })).status).toBe(404);
    expect((await theirs.send('POST', `/api/surveys/${mine.id}/archive`)).status).toBe(404);
    expect((await theirs.send('GET', `/api/surveys/${mine.id}/results`)).status).toBe(404);
    expect((await theirs.json<{ surveys: unknown[] }>('GET', '/api/surveys')).body.surveys).toEqual([]);
    expect((await app.app.request('/api/surveys')).status).toBe(401);
    expect((await staffApi(app, 'sk_nope').send('GET', '/api/surveys')).status).toBe(401);
    expect((await staff.send('GET', '/api/surveys/does-not-exist')).status).toBe(404);
  });
});
