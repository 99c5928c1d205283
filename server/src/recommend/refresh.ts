// Recomputes a site's recommendation tables from its orders and product views, set-based in SQL (a self-join
// grouped by pair is far faster than shipping every order line to JS), and a background job that refreshes the
// sites whose data changed, at most once per interval.
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/index.ts';
import { listSites } from '../sites/index.ts';
import { minimumCount } from './measures.ts';

export interface RefreshOptions {
  /** Partners kept per product (the longest list a request can ask for). */
  top?: number;
  /** A pair must be bought together in at least this share of the baskets... */
  minSupport?: number;
  /** ...and in at least this many baskets: a pair seen once is chance, not a pattern. */
  minCount?: number;
  /** Products viewed together by at least this many visitor-days form a "viewed together" pair. */
  minViewCount?: number;
  /** Days of product views counted, back from the site's latest view. */
  viewDays?: number;
  /** Visitor-days with more distinct products than this are left out (crawlers, bots). */
  maxViewsPerDay?: number;
}

export const REFRESH_DEFAULTS: Required<RefreshOptions> = {
  top: 50,
  minSupport: 0.0001,
  minCount: 2,
  minViewCount: 2,
  viewDays: 90,
  maxViewsPerDay: 50,
};

export interface RefreshResult {
  siteId: string;
  /** N: counted, not fully refunded orders with at least one product. */
  baskets: number;
  /** The co-occurrence count a stored pair reached. */
  minCount: number;
  pairs: number;
  viewedPairs: number;
  products: number;
}

/**
 * The baskets recommendations are computed from: the distinct products of each order in the site's currency
 * (`counted`) that is not fully refunded. A partly refunded order still says what was bought together.
 */
export function basketLines(siteId: string) {
  return sql`
    select distinct i.order_id, i.product_id
    from orders o join order_items i on i.site_id = o.site_id and i.order_id = o.order_id
    where o.site_id = ${siteId} and o.counted and o.status <> 'refunded' and i.product_id is not null`;
}

/** Recomputes one site's tables in one transaction (readers see the old lists or the new ones, never a mix). */
export async function refreshSite(
  db: Kysely<Database>,
  siteId: string,
  options: RefreshOptions = {},
): Promise<RefreshResult | null> {
  const o = { ...REFRESH_DEFAULTS, ...options };
  await db
    .insertInto('recommend_state')
    .values({ site_id: siteId })
    .onConflict((oc) => oc.column('site_id').doNothing())
    .execute();
  return db.transaction().execute(async (trx) => {
    // Another process refreshing the same site: let it finish, its result is as fresh as ours would be.
    const { rows: lock } = await sql<{ ok: boolean }>`
      select pg_try_advisory_xact_lock(hashtext('fideliza.recommend'), hashtext(${siteId})) as ok`.execute(trx);
    if (!lock[0]?.ok) return null;
    // The statements below join CTEs to themselves (baskets, visitor-days); without statistics (PGlite has no
    // autovacuum, Postgres right after a bulk load) the planner takes them for a row or two and nests loops,
    // quadratic in the order lines: 40 s instead of 50 ms for 7,000 lines. Hash and merge joins are always fine here.
    await sql`set local enable_nestloop = off`.execute(trx);
    // Read before computing: changes committed after this point leave the site due again.
    const state = await trx
      .selectFrom('recommend_state')
      .select('changes')
      .where('site_id', '=', siteId)
      .executeTakeFirstOrThrow();

    const { rows: counted } = await sql<{ n: number }>`
      select count(distinct order_id)::int as n from (${basketLines(siteId)}) b`.execute(trx);
    const baskets = counted[0]?.n ?? 0;
    const minCount = Math.max(o.minCount, minimumCount(o.minSupport, baskets));

    for (const table of ['product_pairs', 'viewed_pairs', 'product_popularity'] as const) {
      await trx.deleteFrom(table).where('site_id', '=', siteId).execute();
    }
    // Measures as ruleMeasures() computes them, in the same float8 operations and order, so they agree bit for bit.
    // For one product, ordering by count is ordering by confidence (count / its own basket count).
    const pairs = await sql`
      with b as materialized (${basketLines(siteId)}),
      items as (select product_id, count(*)::int as n from b group by product_id),
      counts as (
        select x.product_id, y.product_id as other_id, count(*)::int as count
        from b x join b y on y.order_id = x.order_id and y.product_id <> x.product_id
        group by x.product_id, y.product_id
        having count(*) >= ${minCount}),
      ranked as (
        select c.*, row_number() over (partition by c.product_id order by c.count desc, c.other_id) as rank from counts c)
      insert into product_pairs (site_id, product_id, rank, other_id, count, support, confidence, lift)
      select ${siteId}, r.product_id, r.rank, r.other_id, r.count,
        r.count::float8 / ${baskets}::float8,
        r.count::float8 / a.n::float8,
        ((r.count::float8 / a.n::float8) * ${baskets}::float8) / c.n::float8
      from ranked r join items a on a.product_id = r.product_id join items c on c.product_id = r.other_id
      where r.rank <= ${o.top}`.execute(trx);

    const popular = await sql`
      insert into product_popularity (site_id, rank, product_id, orders)
      select ${siteId}, row_number() over (order by count(*) desc, product_id), product_id, count(*)
      from (${basketLines(siteId)}) b group by product_id`.execute(trx);

    const viewed = await sql`
      with v as materialized (
        select kind, value, day, product_id, count(*) over (partition by kind, value, day) as n
        from product_views
        where site_id = ${siteId}
          and day > (select max(day) from product_views where site_id = ${siteId}) - ${o.viewDays}::int),
      kept as materialized (select kind, value, day, product_id from v where n <= ${o.maxViewsPerDay}),
      items as (select product_id, count(*)::int as n from kept group by product_id),
      counts as (
        select x.product_id, y.product_id as other_id, count(*)::int as count
        from kept x join kept y on y.kind = x.kind and y.value = x.value and y.day = x.day and y.product_id <> x.product_id
        group by x.product_id, y.product_id
        having count(*) >= ${o.minViewCount}),
      ranked as (
        select c.*, row_number() over (partition by c.product_id order by c.count desc, c.other_id) as rank from counts c)
      insert into viewed_pairs (site_id, product_id, rank, other_id, count, confidence)
      select ${siteId}, r.product_id, r.rank, r.other_id, r.count, r.count::float8 / a.n::float8
      from ranked r join items a on a.product_id = r.product_id
      where r.rank <= ${o.top}`.execute(trx);

    await trx
      .updateTable('recommend_state')
      .set({ refreshed_changes: state.changes, refreshed_at: new Date(), baskets, min_count: minCount })
      .where('site_id', '=', siteId)
      .execute();
    return {
      siteId,
      baskets,
      minCount,
      pairs: Number(pairs.numAffectedRows ?? 0),
      viewedPairs: Number(viewed.numAffectedRows ?? 0),
      products: Number(popular.numAffectedRows ?? 0),
    };
  });
}

/** Sites whose data changed since their last refresh, and sites never refreshed. */
export async function dueSites(db: Kysely<Database>): Promise<string[]> {
  const sites = (await listSites(db)).map((s) => s.siteId);
  if (sites.length === 0) return [];
  const fresh = await db
    .selectFrom('recommend_state')
    .select('site_id')
    .where('site_id', 'in', sites)
    .whereRef('changes', '=', 'refreshed_changes')
    .where('refreshed_at', 'is not', null)
    .execute();
  const done = new Set(fresh.map((r) => r.site_id));
  return sites.filter((s) => !done.has(s));
}

/** Refreshes every due site (or the given ones), one after another; returns what was refreshed. */
export async function refreshDue(
  db: Kysely<Database>,
  options: RefreshOptions & { siteIds?: string[] } = {},
): Promise<RefreshResult[]> {
  const { siteIds, ...refresh } = options;
  const out: RefreshResult[] = [];
  for (const siteId of siteIds ?? (await dueSites(db))) {
    const r = await refreshSite(db, siteId, refresh);
    if (r) out.push(r);
  }
  return out;
}

export interface RefresherOptions extends RefreshOptions {
  /** How often to look for due sites: a site is recomputed at most once per interval. */
  intervalMs?: number;
}

/** The background job: started and stopped with the server. */
export class RecommendationRefresher {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private readonly intervalMs: number;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly options: RefresherOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 30_000;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /** Lets a refresh in progress finish, then stops. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One pass now (tests; after a rebuild). */
  tick(): Promise<void> {
    this.running ??= refreshDue(this.db, this.options)
      .then(() => undefined)
      .catch((error: unknown) => console.error('recommendations: refresh failed, will retry', error))
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  private schedule(delay: number): void {
    this.timer = setTimeout(async () => {
      await this.tick();
      if (!this.stopped) this.schedule(this.intervalMs);
    }, delay);
    this.timer.unref();
  }
}
