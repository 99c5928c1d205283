// The purchase funnel: how many people reached each step, in order, within a period. Each person's funnel
// events become a string of step numbers in time order ('1213…'), so "reached step k in order" is the
// subsequence match `like '%1%2%…%k%'`: one sort of the period's funnel events, no self-joins whose row
// estimates can go wrong.
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/index.ts';

/** Segment's e-commerce events, in funnel order; the partial index events_funnel holds exactly these. */
export const FUNNEL_STEPS = ['Product Viewed', 'Product Added', 'Checkout Started', 'Order Completed'] as const;
export type FunnelEvent = (typeof FUNNEL_STEPS)[number];

/** A period as the instants it spans, [start, end). */
export interface Span {
  start: Date;
  end: Date;
}

/** People (profiles) who reached each step in order, per period, in FUNNEL_STEPS order. */
export async function funnelCounts(db: Kysely<Database>, siteId: string, periods: Span[]): Promise<number[][]> {
  const steps = sql.join(FUNNEL_STEPS.map((s) => sql.lit(s)));
  // Reached step k in order: the path holds 1, 2, …, k in that order ('%1%2%…%k%').
  const patterns = FUNNEL_STEPS.map((_, k) => `%${Array.from({ length: k + 1 }, (_, i) => i + 1).join('%')}%`);
  const ranges = sql.join(periods.map((p, i) => sql`(${i}::int, ${p.start}::timestamptz, ${p.end}::timestamptz)`));
  // An event's person is the profile of its user id when it has one, else of its anonymous id (as the projector
  // decides); an id the projector has not reached yet stands for itself. The path is a window aggregate over
  // the person's events, so the events are sorted once (an ordered string_agg would sort each group again).
  const { rows } = await sql<{ period: number; reached: number[] }>`
    with periods (period, start_at, end_at) as (values ${ranges}),
    steps as (
      select p.period, e."timestamp" as ts, array_position(array[${steps}], e.event)::text as step,
        coalesce(i.profile_id, case when e.user_id is not null then 'u:' || e.user_id else 'a:' || e.anonymous_id end)
          as person
      from periods p
      join events e on e.site_id = ${siteId} and e."timestamp" >= p.start_at and e."timestamp" < p.end_at
        and e.type = 'track' and e.event in (${steps})
      left join identities i on i.site_id = ${siteId}
        and i.kind = case when e.user_id is not null then 'user' else 'anonymous' end
        and i.value = coalesce(e.user_id, e.anonymous_id)
    ),
    paths as (
      select period, row_number() over journey as n, string_agg(step, '') over journey as path
      from steps
      -- Steps at the same instant count in funnel order.
      window journey as (partition by period, person order by ts, step
        rows between unbounded preceding and unbounded following)
    )
    select period, array[${sql.join(patterns.map((p) => sql`count(*) filter (where path like ${p})::int`))}] as reached
    from paths where n = 1 group by period`.execute(db);
  return periods.map((_, i) => rows.find((r) => r.period === i)?.reached ?? FUNNEL_STEPS.map(() => 0));
}
