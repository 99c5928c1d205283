// Reads recommendations from the precomputed tables: each answer is one or two primary-key range scans.
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/index.ts';
import { type PairEvidence, rankRecommendations } from './score.ts';

export type Reason = 'bought_together' | 'viewed_together' | 'popular';

export interface ProductInfo {
  name: string | null;
  /** Exact decimal as text. */
  price: string | null;
  currency: string | null;
  url: string | null;
  imageUrl: string | null;
}

export interface RecommendedProduct extends ProductInfo {
  productId: string;
  reason: Reason;
  /** Confidence (summed over the held products for "for you"); 0 for a popular fill-in. */
  score: number;
  /** Baskets (or visitor-days, when viewed together) holding both; for a popular one, baskets holding it. */
  count: number;
}

/** At most this many products a person holds are used as evidence (most recent first). */
export const MAX_HELD_BOUGHT = 20;
export const MAX_HELD_VIEWED = 10;

const SOURCE: Reason[] = ['bought_together', 'viewed_together', 'popular'];

interface CandidateRow {
  src: number;
  id: string;
  count: number;
  confidence: number | null;
  name: string | null;
  price: string | null;
  currency: string | null;
  url: string | null;
  image_url: string | null;
}

const info = (r: Pick<CandidateRow, 'name' | 'price' | 'currency' | 'url' | 'image_url'> | undefined): ProductInfo => ({
  name: r?.name ?? null,
  price: r?.price ?? null,
  currency: r?.currency ?? null,
  url: r?.url ?? null,
  imageUrl: r?.image_url ?? null,
});

/**
 * "Frequently bought together" with `productId`: its stored partners by confidence (pairs below the minimum
 * support were never stored), then products viewed together with it, then popular ones; never itself.
 * An unknown product simply has no partners, so it gets the popular products.
 */
export async function boughtTogether(
  db: Kysely<Database>,
  siteId: string,
  productId: string,
  limit: number,
): Promise<RecommendedProduct[]> {
  // Deduplicated and cut to the limit before products is joined, so the join is `limit` index lookups.
  const { rows } = await sql<CandidateRow>`
    with c as (
      (select 0 as src, rank, other_id as id, count, confidence from product_pairs
        where site_id = ${siteId} and product_id = ${productId} and rank <= ${limit})
      union all
      (select 1, rank, other_id, count, confidence from viewed_pairs
        where site_id = ${siteId} and product_id = ${productId} and rank <= ${limit})
      union all
      (select 2, rank, product_id, orders, null from product_popularity where site_id = ${siteId} and rank <= ${limit + 1})),
    best as (select distinct on (id) * from c where id <> ${productId} order by id, src, rank),
    top as (select * from best order by src, rank limit ${limit})
    select t.src, t.id, t.count, t.confidence, p.name, p.price::text as price, p.currency, p.url, p.image_url
    from top t left join lateral (
      select * from products p where p.site_id = ${siteId} and p.product_id = t.id) p on true
    order by t.src, t.rank`.execute(db);
  return rows.map((r) => ({
    productId: r.id,
    reason: SOURCE[r.src]!,
    score: r.confidence ?? 0,
    count: r.count,
    ...info(r),
  }));
}

export type DetailsLoader = (
  db: Kysely<Database>,
  siteId: string,
  ids: string[],
) => Promise<(productId: string) => ProductInfo>;

/** Name, price, url and image of the given products (unknown ones get nulls). */
export const productDetails: DetailsLoader = async (db, siteId, ids) => {
  const found = new Map<string, ProductInfo>();
  if (ids.length > 0) {
    const products = await db
      .selectFrom('products')
      .select(['product_id', 'name', sql<string | null>`price::text`.as('price'), 'currency', 'url', 'image_url'])
      .where('site_id', '=', siteId)
      .where('product_id', 'in', ids)
      .execute();
    for (const p of products) found.set(p.product_id, info(p));
  }
  return (id) => found.get(id) ?? info(undefined);
};

export interface Person {
  anonymousId?: string | undefined;
  userId?: string | undefined;
}

/**
 * "For you": products bought together with what the person bought or viewed, ranked by rankRecommendations
 * (summed confidence), then products viewed together with those, then popular ones. Nothing the person bought
 * (or recently viewed: those are the evidence, and a shop's "recently viewed" list shows them) is offered.
 * An unknown person holds nothing and gets the popular products.
 */
export async function forPerson(
  db: Kysely<Database>,
  siteId: string,
  person: Person,
  limit: number,
  loadDetails?: DetailsLoader,
): Promise<RecommendedProduct[]> {
  // One statement: what the person holds (the products of their orders, any status, and of their latest
  // views), the stored partners of those products, and the popular ones; src says which is which.
  const { rows } = await sql<{
    src: 'bought' | 'viewed' | '0' | '1' | '2';
    of: string | null;
    rank: number;
    id: string;
    count: number;
    confidence: number | null;
  }>`
    with me as (
      select profile_id from identities
      where site_id = ${siteId}
        and ((kind = 'user' and value = ${person.userId ?? null})
          or (kind = 'anonymous' and value = ${person.anonymousId ?? null}))
      order by kind = 'user' desc limit 1),
    ids as (select i.kind, i.value from identities i join me on i.profile_id = me.profile_id where i.site_id = ${siteId}),
    bought as (
      select i.product_id, max(o.ordered_at) as at
      from orders o join me on o.profile_id = me.profile_id
        join order_items i on i.site_id = o.site_id and i.order_id = o.order_id
      where o.site_id = ${siteId} and i.product_id is not null
      group by i.product_id order by at desc, i.product_id limit ${MAX_HELD_BOUGHT}),
    viewed as (
      select v.product_id, max(v.day) as day
      from product_views v join ids on v.kind = ids.kind and v.value = ids.value
      where v.site_id = ${siteId}
      group by v.product_id order by day desc, v.product_id limit ${MAX_HELD_VIEWED}),
    held as materialized (select product_id from bought union select product_id from viewed)
    (select 'bought' as src, null as of, 0 as rank, product_id as id, 0 as count, null::float8 as confidence from bought)
    union all
    (select 'viewed', null, 0, product_id, 0, null from viewed)
    union all
    (select '0', product_id, rank, other_id, count, confidence from product_pairs
      where site_id = ${siteId} and product_id in (select product_id from held))
    union all
    (select '1', product_id, rank, other_id, count, confidence from viewed_pairs
      where site_id = ${siteId} and product_id in (select product_id from held))
    union all
    (select '2', null, rank, product_id, orders, null from product_popularity
      where site_id = ${siteId} and rank <= ${limit + MAX_HELD_BOUGHT + MAX_HELD_VIEWED})
    order by src, rank`.execute(db);
  const held = new Set(rows.filter((r) => r.src === 'bought' || r.src === 'viewed').map((r) => r.id));

  const pairs: PairEvidence[] = [];
  const viewedScore = new Map<string, { score: number; count: number }>();
  const popular: string[] = [];
  const popularCount = new Map<string, number>();
  for (const r of rows) {
    if (r.src === '0')
      pairs.push({ antecedent: r.of ?? '', consequent: r.id, count: r.count, confidence: r.confidence ?? 0 });
    else if (r.src === '1') {
      const v = viewedScore.get(r.id) ?? { score: 0, count: 0 };
      v.score += r.confidence ?? 0;
      v.count += r.count;
      viewedScore.set(r.id, v);
    } else if (r.src === '2') {
      popular.push(r.id);
      popularCount.set(r.id, r.count);
    }
  }
  // The fill-in after co-purchases: viewed-together first (summed confidence), then popularity.
  const viewedFill = [...viewedScore]
    .sort(([a, x], [b, y]) => y.score - x.score || y.count - x.count || (a < b ? -1 : a > b ? 1 : 0))
    .map(([id]) => id);
  const ranked = rankRecommendations({ held, pairs, popular: [...viewedFill, ...popular], k: limit });

  const details = await (loadDetails ?? productDetails)(
    db,
    siteId,
    ranked.map((r) => r.item),
  );
  return ranked.map((r) => {
    const v = viewedScore.get(r.item);
    if (r.reason === 'bought-together') {
      return {
        productId: r.item,
        reason: 'bought_together',
        score: r.score,
        count: r.together,
        ...details(r.item),
      };
    }
    if (v)
      return {
        productId: r.item,
        reason: 'viewed_together',
        score: v.score,
        count: v.count,
        ...details(r.item),
      };
    return {
      productId: r.item,
      reason: 'popular',
      score: 0,
      count: popularCount.get(r.item) ?? 0,
      ...details(r.item),
    };
  });
}
