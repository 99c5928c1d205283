// A site's overview for a range of calendar days in a time zone: visitors, sessions, page views, orders and
// revenue, the purchase funnel, the figures of each day, and the same totals for the period just before.
// Visits come from visitor_sessions (kept by the projector), orders from the orders table, the funnel from the
// event log's funnel index: every read is an index range scan of the period.
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/index.ts';
import { AppError } from '../http/errors.ts';
import { FUNNEL_STEPS, type FunnelEvent, funnelCounts, type Span } from './funnel.ts';

export interface OverviewQuery {
  /** First day, YYYY-MM-DD, inclusive. */
  from: string;
  /** Last day, inclusive. */
  to: string;
  /** IANA zone whose midnights bound the days. */
  tz: string;
}

export interface Totals {
  /** People (profiles) with a visit that viewed a page. */
  visitors: number;
  sessions: number;
  pageViews: number;
  /** Orders in the site's currency, not fully refunded. */
  orders: number;
  /** Order totals less what was refunded of them, as an exact decimal. */
  revenue: string;
  /** What was refunded of the period's orders. */
  refunds: string;
  /** revenue / orders, to the cent; null without orders. */
  averageOrderValue: string | null;
  /** Orders per session; null without sessions. */
  conversionRate: number | null;
}

export interface FunnelStep {
  event: FunnelEvent;
  /** People who reached this step after the ones before it, within the period. */
  visitors: number;
  /** Share of the step before that reached this one; null for the first step or when the one before had nobody. */
  fromPrevious: number | null;
  /** Share of the first step; null when it had nobody. */
  fromFirst: number | null;
}

export interface Period {
  from: string;
  to: string;
  totals: Totals;
  funnel: FunnelStep[];
}

export interface DayFigures {
  day: string;
  visitors: number;
  sessions: number;
  pageViews: number;
  orders: number;
  revenue: string;
}

export interface Overview {
  timeZone: string;
  /** The site's currency (of its first order); null before any order. */
  currency: string | null;
  current: Period;
  /** The as-long period just before, for the change. */
  previous: Period;
  /** Every day of the current period, days without activity included. */
  days: DayFigures[];
}

const DAY_MS = 86_400_000;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : null);

/** Postgres knows fewer zones than the zod check lets through only when its tz database is older. */
const isUnknownZone = (e: unknown) => (e as { code?: unknown }).code === '22023';

interface Bounds {
  current: Span;
  previous: Span;
  currency: string | null;
}

async function bounds(db: Kysely<Database>, siteId: string, q: OverviewQuery, days: number): Promise<Bounds> {
  try {
    const { rows } = await sql<{ previous_at: Date; start_at: Date; end_at: Date; currency: string | null }>`
      select (${q.from}::date - ${days}::int)::timestamp at time zone ${q.tz} as previous_at,
        (${q.from}::date)::timestamp at time zone ${q.tz} as start_at,
        (${q.to}::date + 1)::timestamp at time zone ${q.tz} as end_at,
        (select currency from site_commerce where site_id = ${siteId}) as currency`.execute(db);
    const r = rows[0] as { previous_at: Date; start_at: Date; end_at: Date; currency: string | null };
    const at = (d: Date) => new Date(d);
    return {
      current: { start: at(r.start_at), end: at(r.end_at) },
      previous: { start: at(r.previous_at), end: at(r.start_at) },
      currency: r.currency,
    };
  } catch (e) {
    if (isUnknownZone(e)) throw new AppError(400, 'invalid_query', `tz: unknown time zone ${q.tz}`, 'tz');
    throw e;
  }
}

interface Row {
  is_current: boolean;
  /** null on the period's total row. */
  day: string | null;
}

/** Visits of both periods, per day and in total (grouping sets: one scan). */
function visits(db: Kysely<Database>, siteId: string, b: Bounds, tz: string) {
  return sql<Row & { sessions: number; page_views: number; visitors: number }>`
    select is_current, to_char(d, 'YYYY-MM-DD') as day, count(*)::int as sessions,
      coalesce(sum(page_views), 0)::int as page_views,
      count(distinct profile_id) filter (where page_views > 0)::int as visitors
    from (
      select started_at >= ${b.current.start} as is_current, (started_at at time zone ${tz})::date as d,
        profile_id, page_views
      from visitor_sessions
      where site_id = ${siteId} and started_at >= ${b.previous.start} and started_at < ${b.current.end}) s
    group by grouping sets ((is_current, d), (is_current))`.execute(db);
}

/** Orders of both periods by the time they were placed, with their refunds whenever those came. */
function orders(db: Kysely<Database>, siteId: string, b: Bounds, tz: string) {
  return sql<Row & { orders: number; revenue: string; refunds: string; aov: string | null }>`
    select is_current, to_char(d, 'YYYY-MM-DD') as day, count(*) filter (where kept)::int as orders,
      coalesce(sum(total - refunded), 0)::text as revenue, coalesce(sum(refunded), 0)::text as refunds,
      round(sum(total - refunded) / nullif(count(*) filter (where kept), 0), 2)::text as aov
    from (
      select ordered_at >= ${b.current.start} as is_current, (ordered_at at time zone ${tz})::date as d,
        total, refunded, status <> 'refunded' as kept
      from orders
      where site_id = ${siteId} and counted and ordered_at >= ${b.previous.start} and ordered_at < ${b.current.end}) o
    group by grouping sets ((is_current, d), (is_current))`.execute(db);
}

function funnelOf(reached: number[]): FunnelStep[] {
  const first = reached[0] ?? 0;
  return FUNNEL_STEPS.map((event, i) => {
    const n = reached[i] ?? 0;
    return {
      event,
      visitors: n,
      fromPrevious: i === 0 ? null : ratio(n, reached[i - 1] ?? 0),
      fromFirst: ratio(n, first),
    };
  });
}

export async function siteOverview(db: Kysely<Database>, siteId: string, q: OverviewQuery): Promise<Overview> {
  const fromMs = Date.parse(`${q.from}T00:00:00Z`);
  const length = Math.round((Date.parse(`${q.to}T00:00:00Z`) - fromMs) / DAY_MS) + 1;
  const b = await bounds(db, siteId, q, length);
  const [v, o, funnels] = await Promise.all([
    visits(db, siteId, b, q.tz),
    orders(db, siteId, b, q.tz),
    funnelCounts(db, siteId, [b.current, b.previous]),
  ]);

  const totals = (current: boolean): Totals => {
    const vt = v.rows.find((r) => r.is_current === current && r.day === null);
    const ot = o.rows.find((r) => r.is_current === current && r.day === null);
    const sessions = vt?.sessions ?? 0;
    const orderCount = ot?.orders ?? 0;
    return {
      visitors: vt?.visitors ?? 0,
      sessions,
      pageViews: vt?.page_views ?? 0,
      orders: orderCount,
      revenue: ot?.revenue ?? '0',
      refunds: ot?.refunds ?? '0',
      averageOrderValue: ot?.aov ?? null,
      conversionRate: ratio(orderCount, sessions),
    };
  };
  const visitDays = new Map(v.rows.filter((r) => r.is_current && r.day !== null).map((r) => [r.day, r]));
  const orderDays = new Map(o.rows.filter((r) => r.is_current && r.day !== null).map((r) => [r.day, r]));
  const days = Array.from({ length }, (_, i): DayFigures => {
    const day = dayOf(fromMs + i * DAY_MS);
    const dv = visitDays.get(day);
    const dor = orderDays.get(day);
    return {
      day,
      visitors: dv?.visitors ?? 0,
      sessions: dv?.sessions ?? 0,
      pageViews: dv?.page_views ?? 0,
      orders: dor?.orders ?? 0,
      revenue: dor?.revenue ?? '0',
    };
  });
  return {
    timeZone: q.tz,
    currency: b.currency,
    current: { from: q.from, to: q.to, totals: totals(true), funnel: funnelOf(funnels[0] ?? []) },
    previous: {
      from: dayOf(fromMs - length * DAY_MS),
      to: dayOf(fromMs - DAY_MS),
      totals: totals(false),
      funnel: funnelOf(funnels[1] ?? []),
    },
    days,
  };
}
