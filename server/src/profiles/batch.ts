// Reads the next batch of a site's events: rows of finished writers only, in (xid, seq) order, and the rows
// of writers the cursor stepped over while they were running, once they have finished.
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../db/index.ts';

/** Property names of commerce events read as exact text (->>), so amounts never pass through a JS float. */
const ORDER_FIELDS = ['order_id', 'total', 'revenue', 'currency', 'discount', 'shipping', 'tax'];
const PRODUCT_FIELDS = [
  'product_id',
  'sku',
  'name',
  'price',
  'quantity',
  'category',
  'brand',
  'currency',
  'url',
  'image_url',
];

export interface LogEvent {
  site_id: string;
  seq: number;
  xid: string;
  message_id: string;
  type: string;
  event: string | null;
  anonymous_id: string | null;
  user_id: string | null;
  previous_id: string | null;
  timestamp: Date;
  url_path: string | null;
  selector: string | null;
  x: number | null;
  y: number | null;
  viewport_width: number | null;
  /** For `$click`/`$scroll`: the properties heatmaps read (dw, vw, rage, depth). */
  properties: Record<string, unknown> | null;
  traits: Record<string, unknown> | null;
  /** For commerce events: the named properties as text (null when absent). */
  props: Record<string, string | null> | null;
  /** For orders and refunds: `products[]`, each with the product fields as text. */
  products: Record<string, string | null>[] | null;
}

export interface Cursor {
  /** xid8 as text. */
  xid: string;
  seq: number;
  /** Writers below (xid, seq) that were still running when the cursor passed them. */
  pending: string[];
}

export interface Batch {
  events: LogEvent[];
  /** Rows read past the cursor (not counting pending writers' rows): the limit was reached when equal. */
  windowCount: number;
  /** The cursor after these events. */
  next: Cursor;
  /** Whether `next` differs from the cursor read. */
  moved: boolean;
}

// One jsonb_build_object call per row, cheaper than an aggregate over the field names in a subquery per row.
const textObject = (source: ReturnType<typeof sql>, fields: string[]) =>
  sql`jsonb_build_object(${sql.join(fields.map((f) => sql`${sql.lit(f)}, ${source} ->> ${sql.lit(f)}`))})`;

const compare = (a: { xid: string; seq: number }, b: { xid: string; seq: number }) => {
  const x = BigInt(a.xid) - BigInt(b.xid);
  return x !== 0n ? (x < 0n ? -1 : 1) : a.seq - b.seq;
};

/**
 * One statement, so one snapshot: the rows of pending writers that have finished, then up to `limit` rows
 * past the cursor whose writers have finished, and the snapshot itself to tell which writers still run.
 * The rows past the cursor come from merging every partition's (site_id, xid, seq) index and stopping after
 * `limit` rows: the projector's transaction turns bitmap scans off, so that the planner never reads and sorts all
 * of them instead (see projector.ts).
 */
export async function readBatch(
  db: Kysely<Database> | Transaction<Database>,
  siteId: string,
  after: Cursor,
  limit: number,
): Promise<Batch> {
  const p = sql`e.properties`;
  const { rows } = await sql<LogEvent & { snapshot: string; window: boolean | null }>`
    with s as materialized (select pg_current_snapshot() as snap),
    picked as (
      (select e.site_id, e.seq, e.xid, e.message_id, e.type, e.event, e.anonymous_id, e.user_id, e.previous_id,
          e."timestamp", e.url_path, e.selector, e.x, e.y, e.viewport_width, e.traits, e.properties, false as "window"
        from events e, s
        where e.site_id = ${siteId} and e.xid = any(${after.pending}::text[]::xid8[])
          and pg_visible_in_snapshot(e.xid, s.snap))
      union all
      (select e.site_id, e.seq, e.xid, e.message_id, e.type, e.event, e.anonymous_id, e.user_id, e.previous_id,
          e."timestamp", e.url_path, e.selector, e.x, e.y, e.viewport_width, e.traits, e.properties, true as "window"
        from events e, s
        where e.site_id = ${siteId} and (e.xid, e.seq) > (${after.xid}::xid8, ${after.seq}::bigint)
          and pg_visible_in_snapshot(e.xid, s.snap)
        order by e.xid, e.seq
        limit ${limit})
    )
    select s.snap::text as snapshot, e."window", e.site_id, e.seq, e.xid::text as xid, e.message_id, e.type, e.event,
      e.anonymous_id, e.user_id, e.previous_id, e."timestamp", e.url_path, e.selector, e.x, e.y, e.viewport_width,
      case when e.type = 'track' and e.event in ('$click', '$scroll')
        then jsonb_build_object('dw', ${p} -> 'dw', 'vw', ${p} -> 'vw', 'rage', ${p} -> 'rage', 'depth', ${p} -> 'depth')
        end as properties,
      case when e.type = 'identify' then e.traits end as traits,
      case when e.type = 'track' and e.event in ('Order Completed', 'Order Refunded')
        then ${textObject(p, ORDER_FIELDS)}
        when e.type = 'track' and e.event in ('Product Viewed', 'Product Added')
        then ${textObject(p, PRODUCT_FIELDS)} end as props,
      case when e.type = 'track' and e.event in ('Order Completed', 'Order Refunded')
          and jsonb_typeof(e.properties -> 'products') = 'array'
        then (select jsonb_agg(${textObject(sql`item`, PRODUCT_FIELDS)})
              from jsonb_array_elements(e.properties -> 'products') item where jsonb_typeof(item) = 'object') end as products
    from s left join picked e on true
    order by e.xid, e.seq`.execute(db);
  const snapshot = rows[0]?.snapshot ?? '0:0:';
  const events: LogEvent[] = [];
  let windowCount = 0;
  for (const { snapshot: _s, window, ...r } of rows) {
    if (window === null) continue;
    if (window) windowCount++;
    events.push({ ...r, timestamp: new Date(r.timestamp) });
  }
  const last = events.at(-1);
  const position = last && compare(last, after) > 0 ? { xid: last.xid, seq: last.seq } : after;
  // pg_snapshot text is xmin:xmax:xip,xip,…; the running writers below the new position must be read later.
  const running = (snapshot.split(':')[2] ?? '').split(',').filter((x) => x !== '');
  const pending = running
    .filter((x) => BigInt(x) < BigInt(position.xid))
    .sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
  const moved =
    position !== after || pending.length !== after.pending.length || pending.some((x, i) => x !== after.pending[i]);
  return { events, windowCount, next: { xid: position.xid, seq: position.seq, pending }, moved };
}
