// Classifies every profile of a site in one set-based statement: lifecycle, RFM scores and segment, ABC class,
// premium and churn risk (rules in the README, "Classification"). Only rows whose values change are written.
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/index.ts';
import { findSiteById, type SiteSettings } from '../sites/index.ts';
import { rfmSegmentSql } from './rfm.ts';

export interface ClassifyOptions {
  /** The moment recency, lapsing and churn are measured from (tests fix it). */
  now?: Date;
}

export interface ClassifyResult {
  /** Rows inserted or changed. */
  changed: number;
  /** Rows of profiles that no longer exist (merged away, erased). */
  removed: number;
}

/** Score 1–5 from a rank: 1 + ⌊5 × (customers strictly worse) / customers⌋, so equal values get equal scores. */
const score = (rank: ReturnType<typeof sql>) => sql`(1 + (5 * (${rank} - 1)) / n)::smallint`;

/**
 * Recomputes the site's classification. Customers are profiles with at least one counted order that is not
 * fully refunded; frequency, revenue and order dates come from those orders (a refunded order is no visit).
 */
export async function classifySite(
  db: Kysely<Database>,
  siteId: string,
  options: ClassifyOptions = {},
): Promise<ClassifyResult> {
  const site = await findSiteById(db, siteId);
  if (!site) return { changed: 0, removed: 0 };
  const statement = classifyStatement(siteId, site.settings.knowledge, options.now ?? new Date());
  const { rows } = await db.transaction().execute(async (trx) => {
    // Four sorts of every customer: in memory rather than on disk; JIT compiles longer than this runs.
    await sql`set local work_mem = '64MB'`.execute(trx);
    await sql`set local jit = off`.execute(trx);
    return statement.execute(trx);
  });
  return { changed: Number(rows[0]?.changed ?? 0), removed: Number(rows[0]?.removed ?? 0) };
}

/** The one statement (exported for EXPLAIN in benchmarks). */
export function classifyStatement(siteId: string, knowledge: SiteSettings['knowledge'], at: Date) {
  const { lapsedAfterDays, premiumSpend } = knowledge;
  const now = at.toISOString();
  const s = siteId;
  return sql<{ changed: string; removed: string }>`
    with agg as (
      select o.profile_id,
        count(*) as orders,
        sum(o.total - o.refunded) as revenue,
        min(o.ordered_at) as first_at,
        max(o.ordered_at) as last_at
      from orders o
      where o.site_id = ${s} and o.counted and o.status <> 'refunded'
      group by o.profile_id
    ),
    cust as (
      select a.*, extract(epoch from (${now}::timestamptz - a.last_at)) as since,
        greatest(0, floor(extract(epoch from (${now}::timestamptz - a.last_at)) / 86400))::int as days
      from agg a
      join profiles p on p.site_id = ${s} and p.profile_id = a.profile_id
    ),
    -- Materialized: computed once. Inlined, a planner without statistics (PGlite has no autovacuum; Postgres right
    -- after a bulk load) re-aggregates it for every customer in a nested loop, quadratic in the customers.
    totals as materialized (select count(*) as n, coalesce(sum(revenue), 0) as total from cust),
    -- Whole-partition window aggregates spill and re-read on large sites; the totals come from one aggregate
    -- and the revenue before each customer from a running sum (minus its own), which streams.
    ranked as (
      select c.*, t.n, t.total,
        rank() over (order by c.days desc) as r_rank,
        rank() over (order by c.orders) as f_rank,
        rank() over (order by c.revenue) as m_rank,
        sum(c.revenue) over (order by c.revenue desc, c.profile_id rows unbounded preceding) - c.revenue as before
      from cust c cross join totals t
    ),
    scored as (
      select r.*, ${score(sql`r_rank`)} as rs, ${score(sql`f_rank`)} as fs, ${score(sql`m_rank`)} as ms
      from ranked r
    ),
    computed as (
      select p.profile_id,
        case when c.profile_id is null then 'prospect'
             when c.last_at < ${now}::timestamptz - make_interval(days => ${lapsedAfterDays}::int) then 'lapsed'
             else 'customer' end as lifecycle,
        c.rs as recency_score, c.fs as frequency_score, c.ms as monetary_score,
        ${rfmSegmentSql(sql`c.rs`, sql`c.fs`, sql`c.ms`)} as rfm_segment,
        case when c.profile_id is null then null
             when c.total <= 0 then 'C'
             when c.before < 0.80 * c.total then 'A'
             when c.before < 0.95 * c.total then 'B'
             else 'C' end as abc_class,
        coalesce(c.revenue >= ${premiumSpend ?? null}::numeric, false) as premium,
        case when c.profile_id is null or c.orders < 2 or c.last_at = c.first_at then null
             when c.since * (c.orders - 1) < extract(epoch from (c.last_at - c.first_at)) then 'low'
             when c.since * (c.orders - 1) <= 2 * extract(epoch from (c.last_at - c.first_at)) then 'medium'
             else 'high' end as churn_risk,
        c.days as days_since_last_order
      from profiles p
      left join scored c on c.profile_id = p.profile_id
      where p.site_id = ${s}
    ),
    -- Only rows that differ are written: a busy site is reclassified often and most rows stay the same, and an
    -- upsert of an unchanged row still locks and dirties it.
    changes as (
      select c.* from computed c
      left join profile_classes pc on pc.site_id = ${s} and pc.profile_id = c.profile_id
      where pc.profile_id is null
        or (pc.lifecycle, pc.recency_score, pc.frequency_score, pc.monetary_score, pc.rfm_segment, pc.abc_class,
            pc.premium, pc.churn_risk, pc.days_since_last_order)
          is distinct from (c.lifecycle, c.recency_score, c.frequency_score, c.monetary_score, c.rfm_segment,
            c.abc_class, c.premium, c.churn_risk, c.days_since_last_order)
    ),
    upserted as (
      insert into profile_classes as pc (site_id, profile_id, lifecycle, recency_score, frequency_score,
        monetary_score, rfm_segment, abc_class, premium, churn_risk, days_since_last_order, computed_at)
      select ${s}, c.profile_id, c.lifecycle, c.recency_score, c.frequency_score, c.monetary_score, c.rfm_segment,
        c.abc_class, c.premium, c.churn_risk, c.days_since_last_order, ${now}::timestamptz
      from changes c
      on conflict (site_id, profile_id) do update set
        lifecycle = excluded.lifecycle, recency_score = excluded.recency_score,
        frequency_score = excluded.frequency_score, monetary_score = excluded.monetary_score,
        rfm_segment = excluded.rfm_segment, abc_class = excluded.abc_class, premium = excluded.premium,
        churn_risk = excluded.churn_risk, days_since_last_order = excluded.days_since_last_order,
        computed_at = excluded.computed_at
      returning 1
    ),
    -- computed has a row for every profile of the site, so a class row outside it is one whose profile is gone;
    -- asked of the profiles' key, not of the CTE, which a planner without statistics scans once per class row.
    removed as (
      delete from profile_classes pc
      where pc.site_id = ${s}
        and not exists (select 1 from profiles p where p.site_id = ${s} and p.profile_id = pc.profile_id)
      returning 1
    )
    select (select count(*) from upserted) as changed, (select count(*) from removed) as removed`;
}
