// The profile API and GDPR: search, the customer file, timeline paging, export, and an erasure that removes
// everything of one person and nothing of another.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDb, testDialects } from '../db/testing.ts';
import type { WireSurvey } from '../protocol/index.ts';
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
import { classifySite, Projector, profileIdFor, rebuild } from './index.ts';
import { type EventInput, MIN, snapshot, T0, write } from './test-fixtures.ts';

const order = (who: string, at: number, id: string, total: string, products: object[] = []): EventInput => ({
  type: 'track',
  at,
  anonymousId: who,
  event: 'Order Completed',
  properties: { order_id: id, total, currency: 'EUR', products },
});

describe.each(testDialects)('profile API and privacy on %s', (dialect) => {
  let db: TestDb;
  let app: TestApp;
  let site: Site;
  let survey: WireSurvey;
  let ana: string;
  let anaPhone: string;
  let bob: string;

  const api = (method: string, path: string, key = site.secretKey) =>
    app.app.request(path, { method, headers: { authorization: `Bearer ${key}` } });
  const json = async <T>(method: string, path: string) => {
    const res = await api(method, path);
    return { status: res.status, body: (await res.json()) as T };
  };

  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    site = await newSite(db);
    app = makeSurveyApp(db, makeClock(T0));
    survey = await staffApi(app, site.secretKey).create({
      name: 'NPS',
      status: 'active',
      questions: [q.nps()],
      frequency: { mode: 'every', days: 1 },
    });
    const s = site.siteId;
    await write(db.kysely, s, [
      // Ana browses on her laptop (a1), identifies, buys; later on her phone (a2) she identifies again: merged.
      { type: 'page', at: T0, anonymousId: 'a1' },
      {
        type: 'identify',
        at: T0 + MIN,
        anonymousId: 'a1',
        userId: 'u-ana',
        traits: { email: 'Ana@Example.com', name: 'Ana Pérez' },
      },
      order('a1', T0 + 2 * MIN, 'o-ana', '30.50', [{ product_id: 'p1', price: '15.25', quantity: 2 }]),
      { type: 'track', at: T0 + 3 * MIN, anonymousId: 'a1', event: 'Product Viewed', properties: { product_id: 'p3' } },
      { type: 'page', at: T0 + 60 * MIN, anonymousId: 'a2' },
      { type: 'identify', at: T0 + 61 * MIN, anonymousId: 'a2', userId: 'u-ana' },
      {
        type: 'track',
        at: T0 + 62 * MIN,
        userId: 'u-ana',
        event: 'Order Refunded',
        properties: { order_id: 'o-ana', total: '5' },
      },
      // Bob: anonymous, one order.
      { type: 'page', at: T0 + 5 * MIN, anonymousId: 'b1' },
      { type: 'identify', at: T0 + 6 * MIN, anonymousId: 'b1', traits: { email: 'bob@example.com', name: 'Bob' } },
      order('b1', T0 + 7 * MIN, 'o-bob', '12'),
      { type: 'track', at: T0 + 8 * MIN, anonymousId: 'b1', event: 'Product Viewed', properties: { product_id: 'p2' } },
      { type: 'track', at: T0 + 9 * MIN, anonymousId: 'b1', event: '$click', properties: { selector: 'a.buy' } },
    ]);
    await new Projector(db.kysely, { batchSize: 4 }).projectAll();
    await classifySite(db.kysely, s, { now: new Date(T0 + 120 * MIN) });
    ana = profileIdFor(s, 'anonymous', 'a1');
    anaPhone = profileIdFor(s, 'anonymous', 'a2');
    bob = profileIdFor(s, 'anonymous', 'b1');
    // Ana also gave feedback and answered a survey from each device.
    for (const [anonymousId, userId] of [
      ['a1', undefined],
      ['a2', 'u-ana'],
      ['b1', undefined],
    ] as const) {
      const v = await visitorSession(app, site.writeKey, { anonymousId, ...(userId ? { userId } : {}) });
      expect(
        (
          await v.post('/v1/widget/feedback', {
            rating: 5,
            comment: `hola ${anonymousId}`,
            pageUrl: 'https://tienda.example/',
          })
        ).status,
      ).toBe(201);
      expect((await v.post(`/v1/widget/surveys/${survey.id}/responses`, { answers: { nps: 9 } })).status).toBe(201);
    }
  });
  afterAll(async () => {
    await app.closeRealtime();
    await db.close();
  });

  it('needs the secret key', async () => {
    expect((await api('GET', '/api/profiles', 'sk_wrong')).status).toBe(401);
    expect((await app.app.request('/api/profiles')).status).toBe(401);
  });

  it('searches by email, name, user id and anonymous id prefix, any case, and pages by cursor', async () => {
    type List = {
      items: { id: string; email: string | null; name: string | null; orders: number }[];
      nextCursor: string | null;
    };
    const ids = async (query: string) =>
      (await json<List>('GET', `/api/profiles?${query}`)).body.items.map((i) => i.id);
    expect(await ids('q=ana%40EX')).toEqual([ana]);
    expect(await ids('q=ana p')).toEqual([ana]);
    expect(await ids('q=U-AN')).toEqual([ana]);
    expect(await ids('q=a2')).toEqual([ana]);
    expect(await ids('q=b')).toEqual([bob]);
    // `%` and `_` are text, not wildcards.
    expect(await ids('q=%25')).toEqual([]);
    expect(await ids('q=a_')).toEqual([]);
    const all = [ana, bob].sort();
    const first = await json<List>('GET', '/api/profiles?limit=1');
    expect(first.body.items.map((i) => i.id)).toEqual([all[0]]);
    expect(first.body.nextCursor).toBe(all[0]);
    const second = await json<List>('GET', `/api/profiles?limit=1&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((i) => i.id)).toEqual([all[1]]);
    expect(second.body.nextCursor).toBeNull();
    const item = (await json<List>('GET', '/api/profiles?q=ana')).body.items[0];
    expect(item).toMatchObject({ email: 'Ana@Example.com', name: 'Ana Pérez', orders: 1 });
    expect((await json<List>('GET', '/api/profiles?limit=0')).status).toBe(400);
  });

  it('returns the customer file, also under a merged id', async () => {
    const file = await json<Record<string, unknown>>('GET', `/api/profiles/${anaPhone}`);
    expect(file.status).toBe(200);
    expect(file.body).toMatchObject({
      profile: { id: ana, userId: 'u-ana', orders: 1, revenue: '25.50', pageViews: 2 },
      mergedFrom: [anaPhone],
      traits: { email: 'Ana@Example.com', name: 'Ana Pérez' },
      identities: [
        { kind: 'anonymous', value: 'a1' },
        { kind: 'anonymous', value: 'a2' },
        { kind: 'user', value: 'u-ana' },
      ],
      classification: { lifecycle: 'customer', abcClass: 'A', daysSinceLastOrder: 0 },
      orders: [
        {
          id: 'o-ana',
          total: '30.50',
          refunded: '5',
          status: 'partially_refunded',
          lines: [{ line: 1, productId: 'p1', price: '15.25', quantity: 2 }],
          refunds: [{ amount: '5' }],
        },
      ],
    });
    expect((await api('GET', '/api/profiles/p_nobody')).status).toBe(404);
  });

  it('pages the timeline newest first over every id of the person, with their conversations and answers', async () => {
    type Item =
      | { kind: 'event'; at: string; type: string; event: string | null }
      | { kind: 'conversation'; at: string; conversation: { kind: string; preview: string | null; rating: number } }
      | { kind: 'survey_response'; at: string; response: { surveyId: string; answers: Record<string, unknown> } };
    type Page = { items: Item[]; nextCursor: string | null };
    const seen: Item[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `?limit=2&cursor=${cursor}` : '?limit=2';
      const page: { status: number; body: Page } = await json<Page>('GET', `/api/profiles/${ana}/timeline${query}`);
      expect(page.status).toBe(200);
      seen.push(...page.body.items);
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(4);
    // The feedback was sent after the events (at the real time), the survey answers at T0 (the surveys' clock).
    expect(
      seen.map((e) =>
        e.kind === 'event'
          ? [new Date(e.at).getTime() - T0, e.type, e.event]
          : e.kind === 'conversation'
            ? [e.conversation.kind, e.conversation.preview, e.conversation.rating]
            : [new Date(e.at).getTime() - T0, e.response.surveyId, e.response.answers],
      ),
    ).toEqual([
      ['feedback', 'hola a2', 5],
      ['feedback', 'hola a1', 5],
      [62 * MIN, 'track', 'Order Refunded'],
      [61 * MIN, 'identify', null],
      [60 * MIN, 'page', null],
      [3 * MIN, 'track', 'Product Viewed'],
      [2 * MIN, 'track', 'Order Completed'],
      [MIN, 'identify', null],
      [0, 'page', null],
      [0, survey.id, { nps: 9 }],
      [0, survey.id, { nps: 9 }],
    ]);
    expect((await api('GET', `/api/profiles/${ana}/timeline?cursor=nonsense`)).status).toBe(400);
    // The reading view leaves out the SDK's behaviour events.
    const events = async (query: string) =>
      (await json<Page>('GET', `/api/profiles/${bob}/timeline${query}`)).body.items.flatMap((e) =>
        e.kind === 'event' ? [e.event ?? e.type] : [],
      );
    expect(await events('')).toEqual(['$click', 'Product Viewed', 'Order Completed', 'identify', 'page']);
    expect(await events('?behaviour=hide')).toEqual(['Product Viewed', 'Order Completed', 'identify', 'page']);
  });

  it('exports everything stored about the person', async () => {
    const res = await api('GET', `/api/profiles/${anaPhone}/export`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain(`profile-${ana}.json`);
    const data = (await res.json()) as {
      profile: { id: string };
      traits: Record<string, unknown>;
      events: { type: string; anonymousId: string | null; userId: string | null }[];
      orders: { id: string }[];
      conversations: { messages: { text: string }[] }[];
      surveys: { responses: unknown[] };
      productViews: { kind: string; value: string; product_id: string }[];
    };
    expect(data.profile.id).toBe(ana);
    expect(data.traits.email).toBe('Ana@Example.com');
    expect(data.events.map((e) => e.type)).toEqual(['page', 'identify', 'track', 'track', 'page', 'identify', 'track']);
    expect(data.productViews).toMatchObject([{ kind: 'anonymous', value: 'a1', product_id: 'p3' }]);
    expect(data.orders.map((o) => o.id)).toEqual(['o-ana']);
    expect(data.conversations.flatMap((c) => c.messages.map((m) => m.text)).sort()).toEqual(['hola a1', 'hola a2']);
    expect(data.surveys.responses).toHaveLength(2);
  });

  it('erases the person and nothing of anyone else; a rebuild does not bring them back', async () => {
    const s = site.siteId;
    const bobBefore = await bobRows(s);
    const res = await json<{ erased: string; counts: Record<string, number> }>('DELETE', `/api/profiles/${anaPhone}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      erased: ana,
      counts: {
        events: 7,
        orders: 1,
        identities: 3,
        traits: 2,
        mergedProfiles: 1,
        conversations: 2,
        surveyResponses: 2,
      },
    });
    const snap = await snapshot(db.kysely, s);
    expect(snap.profiles?.map((p) => p.profile_id)).toEqual([bob]);
    expect(snap.identities?.map((i) => i.value)).toEqual(['b1']);
    expect(snap.profile_merges).toEqual([]);
    expect(snap.orders?.map((o) => o.order_id)).toEqual(['o-bob']);
    expect(snap.order_items).toEqual([]);
    expect(snap.order_refunds).toEqual([]);
    const left = await db.kysely
      .selectFrom('events')
      .select(['anonymous_id', 'user_id'])
      .where('site_id', '=', s)
      .execute();
    expect(left.every((e) => e.anonymous_id === 'b1' && e.user_id === null)).toBe(true);
    expect(left).toHaveLength(5);
    const views = await db.kysely
      .selectFrom('product_views')
      .select(['value', 'product_id'])
      .where('site_id', '=', s)
      .execute();
    expect(views).toEqual([{ value: 'b1', product_id: 'p2' }]);
    expect(
      await db.kysely.selectFrom('profile_classes').select('profile_id').where('site_id', '=', s).execute(),
    ).toEqual([{ profile_id: bob }]);
    expect(await bobRows(s)).toEqual(bobBefore);
    const erasures = await db.kysely.selectFrom('profile_erasures').selectAll().where('site_id', '=', s).execute();
    expect(erasures).toMatchObject([{ profile_id: ana, counts: res.body.counts }]);
    const audited = await db.kysely
      .selectFrom('audit_log')
      .select(['actor', 'action', 'target'])
      .where('site_id', '=', s)
      .where('action', '=', 'profile.erase')
      .execute();
    expect(audited).toEqual([{ actor: 'secret-key', action: 'profile.erase', target: ana }]);
    expect((await api('GET', `/api/profiles/${ana}`)).status).toBe(404);
    expect((await api('DELETE', `/api/profiles/${ana}`)).status).toBe(404);

    await rebuild(db.kysely, { siteId: s });
    expect((await snapshot(db.kysely, s)).profiles?.map((p) => p.profile_id)).toEqual([bob]);
  });

  /** Bob's rows everywhere (derived tables, conversations and answers through their export). */
  async function bobRows(s: string) {
    const snap = await snapshot(db.kysely, s);
    const res = await api('GET', `/api/profiles/${bob}/export`);
    const { exportedAt: _e, ...exported } = (await res.json()) as Record<string, unknown>;
    return {
      profiles: snap.profiles?.filter((p) => p.profile_id === bob),
      orders: snap.orders?.filter((o) => o.profile_id === bob),
      exported,
    };
  }
});
