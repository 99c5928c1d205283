// Precomputed tables and the answers read from them, on a shop whose answer is computed by hand (see testing.ts).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDb, testDialects } from '../db/testing.ts';
import { Projector, rebuild } from '../profiles/index.ts';
import { write } from '../profiles/test-fixtures.ts';
import { createSite } from '../sites/index.ts';
import { countPairs, pairStats, topPartners } from './pairs.ts';
import { dueSites, RecommendationRefresher, refreshDue, refreshSite } from './refresh.ts';
import { boughtTogether, forPerson } from './store.ts';
import { BASKETS, order, writeShop } from './testing.ts';
import { eraseProductViews, productViewsOf } from './views.ts';

const pick = (list: { productId: string; reason: string }[]) => list.map((r) => [r.productId, r.reason]);

describe.each(testDialects)('recommendation tables on %s', (dialect) => {
  let db: TestDb;
  let site: string;
  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    site = (await createSite(db.kysely, { name: `r-${randomUUID()}`, origins: [] })).siteId;
    await writeShop(db.kysely, site);
    await refreshSite(db.kysely, site);
  });
  afterAll(() => db.close());

  it('stores the hand-computed pairs: minimum support applied, refunded and foreign-currency orders left out', async () => {
    const pairs = await db.kysely
      .selectFrom('product_pairs')
      .select(['product_id', 'rank', 'other_id', 'count', 'support', 'confidence', 'lift'])
      .where('site_id', '=', site)
      .orderBy('product_id')
      .orderBy('rank')
      .execute();
    expect(pairs).toEqual([
      { product_id: 'A', rank: 1, other_id: 'B', count: 3, support: 3 / 7, confidence: 3 / 4, lift: (0.75 * 7) / 4 },
      { product_id: 'A', rank: 2, other_id: 'C', count: 2, support: 2 / 7, confidence: 2 / 4, lift: (0.5 * 7) / 3 },
      { product_id: 'B', rank: 1, other_id: 'A', count: 3, support: 3 / 7, confidence: 3 / 4, lift: (0.75 * 7) / 4 },
      { product_id: 'C', rank: 1, other_id: 'A', count: 2, support: 2 / 7, confidence: 2 / 3, lift: ((2 / 3) * 7) / 4 },
    ]);
    // The same numbers as the JS engine on the same baskets, for every pair that reaches two baskets.
    const counts = countPairs(BASKETS);
    const engine = [...pairStats(counts)].filter((p) => p.count >= 2);
    expect(engine.map((p) => [p.antecedent, p.consequent, p.count, p.support, p.confidence, p.lift]).sort()).toEqual(
      pairs.map((p) => [p.product_id, p.other_id, p.count, p.support, p.confidence, p.lift]).sort(),
    );
    expect(topPartners(counts, 'A', 2).map((p) => p.consequent)).toEqual(['B', 'C']);

    const popularity = await db.kysely
      .selectFrom('product_popularity')
      .select(['rank', 'product_id', 'orders'])
      .where('site_id', '=', site)
      .orderBy('rank')
      .execute();
    expect(popularity.map((p) => [p.rank, p.product_id, p.orders])).toEqual([
      [1, 'A', 4],
      [2, 'B', 4],
      [3, 'C', 3],
      [4, 'D', 2],
      [5, 'E', 1],
    ]);
    const viewed = await db.kysely
      .selectFrom('viewed_pairs')
      .select(['product_id', 'rank', 'other_id', 'count', 'confidence'])
      .where('site_id', '=', site)
      .orderBy('product_id')
      .execute();
    expect(viewed).toEqual([
      { product_id: 'A', rank: 1, other_id: 'E', count: 2, confidence: 1 },
      { product_id: 'E', rank: 1, other_id: 'A', count: 2, confidence: 2 / 3 },
    ]);
    const state = await db.kysely
      .selectFrom('recommend_state')
      .select(['baskets', 'min_count'])
      .where('site_id', '=', site)
      .executeTakeFirstOrThrow();
    expect(state).toEqual({ baskets: 7, min_count: 2 });
  });

  it('answers "bought together" by confidence, then viewed together, then popular, never the product itself', async () => {
    const a = await boughtTogether(db.kysely, site, 'A', 4);
    expect(a.map((r) => [r.productId, r.reason, r.score, r.count])).toEqual([
      ['B', 'bought_together', 0.75, 3],
      ['C', 'bought_together', 0.5, 2],
      ['E', 'viewed_together', 1, 2],
      ['D', 'popular', 0, 2],
    ]);
    // Details from the products table (url from the Product Viewed event, price as an exact decimal).
    expect(a[2]).toMatchObject({ name: 'Producto E', price: '10', url: 'https://tienda.example/p/E' });
    // D was bought with B and with C once each: below the minimum support, so only popular products.
    expect(pick(await boughtTogether(db.kysely, site, 'D', 4))).toEqual([
      ['A', 'popular'],
      ['B', 'popular'],
      ['C', 'popular'],
      ['E', 'popular'],
    ]);
    expect(pick(await boughtTogether(db.kysely, site, 'E', 3))).toEqual([
      ['A', 'viewed_together'],
      ['B', 'popular'],
      ['C', 'popular'],
    ]);
    expect(pick(await boughtTogether(db.kysely, site, 'unknown', 2))).toEqual([
      ['A', 'popular'],
      ['B', 'popular'],
    ]);
    expect(pick(await boughtTogether(db.kysely, site, 'A', 1))).toEqual([['B', 'bought_together']]);
  });

  it('answers "for you" from what the person bought and viewed, never offering what they bought', async () => {
    // c1 bought A and B (o2): C is bought with A; E viewed with A; then popular D.
    const c1 = await forPerson(db.kysely, site, { anonymousId: 'c1' }, 4);
    expect(c1.map((r) => [r.productId, r.reason, r.score, r.count])).toEqual([
      ['C', 'bought_together', 0.5, 2],
      ['E', 'viewed_together', 1, 2],
      ['D', 'popular', 0, 2],
    ]);
    // The same person by the user id they identified with.
    expect(await forPerson(db.kysely, site, { userId: 'u1' }, 4)).toEqual(c1);
    // v1 viewed A and E and bought nothing: A's partners, then popular.
    expect(pick(await forPerson(db.kysely, site, { anonymousId: 'v1' }, 3))).toEqual([
      ['B', 'bought_together'],
      ['C', 'bought_together'],
      ['D', 'popular'],
    ]);
    expect(pick(await forPerson(db.kysely, site, { anonymousId: 'nobody' }, 2))).toEqual([
      ['A', 'popular'],
      ['B', 'popular'],
    ]);
  });

  it('marks the site when new orders are projected and the refresher picks them up', async () => {
    expect(await dueSites(db.kysely)).not.toContain(site);
    // A second {B, D} basket: BD reaches the minimum of two baskets.
    await write(db.kysely, site, [order(10, 'x10', ['B', 'D'])]);
    await new Projector(db.kysely).projectAll();
    expect(await dueSites(db.kysely)).toContain(site);
    expect(pick(await boughtTogether(db.kysely, site, 'D', 1))).toEqual([['A', 'popular']]);

    const refresher = new RecommendationRefresher(db.kysely);
    await refresher.tick();
    expect(await dueSites(db.kysely)).not.toContain(site);
    const d = await boughtTogether(db.kysely, site, 'D', 1);
    expect(d.map((r) => [r.productId, r.reason, r.score, r.count])).toEqual([['B', 'bought_together', 2 / 3, 2]]);
  });

  it('keeps views as a set through a rebuild, gives the same tables after it, and erases a person on request', async () => {
    const views = () =>
      db.kysely
        .selectFrom('product_views')
        .selectAll()
        .where('site_id', '=', site)
        .orderBy('value')
        .orderBy('product_id')
        .execute();
    const pairs = () =>
      db.kysely
        .selectFrom('product_pairs')
        .selectAll()
        .where('site_id', '=', site)
        .orderBy('product_id')
        .orderBy('rank')
        .execute();
    const before = { views: await views(), pairs: await pairs() };
    expect(before.views.map((v) => [v.value, v.product_id])).toEqual([
      ['v1', 'A'],
      ['v1', 'E'],
      ['v2', 'A'],
      ['v2', 'E'],
      ['v3', 'D'],
      ['v3', 'E'],
    ]);
    await rebuild(db.kysely, { siteId: site });
    expect(await dueSites(db.kysely)).toContain(site);
    await refreshDue(db.kysely, { siteIds: [site] });
    expect({ views: await views(), pairs: await pairs() }).toEqual(before);

    expect(
      (await productViewsOf(db.kysely, site, { anonymousIds: ['v1'], userIds: [] })).map((v) => v.product_id),
    ).toEqual(['A', 'E']);
    await eraseProductViews(db.kysely, site, { anonymousIds: ['v1'], userIds: [] });
    expect(await productViewsOf(db.kysely, site, { anonymousIds: ['v1'], userIds: [] })).toEqual([]);
    expect(await dueSites(db.kysely)).toContain(site);
  });
});
