// The segments API: definitions, built-ins, live counts, member pages, the streamed CSV, and survey targeting.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openTestDatabase, type TestDb, testDialects } from '../db/testing.ts';
import type { WidgetSurveys, WireSegment, WireSegmentCatalog, WireSegmentMember } from '../protocol/index.ts';
import {
  makeClock,
  makeSurveyApp,
  newSite,
  q,
  type Site,
  staffApi,
  type TestApp,
  visitorSession,
} from '../surveys/testing.ts';
import { BUILTIN_SEGMENTS, registerSegmentLeaf, segmentMembership } from './index.ts';

/**
 * `n` profiles p_00001… inserted set-based (the projector is not what is tested here): every 7th has a
 * formula-like email, every 3rd is a classified champion, every 5th premium; p_00002 is anonymous id `member`.
 */
async function profiles(db: TestDb, site: string, n: number): Promise<void> {
  await sql`insert into profiles (site_id, profile_id, user_id, first_seen, last_seen, sessions, page_views, orders, revenue)
    select ${site}, 'p_' || lpad(g::text, 5, '0'), 'u' || g, now(), now(), g % 4, g % 9, g % 3, (g % 3) * 10
    from generate_series(1, ${n}::int) g`.execute(db.kysely);
  await sql`insert into profile_traits (site_id, profile_id, key, value, updated_at)
    select ${site}, 'p_' || lpad(g::text, 5, '0'), 'email',
      to_jsonb(case when g % 7 = 0 then '=HYPERLINK("http://x/' || g || '")' else 'user' || g || '@shop.es' end), now()
    from generate_series(1, ${n}::int) g`.execute(db.kysely);
  await sql`insert into profile_traits (site_id, profile_id, key, value, updated_at)
    values (${site}, 'p_00002', 'plan', '"gold"', now()), (${site}, 'p_00002', 'name', '"Ana, \\"la\\" clienta"', now())`.execute(
    db.kysely,
  );
  await sql`insert into profile_classes (site_id, profile_id, lifecycle, recency_score, frequency_score, monetary_score,
      rfm_segment, abc_class, premium, churn_risk, days_since_last_order, computed_at)
    select ${site}, 'p_' || lpad(g::text, 5, '0'), 'customer', 5, 5, 5,
      case when g % 3 = 0 then 'champions' else 'lost' end, case when g % 3 = 0 then 'A' else 'C' end, g % 5 = 0, 'low', 1, now()
    from generate_series(1, ${n}::int) g`.execute(db.kysely);
  await sql`insert into identities (site_id, kind, value, profile_id, first_seen, last_seen)
    values (${site}, 'anonymous', 'member', 'p_00002', now(), now()), (${site}, 'user', 'u3', 'p_00003', now(), now())`.execute(
    db.kysely,
  );
}

describe.each(testDialects)('segments API on %s', (dialect) => {
  let db: TestDb;
  let app: TestApp;
  let site: Site;
  let api: ReturnType<typeof staffApi>;
  const N = 3000;

  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    app = makeSurveyApp(db, makeClock());
    site = await newSite(db);
    api = staffApi(app, site.secretKey);
    await profiles(db, site.siteId, N);
  });
  afterAll(async () => {
    await app.closeRealtime();
    await db.close();
  });

  const gold = { type: 'trait', key: 'plan', op: 'eq', value: 'gold' };
  const create = async (body: unknown) => {
    const res = await api.json<WireSegment>('POST', '/api/segments', body);
    expect(res.status).toBe(201);
    return res.body;
  };

  it('creates, lists, reads, replaces and deletes segments, and keeps built-ins read-only', async () => {
    const s = await create({ name: 'Gold', rules: gold });
    expect(s).toMatchObject({ name: 'Gold', description: '', builtin: false, rules: gold });
    const list = await api.json<{ segments: WireSegment[] }>('GET', '/api/segments');
    expect(list.body.segments.map((x) => x.id)).toEqual([...BUILTIN_SEGMENTS.map((b) => b.id), s.id]);
    expect(list.body.segments.map((x) => x.id)).toContain('builtin:rfm:cant_lose');
    expect((await api.json('GET', `/api/segments/${s.id}`)).body).toEqual(s);

    const put = await api.json<WireSegment>('PUT', `/api/segments/${s.id}`, {
      name: 'Gold or premium',
      rules: { type: 'or', rules: [gold, { type: 'class', field: 'premium', op: 'eq', value: true }] },
    });
    expect(put.status).toBe(200);
    expect(put.body.name).toBe('Gold or premium');
    expect((await api.json<{ count: number }>('GET', `/api/segments/${s.id}/count`)).body.count).toBe(1 + N / 5);

    expect((await api.send('PUT', '/api/segments/builtin:premium', { name: 'x', rules: gold })).status).toBe(409);
    expect((await api.send('DELETE', '/api/segments/builtin:premium')).status).toBe(409);
    expect((await api.send('DELETE', `/api/segments/${s.id}`)).status).toBe(204);
    expect((await api.send('GET', `/api/segments/${s.id}`)).status).toBe(404);
    expect((await api.send('GET', '/api/segments/builtin:rfm:nobody/count')).status).toBe(404);

    // Another site's key sees none of it.
    const other = staffApi(app, (await newSite(db)).secretKey);
    const mine = await create({ name: 'Mine', rules: gold });
    expect((await other.send('GET', `/api/segments/${mine.id}`)).status).toBe(404);
    expect((await other.json<{ count: number }>('GET', '/api/segments/builtin:premium/count')).body.count).toBe(0);
    expect((await app.app.request('/api/segments')).status).toBe(401);
  });

  it('answers 400 naming the path of a bad rule', async () => {
    const res = await api.json<{ error: { code: string; field: string; message: string } }>('POST', '/api/segments', {
      name: 'Bad',
      rules: { type: 'and', rules: [gold, { type: 'counter', field: 'orders', op: 'gt', value: 'many' }] },
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_body', field: 'rules.rules.1.value' });
    const deep = await api.json<{ error: { field: string; message: string } }>('POST', '/api/segments/preview/count', {
      rules: {
        type: 'not',
        rule: {
          type: 'not',
          rule: {
            type: 'not',
            rule: {
              type: 'not',
              rule: { type: 'not', rule: { type: 'not', rule: { type: 'not', rule: { type: 'not', rule: gold } } } },
            },
          },
        },
      },
    });
    expect(deep.status).toBe(400);
    expect(deep.body.error).toMatchObject({
      field: 'rules.rule.rule.rule.rule.rule.rule.rule.rule',
      message: expect.stringContaining('at most 8 deep'),
    });
    const unknown = await api.json<{ error: { code: string; field: string } }>('POST', '/api/segments/preview/count', {
      rules: { type: 'or', rules: [gold, { type: 'ext', kind: 'open_complaints', params: {} }] },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ code: 'invalid_rules', field: 'rules.rules.1.kind' });
  });

  it('describes what the rule builder can build, with the names seen on the site', async () => {
    await sql`insert into events (site_id, message_id, type, event, "timestamp", received_at, url_path)
      values (${site.siteId}, 'c1', 'track', 'Order Completed', now(), now(), null),
        (${site.siteId}, 'c2', 'track', 'Order Completed', now(), now(), null),
        (${site.siteId}, 'c3', 'track', 'Product Viewed', now(), now(), '/p/1'),
        (${site.siteId}, 'c4', 'page', null, now(), now(), '/shoes')`.execute(db.kysely);
    const off = registerSegmentLeaf({
      kind: 'bought_brand',
      label: 'Bought a brand',
      params: z.object({ brand: z.string().min(1), times: z.number().int().min(1).default(1) }),
      compile: () => sql<boolean>`true`,
    });
    try {
      const res = await api.json<WireSegmentCatalog>('GET', '/api/segments/conditions');
      expect(res.status).toBe(200);
      const { leaves, extensions, suggestions, limits } = res.body;
      expect(limits).toEqual({ depth: 8, leaves: 50, windowDays: 3650, propertyFilters: 10 });
      expect(leaves.map((l) => l.type)).toEqual(['trait', 'counter', 'class', 'did', 'did_not', 'visited']);
      expect(leaves[0]).toMatchObject({ type: 'trait', valueless: ['exists', 'not_exists'] });
      expect(leaves[0]?.type === 'trait' && leaves[0].operators).toContain('starts_with');
      const classes = leaves.find((l) => l.type === 'class');
      expect(classes?.type === 'class' && classes.fields.map((f) => [f.field, f.values.kind])).toEqual([
        ['lifecycle', 'names'],
        ['rfm_segment', 'names'],
        ['abc_class', 'names'],
        ['churn_risk', 'names'],
        ['premium', 'boolean'],
        ['recency_score', 'score'],
        ['frequency_score', 'score'],
        ['monetary_score', 'score'],
      ]);
      expect(extensions).toEqual([
        {
          kind: 'bought_brand',
          label: 'Bought a brand',
          params: expect.objectContaining({
            type: 'object',
            properties: {
              brand: { type: 'string', minLength: 1 },
              times: expect.objectContaining({ type: 'integer' }),
            },
            required: ['brand'],
          }),
        },
      ]);
      expect(suggestions).toEqual({
        traits: ['email', 'name', 'plan'],
        events: ['Order Completed', 'Product Viewed'],
        paths: ['/shoes'],
      });
    } finally {
      off();
    }
  });

  it('counts an unsaved tree and the built-ins', async () => {
    const preview = (rules: unknown) => api.json<{ count: number }>('POST', '/api/segments/preview/count', { rules });
    expect((await preview(gold)).body).toEqual({ count: 1 });
    expect((await preview({ type: 'counter', field: 'orders', op: 'eq', value: 2 })).body).toEqual({ count: N / 3 });
    const count = async (id: string) =>
      (await api.json<{ count: number }>('GET', `/api/segments/${id}/count`)).body.count;
    expect(await count('builtin:rfm:champions')).toBe(N / 3);
    expect(await count('builtin:rfm:lost')).toBe(N - N / 3);
    expect(await count('builtin:abc:A')).toBe(N / 3);
    expect(await count('builtin:lifecycle:customer')).toBe(N);
    expect(await count('builtin:lifecycle:lapsed')).toBe(0);
    expect(await count('builtin:premium')).toBe(N / 5);
    expect(await count(encodeURIComponent('builtin:premium'))).toBe(N / 5);
  });

  it('pages members by profile id', async () => {
    const seen: WireSegmentMember[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { members: WireSegmentMember[]; nextCursor: string | null } } =
        await api.json('GET', `/api/segments/builtin:premium/members?limit=250${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      seen.push(...page.body.members);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen.map((m) => m.profileId)).toEqual(
      Array.from({ length: N / 5 }, (_, i) => `p_${String((i + 1) * 5).padStart(5, '0')}`),
    );
    expect(seen[0]).toEqual({
      profileId: 'p_00005',
      userId: 'u5',
      email: 'user5@shop.es',
      name: null,
      sessions: 1,
      pageViews: 5,
      orders: 2,
      revenue: '20',
      lastSeen: expect.any(String),
      lastOrderAt: null,
    });
    expect((await api.send('GET', '/api/segments/builtin:premium/members?limit=5000')).status).toBe(400);
  });

  it('streams the CSV export in profile order with a header, formulas defused', async () => {
    const s = await create({ name: 'All', rules: { type: 'counter', field: 'sessions', op: 'gte', value: 0 } });
    const res = await api.send('GET', `/api/segments/${s.id}/export.csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="segment-${s.id}.csv"`);
    const lines = (await res.text()).split('\r\n');
    expect(lines.pop()).toBe('');
    expect(lines[0]).toBe('profile_id,user_id,email,name,sessions,page_views,orders,revenue,last_seen,last_order_at');
    expect(lines).toHaveLength(N + 1);
    const ids = lines.slice(1).map((l) => l.split(',')[0]);
    expect(ids).toEqual(Array.from({ length: N }, (_, i) => `p_${String(i + 1).padStart(5, '0')}`));
    expect(lines[2]).toMatch(/^p_00002,u2,user2@shop\.es,"Ana, ""la"" clienta",2,2,2,20,\d{4}-.*Z,$/);
    expect(lines[7]).toMatch(/^p_00007,u7,"'=HYPERLINK\(""http:\/\/x\/7""\)",,3,7,1,10,/);
    expect(lines.slice(1).filter((l) => l.includes(',=') || l.includes(',"='))).toEqual([]);
    const builtin = await api.send('GET', '/api/segments/builtin:rfm:champions/export.csv');
    expect(builtin.headers.get('content-disposition')).toBe('attachment; filename="segment-builtin-rfm-champions.csv"');
    expect((await builtin.text()).split('\r\n')).toHaveLength(N / 3 + 2);
  });

  it('tells survey targeting who is in a segment, by anonymous id or proven user id', async () => {
    const s = await create({ name: 'Gold', rules: gold });
    const member = segmentMembership(db.kysely);
    expect(await member(site.siteId, s.id, { anonymousId: 'member', userId: null })).toBe(true);
    expect(await member(site.siteId, s.id, { anonymousId: 'stranger', userId: null })).toBe(false);
    // The user's profile wins over the device's.
    expect(await member(site.siteId, s.id, { anonymousId: 'member', userId: 'u3' })).toBe(false);
    expect(await member(site.siteId, 'builtin:rfm:champions', { anonymousId: 'x', userId: 'u3' })).toBe(true);
    expect(await member(site.siteId, 'no-such-segment', { anonymousId: 'member', userId: null })).toBe(false);

    // Wired into the app: a survey targeting the segment reaches its member only.
    const survey = await api.json<{ id: string }>('POST', '/api/surveys', {
      name: 'For gold',
      status: 'active',
      questions: [q.nps()],
      targeting: { segmentId: s.id },
    });
    expect(survey.status).toBe(201);
    const shown = async (anonymousId: string) => {
      const v = await visitorSession(app, site.writeKey, { anonymousId });
      return ((await (await v.get('/v1/widget/surveys?url=%2F')).json()) as WidgetSurveys).surveys.map((x) => x.id);
    };
    expect(await shown('member')).toEqual([survey.body.id]);
    expect(await shown('stranger')).toEqual([]);
  });
});
