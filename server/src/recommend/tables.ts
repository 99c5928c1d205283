// Tables owned by the recommend capability: visitors' product views and the precomputed recommendation tables.
import type { ColumnType } from 'kysely';

/** bigint counters: pg returns int8 as a string, so they are read as text and compared in SQL. */
type Counter = ColumnType<string, number | string | undefined, number | string>;

export interface ProductViewsTable {
  site_id: string;
  /** The identity that viewed: an anonymous id when the event had one, else the user id. */
  kind: 'anonymous' | 'user';
  value: string;
  /** UTC day of the view: products viewed by one id on one day are "viewed together". */
  day: ColumnType<string, string, string>;
  product_id: string;
}

export interface ProductPairsTable {
  site_id: string;
  product_id: string;
  /** 1 = the partner with the highest confidence (then count, then id). */
  rank: number;
  other_id: string;
  count: number;
  support: number;
  confidence: number;
  lift: number;
}

export interface ViewedPairsTable {
  site_id: string;
  product_id: string;
  rank: number;
  other_id: string;
  count: number;
  confidence: number;
}

export interface ProductPopularityTable {
  site_id: string;
  rank: number;
  product_id: string;
  /** Baskets holding the product. */
  orders: number;
}

export interface RecommendStateTable {
  site_id: string;
  /** Bumped by the projector whenever it writes orders, refunds or product views of the site. */
  changes: Counter;
  /** `changes` as the last refresh read it before computing. */
  refreshed_changes: Counter;
  refreshed_at: Date | null;
  /** N of the last refresh: counted, not fully refunded orders with at least one product. */
  baskets: ColumnType<number, number | undefined, number>;
  /** The co-occurrence count a pair needed to be stored in the last refresh. */
  min_count: ColumnType<number, number | undefined, number>;
}

export interface RecommendTables {
  product_views: ProductViewsTable;
  product_pairs: ProductPairsTable;
  viewed_pairs: ViewedPairsTable;
  product_popularity: ProductPopularityTable;
  recommend_state: RecommendStateTable;
}
