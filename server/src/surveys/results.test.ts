// Results for staff: NPS and CSAT exact on a fixture, counts per choice, paged responses, the CSV export.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDb, testDialects } from '../db/testing.ts';
import type { WireSurvey, WireSurveyResponse, WireSurveyResults } from '../protocol/index.ts';
import { csvField } from './csv.ts';
import { csatOf, npsOf } from './results.ts';
import { makeClock, makeSurveyApp, newSite, q, type Site, staffApi, type TestApp, visitorSession } from './testing.ts';

describe('NPS and CSAT arithmetic', () => {
  it('NPS is % promoters − % detractors, one decimal', () => {
    expect(npsOf({ 10: 3, 9: 2, 8: 1, 7: 2, 6: 1, 0: 1 })).toEqual({
      score: 30,
      promoters: 5,
      passives: 3,
      detractors: 2,
    });
    expect(npsOf({ 9: 1, 8: 1, 3: 1 }).score).toBe(0);
    expect(npsOf({ 10: 1, 5: 2 }).score).toBe(-33.3);
    expect(npsOf({ 0: 0 }).score).toBeNull();
  });
  it('CSAT is the % of 4–5 answers', () => {
    expect(csatOf({ 5: 2, 4: 1, 3: 1, 1: 1 })).toEqual({ score: 60, average: 3.6 });
    expect(csatOf({ 1: 0 })).toEqual({ score: null, average: null });
  });
});

describe.each(testDialects)('survey results on %s', (dialect) => {
  let db: TestDb;
  let app: TestApp;
  let site: Site;
  let staff: ReturnType<typeof staffApi>;
  let survey: WireSurvey;
  // 10 NPS answers: 5 promoters, 3 passives, 2 detractors → NPS 30. CSAT given by 8: 4,5,5,3,2,4,1,5 → 5/8 = 62.5 %.
  const nps = [10, 9, 9, 10, 9, 8, 7, 8, 6, 0];
  const csat = [4, 5, 5, 3, 2, 4, 1, 5, undefined, undefined];
  const single = ['search', 'friend', 'search', undefined, 'ads', 'search', undefined, undefined, 'friend', undefined];
  const multi = [
    ['shoes'],
    ['shoes', 'hats'],
    undefined,
    ['hats'],
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
    ['shirts', 'shoes'],
  ];
  const text = [
    'Muy bien',
    '=HYPERLINK("http://evil")',
    'line\nbreak, "quoted"',
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
  ];

  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    site = await newSite(db);
    app = makeSurveyApp(db, makeClock());
    staff = staffApi(app, site.secretKey);
    survey = await staff.create({
      name: 'Fixture',
      status: 'active',
      questions: [
        q.nps(),
        q.csat('csat', false),
        q.single('single', false),
        q.multiple('multi', false),
        q.text('text'),
      ],
    });
    for (let i = 0; i < nps.length; i++) {
      const answers = Object.fromEntries(
        Object.entries({ nps: nps[i], csat: csat[i], single: single[i], multi: multi[i], text: text[i] }).filter(
          ([, v]) => v !== undefined,
        ),
      );
      const v = await visitorSession(app, site.writeKey, { anonymousId: `v${i}` });
      const res = await v.post(`/v1/widget/surveys/${survey.id}/responses`, {
        answers,
        url: `https://tienda.example/p/${i}`,
      });
      if (res.status !== 201) throw new Error(await res.text());
      if (i < 4) await v.post(`/v1/widget/surveys/${survey.id}/seen`, {});
    }
    const dismisser = await visitorSession(app, site.writeKey, { anonymousId: 'closer' });
    await dismisser.post(`/v1/widget/surveys/${survey.id}/seen`, {});
    await dismisser.post(`/v1/widget/surveys/${survey.id}/dismiss`, {});
  });
  afterAll(async () => {
    await app.closeRealtime();
    await db.close();
  });

  it('computes NPS, CSAT and counts per value and choice exactly', async () => {
    const { status, body } = await staff.json<WireSurveyResults>('GET', `/api/surveys/${survey.id}/results`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ surveyId: survey.id, responses: 10, seen: 5, dismissed: 1 });
    const [n, c, s, m, t] = body.questions;
    expect(n).toEqual({
      id: 'nps',
      kind: 'nps',
      answered: 10,
      counts: { 0: 1, 1: 0, 2: 0, 3: 0, 4: 0, 5: 0, 6: 1, 7: 1, 8: 2, 9: 3, 10: 2 },
      nps: { score: 30, promoters: 5, passives: 3, detractors: 2 },
    });
    expect(c).toEqual({
      id: 'csat',
      kind: 'csat',
      answered: 8,
      counts: { 1: 1, 2: 1, 3: 1, 4: 2, 5: 3 },
      csat: { score: 62.5, average: 3.63 },
    });
    expect(s).toEqual({ id: 'single', kind: 'single_choice', answered: 6, counts: { search: 3, friend: 2, ads: 1 } });
    expect(m).toEqual({ id: 'multi', kind: 'multiple_choice', answered: 4, counts: { shoes: 3, shirts: 1, hats: 2 } });
    expect(t).toEqual({ id: 'text', kind: 'text', answered: 3 });
  });

  it('pages responses newest first with a cursor', async () => {
    const seen: WireSurveyResponse[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { responses: WireSurveyResponse[]; nextCursor: string | null } } = await staff.json(
        'GET',
        `/api/surveys/${survey.id}/responses?limit=4${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.body.responses.length).toBeLessThanOrEqual(4);
      seen.push(...page.body.responses);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen.map((r) => r.anonymousId)).toEqual(nps.map((_, i) => `v${nps.length - 1 - i}`));
    expect(seen.at(-1)).toMatchObject({ surveyId: survey.id, url: 'https://tienda.example/p/0', answers: { nps: 10 } });
    expect((await staff.send('GET', `/api/surveys/${survey.id}/responses?cursor=abc`)).status).toBe(400);
    expect((await staff.send('GET', `/api/surveys/${survey.id}/responses?limit=501`)).status).toBe(400);
  });

  it('exports every response as CSV, oldest first, escaped and safe from spreadsheet formulas', async () => {
    const res = await staff.send('GET', `/api/surveys/${survey.id}/responses.csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toContain('attachment');
    const csv = await res.text();
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('response_id,created_at,anonymous_id,user_id,url,nps,csat,single,multi,text');
    expect(lines.at(-1)).toBe('');
    const first = lines[1]?.split(',') ?? [];
    expect(first.slice(2)).toEqual(['v0', '', 'https://tienda.example/p/0', '10', '4', 'search', 'shoes', 'Muy bien']);
    expect(lines[2]).toContain(',shoes;hats,');
    expect(lines[2]).toContain(`,"'=HYPERLINK(""http://evil"")"`);
    expect(csv).toContain('"line\nbreak, ""quoted"""');
    expect(csv.match(/\r\n/g)?.length).toBe(11);
  });

  it('streams a large export in pages', async () => {
    const big = await staff.create({ name: 'Big', status: 'active', questions: [q.nps()] });
    const rows = Array.from({ length: 1203 }, (_, i) => ({
      site_id: site.siteId,
      response_id: `r-${i}`,
      survey_id: big.id,
      anonymous_id: `a-${i}`,
      user_id: null,
      url: null,
      answers: JSON.stringify({ nps: i % 11 }),
      created_at: new Date(),
    }));
    await db.kysely.insertInto('survey_responses').values(rows).execute();
    const csv = await (await staff.send('GET', `/api/surveys/${big.id}/responses.csv`)).text();
    const lines = csv.trimEnd().split('\r\n');
    expect(lines.length).toBe(1204);
    expect(lines[1]).toMatch(/^r-0,/);
    expect(lines[1203]).toMatch(/^r-1202,.*,3$/);
  });

  it('escapes CSV fields', () => {
    expect(csvField(null)).toBe('');
    expect(csvField(-3)).toBe('-3');
    expect(csvField('-3')).toBe("'-3");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('plain')).toBe('plain');
  });
});
