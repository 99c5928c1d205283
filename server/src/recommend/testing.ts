// Test helpers: a shop with a hand-computed answer, written as events and projected.
//
// Counted baskets (N = 7): o1 {A,B,C}, o2 {A,B} (bought by c1 = user u1), o3 {A,B}, o4 {A,C}, o5 {B,D}, o6 {E},
// o9 {C,D} (partly refunded: still counted). Left out: o7 {A,D} (fully refunded), o8 {A,D} (another currency).
// Items: A 4, B 4, C 3, D 2, E 1. Pairs: AB 3, AC 2, BC 1, BD 1, CD 1. With a minimum of 2 baskets only AB and AC
// are stored (both ways round); AD would reach 2 if o7 or o8 were wrongly counted.
// Views (one day): v1 {A,E}, v2 {A,E}, v3 {D,E}: viewed together AE 2 (kept), DE 1 (below the minimum of 2).
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.ts';
import { Projector } from '../profiles/index.ts';
import { type EventInput, MIN, T0, write } from '../profiles/test-fixtures.ts';

const line = (id: string) => ({ product_id: id, name: `Producto ${id}`, price: 10, quantity: 1 });

export const order = (n: number, who: string, items: string[], currency = 'EUR'): EventInput => ({
  type: 'track',
  at: T0 + n * MIN,
  anonymousId: who,
  event: 'Order Completed',
  properties: { order_id: `o${n}`, total: 10 * items.length, currency, products: items.map(line) },
});

const view = (n: number, who: string, product: string): EventInput => ({
  type: 'track',
  at: T0 + 60 * MIN + n * MIN,
  anonymousId: who,
  event: 'Product Viewed',
  properties: {
    product_id: product,
    name: `Producto ${product}`,
    price: 10,
    url: `https://tienda.example/p/${product}`,
  },
});

export const BASKETS = [['A', 'B', 'C'], ['A', 'B'], ['A', 'B'], ['A', 'C'], ['B', 'D'], ['E'], ['C', 'D']];

export async function writeShop(db: Kysely<Database>, siteId: string): Promise<void> {
  await write(db, siteId, [
    order(1, 'x1', ['A', 'B', 'C']),
    order(2, 'c1', ['A', 'B']),
    { type: 'identify', at: T0 + 2 * MIN + 1000, anonymousId: 'c1', userId: 'u1' },
    order(3, 'x3', ['A', 'B']),
    order(4, 'x4', ['A', 'C']),
    order(5, 'x5', ['B', 'D']),
    order(6, 'x6', ['E']),
    order(7, 'x7', ['A', 'D']),
    order(8, 'x8', ['A', 'D'], 'USD'),
    order(9, 'x9', ['C', 'D']),
    { type: 'track', at: T0 + 30 * MIN, anonymousId: 'x7', event: 'Order Refunded', properties: { order_id: 'o7' } },
    {
      type: 'track',
      at: T0 + 31 * MIN,
      anonymousId: 'x9',
      event: 'Order Refunded',
      properties: { order_id: 'o9', products: [{ product_id: 'D' }] },
    },
    view(1, 'v1', 'A'),
    view(2, 'v1', 'E'),
    view(3, 'v2', 'A'),
    view(4, 'v2', 'E'),
    view(5, 'v2', 'A'),
    view(6, 'v3', 'D'),
    view(7, 'v3', 'E'),
  ]);
  await new Projector(db).projectAll();
}
