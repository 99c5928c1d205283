// The demo: a deterministic history with co-purchase structure, stored through ingestion, support data in every
// complaint state, the shop pages with the write key, and nothing generated twice.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDb, testDialects } from '../db/testing.ts';
import { createApp } from '../http/app.ts';
import { Projector } from '../profiles/index.ts';
import { recommendationOutcomes } from '../recommend/index.ts';
import { categories, products } from './catalog.ts';
import { countHistory, type HistoryOptions, history } from './generate.ts';
import { type DemoSetup, setupDemo } from './index.ts';

const END = new Date('2026-11-23T10:00:00Z');
const small: HistoryOptions = { seed: 7, customers: 80, days: 30, end: END, origin: 'http://localhost:8787' };
const config = { TRUST_PROXY: false, RATE_LIMIT_RPS: 1000, RATE_LIMIT_BURST: 1000 };

describe('generated history', () => {
  it('is the same for the same seed, and another for another seed', () => {
    const a = countHistory(small);
    expect(countHistory(small)).toEqual(a);
    const ids = (o: HistoryOptions) => [...history(o)].flat().map((m) => m.messageId);
    expect(ids(small)).toEqual(ids(small));
    expect(countHistory({ ...small, seed: 8 })).not.toEqual(a);
    expect(a.orders).toBeGreaterThan(10);
    expect(a.clicks).toBeGreaterThan(100);
  });

  it('stays inside its time window', () => {
    const times = [...history(small)].flat().map((m) => Date.parse(m.timestamp));
    expect(Math.max(...times)).toBeLessThanOrEqual(END.getTime());
    expect(Math.min(...times)).toBeGreaterThanOrEqual(END.getTime() - 30 * 86_400_000);
  });

  it('gives orders co-purchase structure: the top pair is bought together far above chance', () => {
    const baskets = [...history({ ...small, customers: 600 })]
      .flat()
      .filter((m) => m.type === 'track' && m.event === 'Order Completed')
      .map((m) => {
        const props = m.properties as { products: { product_id: string }[]; currency: string };
        expect(props.currency).toBe('EUR');
        return [...new Set(props.products.map((p) => p.product_id))];
      });
    const single = new Map<string, number>();
    const pairs = new Map<string, number>();
    for (const b of baskets) {
      for (const p of b) single.set(p, (single.get(p) ?? 0) + 1);
      for (const p of b) for (const q of b) if (p < q) pairs.set(`${p} ${q}`, (pairs.get(`${p} ${q}`) ?? 0) + 1);
    }
    const [top, together] = [...pairs].sort((x, y) => y[1] - x[1])[0] as [string, number];
    const [p, q] = top.split(' ') as [string, string];
    const n = baskets.length;
    const lift = together / n / (((single.get(p) ?? 0) / n) * ((single.get(q) ?? 0) / n));
    expect(together).toBeGreaterThan(20);
    // Twice what independent choices would give (the top family is in ~40 % of baskets, which caps its lift at ~2.5).
    expect(lift).toBeGreaterThan(1.8);
    // The pair is from one family: a kit, not chance.
    const family = (id: string) => products.find((x) => x.product_id === id)?.family;
    expect(family(p)).toBe(family(q));
  });
});

describe.each(testDialects)('demo setup on %s', (dialect) => {
  let db: TestDb;
  let setup: DemoSetup;
  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    setup = await setupDemo(db, {
      port: 8787,
      seed: small.seed,
      customers: small.customers,
      days: small.days,
      end: END,
      chats: 3,
      complaintsPerState: 1,
      surveyResponses: 4,
    });
  }, 60_000);
  afterAll(() => db?.close());

  it('stores every generated event through ingestion', async () => {
    if (!setup.created) throw new Error('expected a new demo');
    const expected = countHistory(small);
    expect(setup.events).toEqual(expected);
    expect(setup.accepted).toBe(expected.events);
    const { rows } = await sql<{ n: string; orders: string }>`
      select count(*) as n, count(*) filter (where event = 'Order Completed') as orders
      from events where site_id = ${setup.siteId}`.execute(db.kysely);
    expect(Number(rows[0]?.n)).toBe(expected.events);
    expect(Number(rows[0]?.orders)).toBe(expected.orders);
    const clicks = await db.kysely
      .selectFrom('events')
      .select(['x', 'y', 'viewport_width', 'selector', 'device_type'])
      .where('site_id', '=', setup.siteId)
      .where('event', '=', '$click')
      .limit(50)
      .execute();
    for (const c of clicks) {
      expect(c.x).toBeGreaterThanOrEqual(0);
      expect(c.x).toBeLessThanOrEqual(c.viewport_width ?? 0);
      expect(c.selector).toBeTruthy();
    }
  });

  it('creates a staff team, chats and complaints in every state, moved by the right roles', async () => {
    if (!setup.created) throw new Error('expected a new demo');
    expect(setup.staff.map((s) => s.role).sort()).toEqual(['admin', 'agent', 'marketer', 'validator']);
    const statuses = await db.kysely
      .selectFrom('conversations')
      .select(['kind', 'status', (eb) => eb.fn.countAll<string>().as('n')])
      .where('site_id', '=', setup.siteId)
      .groupBy(['kind', 'status'])
      .execute();
    const of = (kind: string) =>
      Object.fromEntries(statuses.filter((s) => s.kind === kind).map((s) => [s.status, Number(s.n)]));
    expect(of('complaint')).toEqual({ registered: 1, in_review: 1, validated: 1, rejected: 1, resolved: 1, closed: 1 });
    expect(Object.values(of('chat')).reduce((a, b) => a + b, 0)).toBe(3);
    const transitions = await db.kysely
      .selectFrom('complaint_transitions')
      .select(['action', 'actor_role'])
      .where('site_id', '=', setup.siteId)
      .execute();
    for (const t of transitions) {
      if (t.action === 'validate' || t.action === 'reject') expect(t.actor_role).toBe('validator');
      if (t.action === 'review' || t.action === 'resolve' || t.action === 'close') expect(t.actor_role).toBe('agent');
    }
    expect(setup.support.surveyResponses).toBe(4);
  });

  it('has recommendation impressions, clicks and orders that followed them at realistic rates', async () => {
    await new Projector(db.kysely).projectAll();
    const o = await recommendationOutcomes(db.kysely, setup.siteId, {
      from: '2026-10-24',
      to: '2026-11-23',
      windowDays: 7,
      limit: 10,
      sort: 'impressions',
    });
    expect(o.listViews).toBeGreaterThan(20);
    expect(o.impressions).toBe(4 * o.listViews);
    expect(o.ctr).toBeGreaterThan(0.005);
    expect(o.ctr).toBeLessThan(0.1);
    expect(o.orders).toBeGreaterThan(0);
    expect(Number(o.revenue)).toBeGreaterThan(0);
    expect(o.products[0]?.name).toBeTruthy();
  });

  it('does not generate again on the next start', async () => {
    const again = await setupDemo(db, { port: 8787, customers: small.customers, end: END });
    expect(again).toEqual({ created: false, complete: true, siteId: setup.siteId, writeKey: setup.writeKey });
    const { rows } = await sql<{ n: string }>`select count(*) as n from events`.execute(db.kysely);
    expect(Number(rows[0]?.n)).toBe(setup.created ? setup.accepted : -1);
  });

  it('serves the shop with the write key in the script tag, only with --demo', async () => {
    const { app } = createApp({ db, config, demo: true });
    const home = await app.request('/demo/');
    expect(home.status).toBe(200);
    const html = await home.text();
    expect(html).toContain(`<script async src="/sdk.js" data-key="${setup.writeKey}"></script>`);
    for (const path of [
      `/demo/c/${categories[0]}`,
      `/demo/p/${products[0]?.product_id}`,
      '/demo/cart',
      '/demo/checkout',
      '/demo/shop.js',
      '/demo/shop.css',
    ]) {
      expect((await app.request(path)).status, path).toBe(200);
    }
    expect(await (await app.request(`/demo/p/${products[0]?.product_id}`)).text()).toContain('id="add-to-cart"');
    expect((await app.request('/demo/p/nope')).status).toBe(404);
    const plain = createApp({ db, config });
    expect((await plain.app.request('/demo/')).status).toBe(404);
  });

  it('accepts the shop page clicks the SDK sends from the demo origin', async () => {
    const { app, drain } = createApp({ db, config, demo: true });
    const res = await app.request('/v1/batch', {
      method: 'POST',
      headers: { origin: 'http://127.0.0.1:8787', 'content-type': 'application/json' },
      body: JSON.stringify({
        writeKey: setup.writeKey,
        batch: [
          {
            type: 'track',
            event: '$click',
            anonymousId: 'a-live',
            messageId: 'live-click-1',
            properties: { selector: '#add-to-cart', x: 700, y: 300, vw: 1280, vh: 800 },
            context: { page: { path: '/demo/p/p-101', url: 'http://127.0.0.1:8787/demo/p/p-101' } },
          },
        ],
      }),
    });
    expect(await res.json()).toMatchObject({ accepted: 1 });
    await drain();
    const row = await db.kysely
      .selectFrom('events')
      .select(['url_path', 'selector', 'x'])
      .where('site_id', '=', setup.siteId)
      .where('message_id', '=', 'live-click-1')
      .executeTakeFirst();
    expect(row).toEqual({ url_path: '/demo/p/p-101', selector: '#add-to-cart', x: 700 });
  });
});
