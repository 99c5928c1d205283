// What followed the recommendations a shop showed: impressions and clicks (Segment's `Product List Viewed` and
// `Product Clicked` with our list id), and orders of a recommended product by the person it was shown to
// within a window after seeing it. Read from the event log at request time, so erasure and rebuilds need no
// extra bookkeeping; a partial index on those two events (migration 1640) keeps the read to them.
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../db/index.ts';
import { byCodeUnits } from './compare.ts';
import { productNames } from './product-names.ts';

/** The `list_id` a shop sends with the e-commerce list events of the lists our recommendations fill. */
export const RECOMMENDATION_LIST_ID = 'fideliza-recommendations';

export type OutcomeSort = 'impressions' | 'clicks' | 'orders' | 'revenue';

export interface OutcomesQuery {
  /** Inclusive UTC days, YYYY-MM-DD. */
  from: string;
  to: string;
  /** An order counts when placed within this many days after an impression of the product. */
  windowDays: number;
  /** Rows of the per-product table, best first by `sort`. */
  limit: number;
  sort: OutcomeSort;
}

export interface ProductOutcome {
  productId: string;
  name: string | null;
  impressions: number;
  clicks: number;
  /** clicks / impressions; null without impressions. */
  ctr: number | null;
  /** Orders holding the product after an impression of it. */
  orders: number;
  units: number;
  /** Exact decimal: price × quantity of those lines. */
  revenue: string;
}

export interface GroupRate {
  /** Distinct people (profiles) in the group. */
  people: number;
  /** Of them, people who placed an order from `from` to `windowDays` after `to`. */
  buyers: number;
  /** buyers / people; null for an empty group. */
  orderRate: number | null;
}

export interface Outcomes {
  from: string;
  to: string;
  windowDays: number;
  /** The site's currency (that of its first order), null before any order. */
  currency: string | null;
  /** Lists shown (events). */
  listViews: number;
  /** Products shown: each product of each list shown. */
  impressions: number;
  clicks: number;
  ctr: number | null;
  /** Distinct orders holding at least one attributed line. */
  orders: number;
  units: number;
  revenue: string;
  /** Product viewers who saw recommendations and those who saw none: a comparison, not an experiment. */
  baseline: { exposed: GroupRate; unexposed: GroupRate };
  days: { day: string; impressions: number; clicks: number }[];
  /** Products with any impression, click or attributed order (the table holds the first `limit`). */
  productCount: number;
  products: ProductOutcome[];
}

const DAY_MS = 86_400_000;

const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : null);

/** Rows of a product id as the projector reads it: the product id, else the SKU; JSON numbers as text. */
const productIdOf = (node: RawBuilder<unknown>) =>
  sql`coalesce(nullif(${node} ->> 'product_id', ''), nullif(${node} ->> 'sku', ''))`;

/** A row of the one statement: a kind of figure, with its day and product where it has them. */
interface OutcomeRow {
  kind: 'lists' | 'shown' | 'click' | 'product' | 'orders' | 'exposed' | 'unexposed';
  day: string | null;
  product_id: string | null;
  n: number;
  m: number;
  amount: string | null;
}

/** Every figure in one statement (one snapshot), as rows of OutcomeRow. */
function outcomesStatement(siteId: string, q: OutcomesQuery) {
  const from = new Date(`${q.from}T00:00:00Z`);
  const until = new Date(Date.parse(`${q.to}T00:00:00Z`) + DAY_MS);
  const ordersUntil = new Date(until.getTime() + q.windowDays * DAY_MS);
  const window = sql`make_interval(days => ${q.windowDays}::int)`;
  return sql<OutcomeRow>`
    with listed as materialized (
      select e."timestamp" as at, e.event,
        case when e.event = 'Product List Viewed' then e.properties -> 'products' end as products,
        case when e.event = 'Product Clicked' then ${productIdOf(sql`e.properties`)} end as clicked,
        -- Who saw the list: the event's user id when it has one, else its anonymous id (as the projector reads
        -- them), through the identity that holds it now, so merges are followed.
        case when e.event = 'Product List Viewed' then (
          select i.profile_id from identities i
          where i.site_id = ${siteId}
            and i.kind = case when e.user_id <> '' then 'user' else 'anonymous' end
            and i.value = case when e.user_id <> '' then e.user_id else e.anonymous_id end) end as profile_id
      from events e
      where e.site_id = ${siteId} and e."timestamp" >= ${from} and e."timestamp" < ${until}
        and e.type = 'track' and e.event in ('Product List Viewed', 'Product Clicked')
        and e.properties ->> 'list_id' = ${RECOMMENDATION_LIST_ID}),
    lists as (select * from listed where event = 'Product List Viewed'),
    shown as materialized (
      select l.at, l.profile_id, p.product_id
      from lists l cross join lateral (
        select distinct ${productIdOf(sql`item`)} as product_id
        from jsonb_array_elements(case when jsonb_typeof(l.products) = 'array' then l.products else '[]'::jsonb end) item
        where jsonb_typeof(item) = 'object') p
      where p.product_id is not null),
    clicks as (select at, clicked as product_id from listed where event = 'Product Clicked'),
    seen as (select profile_id, product_id, at from shown where profile_id is not null),
    -- Attribution without a join (whose plan would hang on estimates): impressions and order lines in one
    -- stream per person and product, in time order; a line counts when the latest impression before it is
    -- within the window. At equal times the order comes first, so an impression must precede it.
    stream as (
      select profile_id, product_id, at, null::text as order_id, null::int as quantity, null::numeric as amount
      from seen
      union all
      select o.profile_id, l.product_id, o.ordered_at, o.order_id, l.quantity, coalesce(l.price, 0) * l.quantity
      from orders o join order_items l on l.site_id = o.site_id and l.order_id = o.order_id
      where o.site_id = ${siteId} and o.counted and o.status <> 'refunded' and l.product_id is not null
        and o.ordered_at > ${from} and o.ordered_at < ${ordersUntil}),
    marked as (
      select order_id, product_id, quantity, amount, at,
        max(at) filter (where order_id is null) over (
          partition by profile_id, product_id order by at, order_id nulls last
          rows between unbounded preceding and current row) as last_seen
      from stream),
    lines as materialized (
      select order_id, product_id, quantity, amount from marked
      where order_id is not null and last_seen >= at - ${window}),
    viewers as (
      select distinct i.profile_id
      from (select distinct kind, value from product_views
            where site_id = ${siteId} and day >= ${q.from}::date and day <= ${q.to}::date) v
        join identities i on i.site_id = ${siteId} and i.kind = v.kind and i.value = v.value),
    buyers as (
      select distinct profile_id from orders
      where site_id = ${siteId} and counted and status <> 'refunded'
        and ordered_at >= ${from} and ordered_at < ${ordersUntil}),
    groups as (
      select v.profile_id in (select profile_id from seen) as exposed,
        v.profile_id in (select profile_id from buyers) as bought
      from viewers v)
    select 'lists' as kind, null as day, null as product_id, count(*)::int as n, 0 as m, null as amount from lists
    union all
    select 'shown', to_char(at at time zone 'UTC', 'YYYY-MM-DD'), product_id, count(*)::int, 0, null
    from shown group by 2, 3
    union all
    select 'click', to_char(at at time zone 'UTC', 'YYYY-MM-DD'), product_id, count(*)::int, 0, null
    from clicks where product_id is not null group by 2, 3
    union all
    select 'product', null, product_id, count(distinct order_id)::int, sum(quantity)::int, sum(amount)::text
    from lines group by product_id
    union all
    select 'orders', null, null, count(distinct order_id)::int, coalesce(sum(quantity), 0)::int,
      coalesce(sum(amount), 0)::text
    from lines
    union all
    select case when exposed then 'exposed' else 'unexposed' end, null, null, count(*)::int,
      count(*) filter (where bought)::int, null
    from groups group by exposed`;
}

/** What followed the recommendations shown on the site in the range (see the README's "Outcomes"). */
export async function recommendationOutcomes(
  db: Kysely<Database>,
  siteId: string,
  q: OutcomesQuery,
): Promise<Outcomes> {
  const { rows } = await outcomesStatement(siteId, q).execute(db);
  const products = new Map<string, ProductOutcome>();
  const product = (id: string) => {
    let p = products.get(id);
    if (!p) {
      p = { productId: id, name: null, impressions: 0, clicks: 0, ctr: null, orders: 0, units: 0, revenue: '0' };
      products.set(id, p);
    }
    return p;
  };
  const days = new Map<string, { day: string; impressions: number; clicks: number }>();
  const group = { exposed: { people: 0, buyers: 0 }, unexposed: { people: 0, buyers: 0 } };
  const totals = { listViews: 0, impressions: 0, clicks: 0, orders: 0, units: 0, revenue: '0' };
  for (const r of rows) {
    if (r.kind === 'lists') totals.listViews = r.n;
    else if (r.kind === 'exposed' || r.kind === 'unexposed') group[r.kind] = { people: r.n, buyers: r.m };
    else if (r.kind === 'orders') Object.assign(totals, { orders: r.n, units: r.m, revenue: r.amount ?? '0' });
    else if (r.kind === 'product') {
      Object.assign(product(r.product_id as string), { orders: r.n, units: r.m, revenue: r.amount ?? '0' });
    } else {
      const field = r.kind === 'shown' ? 'impressions' : 'clicks';
      const d = r.day as string;
      product(r.product_id as string)[field] += r.n;
      totals[field] += r.n;
      const row = days.get(d) ?? { day: d, impressions: 0, clicks: 0 };
      row[field] += r.n;
      days.set(d, row);
    }
  }

  const all = [...products.values()];
  for (const p of all) p.ctr = ratio(p.clicks, p.impressions);
  const top = all.sort(byOutcome(q.sort)).slice(0, q.limit);
  const names = await productNames(
    db,
    siteId,
    top.map((p) => p.productId),
  );
  for (const p of top) p.name = names[p.productId] ?? null;
  const commerce = await db
    .selectFrom('site_commerce')
    .select('currency')
    .where('site_id', '=', siteId)
    .executeTakeFirst();
  const rate = (g: { people: number; buyers: number }): GroupRate => ({ ...g, orderRate: ratio(g.buyers, g.people) });
  return {
    from: q.from,
    to: q.to,
    windowDays: q.windowDays,
    currency: commerce?.currency ?? null,
    ...totals,
    ctr: ratio(totals.clicks, totals.impressions),
    baseline: { exposed: rate(group.exposed), unexposed: rate(group.unexposed) },
    days: [...days.values()].sort((a, b) => (a.day < b.day ? -1 : 1)),
    productCount: all.length,
    products: top,
  };
}

// Revenue ranks by its float value: a rounding tie only falls through to the next key.
const byOutcome = (sort: OutcomeSort) => (a: ProductOutcome, b: ProductOutcome) =>
  (sort === 'revenue' ? Number(b.revenue) - Number(a.revenue) : b[sort] - a[sort]) ||
  b.impressions - a.impressions ||
  byCodeUnits(a.productId, b.productId);
