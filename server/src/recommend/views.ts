// The projector's hook: folds `Product Viewed` into product_views and marks the site's recommendations stale
// when a batch brought orders, refunds or views. Runs inside the batch's transaction, so it is exactly-once
// with the cursor; the view rows are a set, so a rebuild replaying the log adds nothing.
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../db/index.ts';
import { unnestRows } from '../db/unnest.ts';

/** What the hook reads of a projected event (the projector's LogEvent has these fields). */
export interface RecommendEvent {
  site_id: string;
  type: string;
  event: string | null;
  anonymous_id: string | null;
  user_id: string | null;
  timestamp: Date;
  /** Commerce events' named properties as text. */
  props: Record<string, string | null> | null;
}

const MAX_ID = 200;
const okId = (v: string | null | undefined): v is string => v != null && v.length > 0 && v.length <= MAX_ID;

const VIEW_ROW = { site_id: 'text', kind: 'text', value: 'text', day: 'date', product_id: 'text' } as const;

/** Events whose projection changes what recommendations are computed from. */
const CHANGES = new Set(['Order Completed', 'Order Refunded', 'Product Viewed']);

export async function applyRecommendationEvents(
  trx: Transaction<Database>,
  events: readonly RecommendEvent[],
): Promise<void> {
  const views = new Map<string, { site_id: string; kind: string; value: string; day: string; product_id: string }>();
  const changed = new Set<string>();
  for (const e of events) {
    if (e.type !== 'track' || !e.event || !CHANGES.has(e.event)) continue;
    changed.add(e.site_id);
    if (e.event !== 'Product Viewed') continue;
    const productId = okId(e.props?.product_id) ? e.props.product_id : okId(e.props?.sku) ? e.props.sku : null;
    // The browser's anonymous id is the session-like key; a server-side event may carry only the user id.
    const identity = okId(e.anonymous_id)
      ? { kind: 'anonymous', value: e.anonymous_id }
      : okId(e.user_id)
        ? { kind: 'user', value: e.user_id }
        : null;
    if (!productId || !identity) continue;
    const row = { site_id: e.site_id, ...identity, day: e.timestamp.toISOString().slice(0, 10), product_id: productId };
    views.set(`${row.site_id}\0${row.kind}\0${row.value}\0${row.day}\0${row.product_id}`, row);
  }
  if (views.size > 0) {
    await sql`
      insert into product_views (site_id, kind, value, day, product_id)
      select v.site_id, v.kind, v.value, v.day, v.product_id
      from ${unnestRows([...views.values()], VIEW_ROW, 'v')}
      on conflict do nothing`.execute(trx);
  }
  if (changed.size > 0) await markChanged(trx, [...changed]);
}

/** Bumps the sites' change counters (the refresher recomputes a site whose counter moved). */
export async function markChanged(db: Kysely<Database>, siteIds: string[]): Promise<void> {
  await db
    .insertInto('recommend_state')
    .values(siteIds.map((site_id) => ({ site_id, changes: 1 })))
    .onConflict((oc) => oc.column('site_id').doUpdateSet({ changes: sql<string>`recommend_state.changes + 1` }))
    .execute();
}

/** A person's product views, for the privacy export (the ids are all of the person's identities). */
export function productViewsOf(
  db: Kysely<Database>,
  siteId: string,
  ids: { anonymousIds: string[]; userIds: string[] },
) {
  return db
    .selectFrom('product_views')
    .select(['kind', 'value', 'day', 'product_id'])
    .where('site_id', '=', siteId)
    .where((eb) =>
      eb.or([
        eb.and([eb('kind', '=', 'anonymous'), eb('value', 'in', ids.anonymousIds.length ? ids.anonymousIds : [''])]),
        eb.and([eb('kind', '=', 'user'), eb('value', 'in', ids.userIds.length ? ids.userIds : [''])]),
      ]),
    )
    .orderBy('day')
    .execute();
}

/** Erases a person's product views (GDPR); the pair tables hold counts only and forget them at the next refresh. */
export async function eraseProductViews(
  db: Kysely<Database>,
  siteId: string,
  ids: { anonymousIds: string[]; userIds: string[] },
): Promise<void> {
  for (const [kind, values] of [
    ['anonymous', ids.anonymousIds],
    ['user', ids.userIds],
  ] as const) {
    if (values.length === 0) continue;
    await db
      .deleteFrom('product_views')
      .where('site_id', '=', siteId)
      .where('kind', '=', kind)
      .where('value', 'in', values)
      .execute();
  }
  await markChanged(db, [siteId]);
}
