// Answers from the widget: each kind's validation, required questions, token scoping, caps, limits, GDPR.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWidgetSecrets, userHash } from '../conversations/index.ts';
import { signVisitorToken } from '../conversations/tokens.ts';
import { openTestDatabase, type TestDb, testDialects } from '../db/testing.ts';
import type { WireSurvey } from '../protocol/index.ts';
import { defaultSurveyLimits, eraseSurveyResponses, exportSurveyResponses } from './index.ts';
import {
  type Clock,
  DAY_MS,
  makeClock,
  makeSurveyApp,
  newSite,
  q,
  type Site,
  staffApi,
  type TestApp,
  visitorSession,
  visitorWithToken,
} from './testing.ts';

type ErrorBody = { error: { code: string; field?: string } };

describe.each(testDialects)('survey responses on %s', (dialect) => {
  let db: TestDb;
  let app: TestApp;
  let site: Site;
  let staff: ReturnType<typeof staffApi>;
  let clock: Clock;
  let all: WireSurvey;

  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    site = await newSite(db);
    clock = makeClock();
    app = makeSurveyApp(db, clock);
    staff = staffApi(app, site.secretKey);
    all = await staff.create({
      name: 'All kinds',
      status: 'active',
      questions: [
        q.nps(),
        q.csat('csat', false),
        q.single('single', false),
        q.multiple('multi', false, { maxSelected: 2 }),
        q.text('text', false, 10),
      ],
      frequency: { mode: 'every', days: 1 },
    });
  });
  afterAll(async () => {
    await app.closeRealtime();
    await db.close();
  });

  const stored = (surveyId: string) =>
    db.kysely
      .selectFrom('survey_responses')
      .selectAll()
      .where('site_id', '=', site.siteId)
      .where('survey_id', '=', surveyId)
      .orderBy('seq')
      .execute();

  let n = 0;
  const fresh = () => visitorSession(app, site.writeKey, { anonymousId: `anon-${n++}` });

  it('stores a valid response with the visitor from the token, the url and the time', async () => {
    const v = await fresh();
    const answers = { nps: 9, csat: 4, single: 'friend', multi: ['shoes', 'hats'], text: ' Great ' };
    const res = await v.post(`/v1/widget/surveys/${all.id}/responses`, {
      answers,
      url: 'https://tienda.example/gracias',
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    const row = (await stored(all.id)).find((r) => r.response_id === id);
    expect(row).toMatchObject({
      anonymous_id: `anon-${n - 1}`,
      user_id: null,
      url: 'https://tienda.example/gracias',
      answers: { nps: 9, csat: 4, single: 'friend', multi: ['shoes', 'hats'], text: 'Great' },
    });
    expect(row?.created_at.getTime()).toBe(clock.now);
  });

  it.each([
    ['nps above 10', { nps: 11 }, 'answers.nps'],
    ['nps below 0', { nps: -1 }, 'answers.nps'],
    ['nps not whole', { nps: 7.5 }, 'answers.nps'],
    ['nps as text', { nps: '9' }, 'answers.nps'],
    ['the required nps missing', { csat: 3 }, 'answers.nps'],
    ['csat 0', { nps: 5, csat: 0 }, 'answers.csat'],
    ['csat 6', { nps: 5, csat: 6 }, 'answers.csat'],
    ['an unknown choice', { nps: 5, single: 'tv' }, 'answers.single'],
    ['two single choices', { nps: 5, single: ['search', 'ads'] }, 'answers.single'],
    ['an unknown multiple choice', { nps: 5, multi: ['shoes', 'socks'] }, 'answers.multi.1'],
    ['no multiple choice', { nps: 5, multi: [] }, 'answers.multi'],
    ['over maxSelected', { nps: 5, multi: ['shoes', 'shirts', 'hats'] }, 'answers.multi'],
    ['a repeated choice', { nps: 5, multi: ['shoes', 'shoes'] }, 'answers.multi'],
    ['a text over maxLength', { nps: 5, text: '12345678901' }, 'answers.text'],
    ['a blank text', { nps: 5, text: '   ' }, 'answers.text'],
    ['an unknown question', { nps: 5, extra: 1 }, 'answers'],
  ])('refuses %s with 400 naming the answer, storing nothing', async (_, answers, field) => {
    const before = (await stored(all.id)).length;
    const res = await (await fresh()).post(`/v1/widget/surveys/${all.id}/responses`, { answers });
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.code).toBe('invalid_answers');
    expect(body.error.field).toBe(field);
    expect((await stored(all.id)).length).toBe(before);
  });

  it('refuses an empty response when every question is optional', async () => {
    const optional = await staff.create({ name: 'Optional', status: 'active', questions: [q.text('t', false)] });
    const v = await fresh();
    expect((await v.post(`/v1/widget/surveys/${optional.id}/responses`, { answers: {} })).status).toBe(400);
    expect((await v.post(`/v1/widget/surveys/${optional.id}/responses`, { answers: { t: 'hola' } })).status).toBe(201);
  });

  it('never lets a visitor answer as someone else', async () => {
    const v = await fresh();
    // The body cannot name the visitor.
    const spoof = await v.post(`/v1/widget/surveys/${all.id}/responses`, {
      answers: { nps: 1 },
      anonymousId: 'victim',
    });
    expect(spoof.status).toBe(400);
    // A token whose signature is not the site's is refused.
    const forged = signVisitorToken('not-the-secret', {
      siteId: site.siteId,
      anonymousId: 'victim',
      userId: 'cust-1',
      exp: Math.floor(Date.now() / 1000) + 60,
    });
    const res = await visitorWithToken(app, forged).post(`/v1/widget/surveys/${all.id}/responses`, {
      answers: { nps: 1 },
    });
    expect(res.status).toBe(401);
    // Another site's visitor cannot see or answer this site's survey.
    const other = await newSite(db);
    const outsider = await visitorSession(app, other.writeKey, { anonymousId: 'victim' });
    expect((await outsider.post(`/v1/widget/surveys/${all.id}/responses`, { answers: { nps: 1 } })).status).toBe(404);
    expect((await outsider.post(`/v1/widget/surveys/${all.id}/seen`, {})).status).toBe(404);
    const rows = await stored(all.id);
    expect(rows.some((r) => r.anonymous_id === 'victim')).toBe(false);
    // Without a token: 401.
    const anonymous = await app.app.request(`/v1/widget/surveys/${all.id}/responses`, {
      method: 'POST',
      body: JSON.stringify({ answers: { nps: 1 } }),
    });
    expect(anonymous.status).toBe(401);
  });

  it('takes one response per visitor with `once`, and again after N days with `every`', async () => {
    const once = await staff.create({ name: 'Once', status: 'active', questions: [q.nps()] });
    const v = await fresh();
    expect((await v.post(`/v1/widget/surveys/${once.id}/responses`, { answers: { nps: 10 } })).status).toBe(201);
    const again = await v.post(`/v1/widget/surveys/${once.id}/responses`, { answers: { nps: 0 } });
    expect(again.status).toBe(409);
    expect(((await again.json()) as ErrorBody).error.code).toBe('already_answered');
    clock.now += 400 * DAY_MS;
    expect((await v.post(`/v1/widget/surveys/${once.id}/responses`, { answers: { nps: 0 } })).status).toBe(409);
    expect((await stored(once.id)).map((r) => r.answers)).toEqual([{ nps: 10 }]);

    // `all` allows a response a day.
    const w = await fresh();
    expect((await w.post(`/v1/widget/surveys/${all.id}/responses`, { answers: { nps: 3 } })).status).toBe(201);
    clock.now += DAY_MS - 1000;
    expect((await w.post(`/v1/widget/surveys/${all.id}/responses`, { answers: { nps: 4 } })).status).toBe(409);
    clock.now += 1000;
    expect((await w.post(`/v1/widget/surveys/${all.id}/responses`, { answers: { nps: 5 } })).status).toBe(201);
  });

  it('keeps `once` under concurrent submissions: exactly one is stored', async () => {
    const once = await staff.create({ name: 'Race', status: 'active', questions: [q.nps()] });
    const v = await fresh();
    const statuses = await Promise.all(
      Array.from({ length: 6 }, (_, i) => v.post(`/v1/widget/surveys/${once.id}/responses`, { answers: { nps: i } })),
    ).then((all) => all.map((r) => r.status).sort());
    expect(statuses).toEqual([201, 409, 409, 409, 409, 409]);
    expect((await stored(once.id)).length).toBe(1);
  });

  it('counts a logged-in user across devices for the cap', async () => {
    const secret = (await loadWidgetSecrets(db.kysely, site.siteId)).identitySecret;
    const once = await staff.create({ name: 'Once per user', status: 'active', questions: [q.nps()] });
    const asUser = (anonymousId: string) =>
      visitorSession(app, site.writeKey, { anonymousId, userId: 'cust-7', userHash: userHash(secret, 'cust-7') });
    const phone = await asUser('phone');
    expect((await phone.post(`/v1/widget/surveys/${once.id}/responses`, { answers: { nps: 8 } })).status).toBe(201);
    const laptop = await asUser('laptop');
    expect((await laptop.post(`/v1/widget/surveys/${once.id}/responses`, { answers: { nps: 8 } })).status).toBe(409);
    expect((await stored(once.id))[0]?.user_id).toBe('cust-7');
  });

  it('refuses answers to drafts (404) and to paused or archived surveys (409)', async () => {
    const draft = await staff.create({ name: 'Draft', questions: [q.nps()] });
    const v = await fresh();
    expect((await v.post(`/v1/widget/surveys/${draft.id}/responses`, { answers: { nps: 1 } })).status).toBe(404);
    const paused = await staff.create({ name: 'Paused', status: 'paused', questions: [q.nps()] });
    const res = await v.post(`/v1/widget/surveys/${paused.id}/responses`, { answers: { nps: 1 } });
    expect(res.status).toBe(409);
    expect(((await res.json()) as ErrorBody).error.code).toBe('survey_closed');
    await staff.send('POST', `/api/surveys/${all.id}/archive`);
    expect((await v.post(`/v1/widget/surveys/${all.id}/responses`, { answers: { nps: 1 } })).status).toBe(409);
  });

  it('limits responses to 10 per visitor per minute', async () => {
    let now = Date.now();
    const limited = makeSurveyApp(db, clock, { limits: defaultSurveyLimits(() => now) });
    const surveys = [];
    for (let i = 0; i < 11; i++) {
      surveys.push(await staff.create({ name: `L${i}`, status: 'active', questions: [q.nps()] }));
    }
    const v = await visitorSession(limited, site.writeKey, { anonymousId: 'flooder' });
    for (const s of surveys.slice(0, 10)) {
      expect((await v.post(`/v1/widget/surveys/${s.id}/responses`, { answers: { nps: 5 } })).status).toBe(201);
    }
    const refused = await v.post(`/v1/widget/surveys/${surveys[10]?.id}/responses`, { answers: { nps: 5 } });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBe(6);
    now += 6000;
    expect((await v.post(`/v1/widget/surveys/${surveys[10]?.id}/responses`, { answers: { nps: 5 } })).status).toBe(201);
    await limited.closeRealtime();
  });

  it('exports and erases one person’s responses and impressions, and nobody else’s', async () => {
    const survey = await staff.create({ name: 'GDPR', status: 'active', questions: [q.nps()] });
    const gone = await visitorSession(app, site.writeKey, { anonymousId: 'forget-me' });
    const kept = await visitorSession(app, site.writeKey, { anonymousId: 'keep-me' });
    await gone.post(`/v1/widget/surveys/${survey.id}/seen`, {});
    await gone.post(`/v1/widget/surveys/${survey.id}/responses`, { answers: { nps: 2 } });
    await kept.post(`/v1/widget/surveys/${survey.id}/responses`, { answers: { nps: 9 } });
    const person = { anonymousIds: ['forget-me'], userIds: [] };
    const exported = await exportSurveyResponses(db.kysely, site.siteId, person);
    expect(exported.responses.map((r) => [r.surveyId, r.answers])).toEqual([[survey.id, { nps: 2 }]]);
    expect(exported.impressions).toMatchObject([{ surveyId: survey.id, kind: 'seen', times: 1 }]);
    // Another site's erasure with the same ids touches nothing here.
    const other = await newSite(db);
    expect(await eraseSurveyResponses(db.kysely, other.siteId, person)).toBe(0);
    expect(await eraseSurveyResponses(db.kysely, site.siteId, person)).toBe(1);
    expect(await exportSurveyResponses(db.kysely, site.siteId, person)).toEqual({ responses: [], impressions: [] });
    expect((await stored(survey.id)).map((r) => r.anonymous_id)).toEqual(['keep-me']);
    expect(await eraseSurveyResponses(db.kysely, site.siteId, { anonymousIds: [], userIds: [] })).toBe(0);
  });
});
