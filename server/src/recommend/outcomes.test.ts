// What followed recommendation impressions, on a hand-made shop whose every figure is worked out below.
//
// Range 2026-11-02..03 (T0 = 11-02 10:00 UTC), window 7 days. Lists with our list id in the range:
//   p1 (a1, later u1)   [B, C] at T0+1m, clicks B; order o1 at T0+1d: B ×2 at 20 (seen: 40), D ×1 at 10
//                       (D was shown to p1 on 10-31, before the range: not attributed)
//   p2 (a2)             [B, C, B] at T0+1m (B once); order o2 at T0+8d: C (past the 7 days: not attributed)
//   p3 (u3 with a3)     [C] at T0+2h, clicks C; o3 at T0+3h from another device (a3b, merged into u3): C 30;
//                       o4 at T0+2d: C 30 (seen), B 20 (never shown to p3)
//   p6 (a6)             [A] at T0; o6 at T0+1h: A, fully refunded (left out)
// Not ours: p4's list `zapatillas` [D] and a click with that list id; another site's list.
// → lists 4; impressions A 1, B 2, C 3 = 6; clicks B 1, C 1 = 2; orders o1, o3, o4 = 3; units 2 + 1 + 1 = 4;
//   revenue 40 + 30 + 30 = 100 (B 40 in 1 order, C 60 in 2).
// Baseline, product viewers on 11-02..03: p1, p2, p3, p6 saw recommendations; buyers by 11-11 00:00 are
// p1, p2, p3 (p6's order was refunded) → 3 of 4. p4 and p5 saw none; p4 bought → 1 of 2.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDb, testDialects } from '../db/testing.ts';
import { createApp } from '../http/app.ts';
import { Projector } from '../profiles/index.ts';
import { type EventInput, MIN, T0, write } from '../profiles/test-fixtures.ts';
import { createSite } from '../sites/index.ts';
import { RECOMMENDATION_LIST_ID, recommendationOutcomes } from './outcomes.ts';

const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const config = { TRUST_PROXY: false, RATE_LIMIT_RPS: 1000, RATE_LIMIT_BURST: 1000 };

type Who = Pick<EventInput, 'anonymousId' | 'userId'>;

const shown = (at: number, who: Who, ids: string[], listId = RECOMMENDATION_LIST_ID): EventInput => ({
  type: 'track',
  at,
  ...who,
  event: 'Product List Viewed',
  properties: { list_id: listId, products: ids.map((product_id, i) => ({ product_id, position: i + 1 })) },
});

const clicked = (at: number, who: Who, id: string, listId = RECOMMENDATION_LIST_ID): EventInput => ({
  type: 'track',
  at,
  ...who,
  event: 'Product Clicked',
  properties: { list_id: listId, product_id: id, position: 1 },
});

const viewed = (at: number, who: Who, id: string): EventInput => ({
  type: 'track',
  at,
  ...who,
  event: 'Product Viewed',
  properties: { product_id: id, name: `Producto ${id}` },
});

const ordered = (at: number, who: Who, id: string, lines: [string, number, number][]): EventInput => ({
  type: 'track',
  at,
  ...who,
  event: 'Order Completed',
  properties: {
    order_id: id,
    currency: 'EUR',
    total: lines.reduce((sum, [, price, quantity]) => sum + price * quantity, 0),
    products: lines.map(([product_id, price, quantity]) => ({
      product_id,
      name: `Producto ${product_id}`,
      price,
      quantity,
    })),
  },
});

const p1 = { anonymousId: 'a1' };
const p2 = { anonymousId: 'a2' };
const p3 = { anonymousId: 'a3', userId: 'u3' };
const p3b = { anonymousId: 'a3b' };
const p4 = { anonymousId: 'a4' };
const p5 = { anonymousId: 'a5' };
const p6 = { anonymousId: 'a6' };

const SHOP: EventInput[] = [
  shown(T0 - 2 * DAY, p1, ['D']),
  viewed(T0, p1, 'A'),
  shown(T0 + MIN, p1, ['B', 'C']),
  clicked(T0 + 2 * MIN, p1, 'B'),
  ordered(T0 + DAY, p1, 'o1', [
    ['B', 20, 2],
    ['D', 10, 1],
  ]),
  { type: 'identify', at: T0 + DAY + MIN, anonymousId: 'a1', userId: 'u1' },

  viewed(T0, p2, 'A'),
  shown(T0 + MIN, p2, ['B', 'C', 'B']),
  ordered(T0 + 8 * DAY, p2, 'o2', [['C', 30, 1]]),

  viewed(T0 + 2 * HOUR - MIN, p3, 'C'),
  shown(T0 + 2 * HOUR, p3, ['C']),
  clicked(T0 + 2 * HOUR + MIN, p3, 'C'),
  ordered(T0 + 3 * HOUR, p3b, 'o3', [['C', 30, 1]]),
  { type: 'identify', at: T0 + 3 * HOUR + MIN, anonymousId: 'a3b', userId: 'u3' },
  ordered(T0 + 2 * DAY, p3, 'o4', [
    ['C', 30, 1],
    ['B', 20, 1],
  ]),

  viewed(T0, p4, 'D'),
  shown(T0 + MIN, p4, ['D'], 'zapatillas'),
  clicked(T0 + 2 * MIN, p4, 'D', 'zapatillas'),
  ordered(T0 + HOUR, p4, 'o5', [['D', 10, 1]]),

  viewed(T0, p5, 'B'),

  viewed(T0, p6, 'A'),
  shown(T0, p6, ['A']),
  ordered(T0 + HOUR, p6, 'o6', [['A', 15, 1]]),
  { type: 'track', at: T0 + 2 * HOUR, ...p6, event: 'Order Refunded', properties: { order_id: 'o6' } },
];

const QUERY = { from: '2026-11-02', to: '2026-11-03', windowDays: 7, limit: 50, sort: 'impressions' as const };

describe.each(testDialects)('recommendation outcomes on %s', (dialect) => {
  let db: TestDb;
  let site: { siteId: string; secretKey: string };
  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    site = await createSite(db.kysely, { name: `o-${randomUUID()}`, origins: [] });
    const other = await createSite(db.kysely, { name: `o-${randomUUID()}`, origins: [] });
    await write(db.kysely, site.siteId, SHOP);
    await write(db.kysely, other.siteId, [shown(T0, p1, ['B']), clicked(T0 + MIN, p1, 'B')]);
    await new Projector(db.kysely).projectAll();
  });
  afterAll(() => db.close());

  it('counts impressions, clicks and the orders of a shown product within the window, by the same person', async () => {
    const o = await recommendationOutcomes(db.kysely, site.siteId, QUERY);
    expect(o).toEqual({
      from: '2026-11-02',
      to: '2026-11-03',
      windowDays: 7,
      currency: 'EUR',
      listViews: 4,
      impressions: 6,
      clicks: 2,
      ctr: 2 / 6,
      orders: 3,
      units: 4,
      revenue: '100',
      baseline: {
        exposed: { people: 4, buyers: 3, orderRate: 0.75 },
        unexposed: { people: 2, buyers: 1, orderRate: 0.5 },
      },
      days: [{ day: '2026-11-02', impressions: 6, clicks: 2 }],
      productCount: 3,
      products: [
        {
          productId: 'C',
          name: 'Producto C',
          impressions: 3,
          clicks: 1,
          ctr: 1 / 3,
          orders: 2,
          units: 2,
          revenue: '60',
        },
        {
          productId: 'B',
          name: 'Producto B',
          impressions: 2,
          clicks: 1,
          ctr: 0.5,
          orders: 1,
          units: 2,
          revenue: '40',
        },
        { productId: 'A', name: 'Producto A', impressions: 1, clicks: 0, ctr: 0, orders: 0, units: 0, revenue: '0' },
      ],
    });
  });

  it('follows the window and the range: a longer window takes o2 in, an earlier range takes D in', async () => {
    const longer = await recommendationOutcomes(db.kysely, site.siteId, { ...QUERY, windowDays: 9 });
    expect([longer.orders, longer.revenue]).toEqual([4, '130']);
    const earlier = await recommendationOutcomes(db.kysely, site.siteId, { ...QUERY, from: '2026-10-31' });
    expect(earlier.products.find((p) => p.productId === 'D')).toMatchObject({
      impressions: 1,
      orders: 1,
      revenue: '10',
    });
    expect(earlier.days.map((d) => d.day)).toEqual(['2026-10-31', '2026-11-02']);
    const byRevenue = await recommendationOutcomes(db.kysely, site.siteId, { ...QUERY, sort: 'revenue', limit: 1 });
    expect(byRevenue.products.map((p) => p.productId)).toEqual(['C']);
    expect(byRevenue.productCount).toBe(3);
    const empty = await recommendationOutcomes(db.kysely, site.siteId, {
      ...QUERY,
      from: '2026-12-01',
      to: '2026-12-02',
    });
    expect(empty).toMatchObject({ listViews: 0, impressions: 0, ctr: null, orders: 0, revenue: '0', products: [] });
  });

  it('serves GET /api/recommendations/outcomes and names the bad parameter', async () => {
    const { app } = createApp({ db, config });
    const get = (query: string) =>
      app.request(`/api/recommendations/outcomes?${query}`, { headers: { authorization: `Bearer ${site.secretKey}` } });
    const res = await get('from=2026-11-02&to=2026-11-03');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ impressions: 6, clicks: 2, orders: 3, revenue: '100', windowDays: 7 });
    for (const [query, field] of [
      ['to=2026-11-03', 'from'],
      ['from=2026-11-04&to=2026-11-03', 'to'],
      ['from=2026-02-30&to=2026-03-03', 'from'],
      ['from=2025-01-01&to=2026-11-03', 'to'],
      ['from=2026-11-02&to=2026-11-03&windowDays=0', 'windowDays'],
      ['from=2026-11-02&to=2026-11-03&sort=ctr', 'sort'],
    ] as const) {
      const bad = await get(query);
      expect(bad.status, query).toBe(400);
      expect(await bad.json(), query).toMatchObject({ error: { code: 'invalid_query', field } });
    }
  });
});
