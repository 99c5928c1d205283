// Orders, refunds and products from e-commerce events: exact decimals, one currency per site, idempotent orders.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDb, testDialects } from '../db/testing.ts';
import { createSite } from '../sites/index.ts';
import { Projector, profileIdFor } from './index.ts';
import { MIN, snapshot, T0, write } from './test-fixtures.ts';

const DAY = 24 * 60 * MIN;
const order = (at: number, properties: Record<string, unknown>) =>
  ({ type: 'track', at, anonymousId: 'c1', event: 'Order Completed', properties }) as const;
const refund = (at: number, properties: Record<string, unknown>) =>
  ({ type: 'track', at, anonymousId: 'c1', event: 'Order Refunded', properties }) as const;

describe.each(testDialects)('orders and products on %s', (dialect) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDatabase(dialect);
  });
  afterAll(() => db.close());

  it('stores orders and lines exactly, ignores a repeated order id, keeps other currencies out of revenue and applies refunds', async () => {
    const site = (await createSite(db.kysely, { name: `o-${randomUUID()}`, origins: [] })).siteId;
    await write(db.kysely, site, [
      order(T0, {
        order_id: 'o1',
        total: 0.1,
        currency: 'eur',
        products: [
          { product_id: 'p1', sku: 'S1', name: 'Calcetín', price: 0.05, quantity: 2, category: 'ropa', brand: 'X' },
        ],
      }),
      order(T0 + DAY, {
        order_id: 'o2',
        total: 0.2,
        currency: 'EUR',
        products: [
          { product_id: 'p1', price: 0.05, quantity: 2 },
          { product_id: 'p2', price: 0.1 },
        ],
      }),
      order(T0 + 2 * DAY, { order_id: 'o1', total: 99, currency: 'EUR' }),
      order(T0 + 3 * DAY, { order_id: 'o3', total: 50, currency: 'USD' }),
      // No total: the sum of the lines, 3 × 12.345.
      order(T0 + 4 * DAY, {
        order_id: 'o4',
        currency: 'EUR',
        products: [{ product_id: 'p3', price: '12.345', quantity: 3 }],
      }),
      // One product back, priced from the order's line.
      refund(T0 + 5 * DAY, { order_id: 'o2', products: [{ product_id: 'p2' }] }),
      // No amount and no products: the whole order.
      refund(T0 + 6 * DAY, { order_id: 'o4' }),
      order(T0 + 7 * DAY, { order_id: 'bad', total: '12,50', currency: 'EUR' }),
    ]);
    await new Projector(db.kysely, { batchSize: 3 }).projectAll();
    const snap = await snapshot(db.kysely, site);
    const profileId = profileIdFor(site, 'anonymous', 'c1');

    expect(snap.site_commerce).toEqual([{ site_id: site, currency: 'EUR' }]);
    expect(
      snap.orders?.map((o) => [o.order_id, o.total, o.currency, o.counted, o.refunded, o.status, o.profile_id]),
    ).toEqual([
      ['o1', '0.1', 'EUR', true, '0', 'completed', profileId],
      ['o2', '0.2', 'EUR', true, '0.1', 'partially_refunded', profileId],
      ['o3', '50', 'USD', false, '0', 'completed', profileId],
      ['o4', '37.035', 'EUR', true, '37.035', 'refunded', profileId],
    ]);
    expect(snap.order_items?.map((i) => [i.order_id, i.line, i.product_id, i.price, i.quantity])).toEqual([
      ['o1', 1, 'p1', '0.05', 2],
      ['o2', 1, 'p1', '0.05', 2],
      ['o2', 2, 'p2', '0.1', 1],
      ['o4', 1, 'p3', '12.345', 3],
    ]);
    expect(snap.order_refunds?.map((r) => [r.order_id, r.amount]).sort()).toEqual([
      ['o2', '0.1'],
      ['o4', null],
    ]);
    // Revenue: 0.1 + (0.2 − 0.1) + (37.035 − 37.035), in exact decimals (floats would give 0.20000000000000004).
    expect(snap.profiles).toMatchObject([
      {
        orders: 2,
        revenue: '0.200',
        average_order_value: '0.10',
        first_order_at: new Date(T0),
        last_order_at: new Date(T0 + 4 * DAY),
        sessions: 8,
      },
    ]);
    expect(snap.products?.map((p) => [p.product_id, p.sku, p.name, p.price, p.category, p.brand])).toEqual([
      ['p1', 'S1', 'Calcetín', '0.05', 'ropa', 'X'],
      ['p2', null, null, '0.1', null, null],
      ['p3', null, null, '12.345', null, null],
    ]);
  });

  it('applies a refund that is projected before its order', async () => {
    const site = (await createSite(db.kysely, { name: `r-${randomUUID()}`, origins: [] })).siteId;
    await write(db.kysely, site, [refund(T0, { order_id: 'late', total: '4.50' })]);
    const projector = new Projector(db.kysely);
    await projector.projectAll();
    await write(db.kysely, site, [order(T0 - MIN, { order_id: 'late', total: '10.00', currency: 'EUR' })]);
    await projector.projectAll();
    const snap = await snapshot(db.kysely, site);
    expect(snap.orders).toMatchObject([
      { order_id: 'late', total: '10.00', refunded: '4.50', status: 'partially_refunded' },
    ]);
    expect(snap.profiles).toMatchObject([{ orders: 1, revenue: '5.50' }]);
  });
});
