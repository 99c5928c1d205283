import { type Kysely, sql } from 'kysely';

// Recommendations served from precomputed tables, so a request is one or two index range scans:
// - product_views: which products each visitor id viewed on each day (a set: replaying events adds nothing);
//   "viewed together" and the views half of "for you" are read from it.
// - product_pairs / viewed_pairs: per product, its best partners in `rank` order (1 = best), so
//   "the top k partners of P" is the primary-key range (site_id, product_id, rank <= k).
// - product_popularity: products by the number of baskets holding them, `rank` 1 = most popular.
// - recommend_state: per site, a change counter bumped by the projector and the counter value the last
//   refresh saw; the site needs a refresh while they differ.
// Measures are float8: the same IEEE doubles the basket engine computes in JS (pairs.ts, measures.ts).
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's schema type.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table product_views (
      site_id text collate "C" not null,
      kind text not null,
      value text collate "C" not null,
      day date not null,
      product_id text collate "C" not null,
      primary key (site_id, kind, value, day, product_id)
    )`.execute(db);
  await sql`create index product_views_day on product_views (site_id, day)`.execute(db);
  await sql`
    create table product_pairs (
      site_id text collate "C" not null,
      product_id text collate "C" not null,
      rank integer not null,
      other_id text collate "C" not null,
      count integer not null,
      support float8 not null,
      confidence float8 not null,
      lift float8 not null,
      primary key (site_id, product_id, rank)
    )`.execute(db);
  await sql`
    create table viewed_pairs (
      site_id text collate "C" not null,
      product_id text collate "C" not null,
      rank integer not null,
      other_id text collate "C" not null,
      count integer not null,
      confidence float8 not null,
      primary key (site_id, product_id, rank)
    )`.execute(db);
  await sql`
    create table product_popularity (
      site_id text collate "C" not null,
      rank integer not null,
      product_id text collate "C" not null,
      orders integer not null,
      primary key (site_id, rank)
    )`.execute(db);
  await sql`
    create table recommend_state (
      site_id text collate "C" primary key,
      changes bigint not null default 0,
      refreshed_changes bigint not null default 0,
      refreshed_at timestamptz,
      baskets integer not null default 0,
      min_count integer not null default 0
    )`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['recommend_state', 'product_popularity', 'viewed_pairs', 'product_pairs', 'product_views']) {
    await sql`drop table ${sql.table(t)}`.execute(db);
  }
}
