// Reads of the profile API: the search list, the customer file ("ficha") and the timeline of a person's events.
import { type Kysely, type SqlBool, sql } from 'kysely';
import type { Database } from '../db/index.ts';
import { eventsOf, type Person } from './person.ts';

/** Traits the search looks in, besides the ids. */
export const SEARCH_TRAITS = ['email', 'name', 'firstName', 'lastName', 'first_name', 'last_name'];

/** `like` pattern for a case-insensitive prefix: the user's text is escaped, never interpreted. */
const prefixPattern = (q: string) => `${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export interface ProfileListItem {
  id: string;
  userId: string | null;
  email: string | null;
  name: string | null;
  lastSeen: string;
  orders: number;
  revenue: string;
  lifecycle: string | null;
  rfmSegment: string | null;
}

/** Profiles whose id, anonymous/user id, email or name starts with `q` (any case), by profile id after `cursor`. */
export async function searchProfiles(
  db: Kysely<Database>,
  siteId: string,
  options: { q?: string; cursor?: string; limit: number },
): Promise<{ items: ProfileListItem[]; nextCursor: string | null }> {
  const trait = (key: string) =>
    sql<string | null>`(select t.value #>> '{}' from profile_traits t
      where t.site_id = p.site_id and t.profile_id = p.profile_id and t.key = ${key})`;
  let query = db
    .selectFrom('profiles as p')
    .leftJoin('profile_classes as c', (j) =>
      j.onRef('c.site_id', '=', 'p.site_id').onRef('c.profile_id', '=', 'p.profile_id'),
    )
    .select([
      'p.profile_id',
      'p.user_id',
      'p.last_seen',
      'p.orders',
      'p.revenue',
      'c.lifecycle',
      'c.rfm_segment',
      trait('email').as('email'),
      trait('name').as('name'),
    ])
    .where('p.site_id', '=', siteId);
  if (options.cursor) query = query.where('p.profile_id', '>', options.cursor);
  if (options.q) {
    const pattern = prefixPattern(options.q);
    query = query.where((eb) =>
      eb.or([
        eb(sql`lower(p.profile_id)`, 'like', pattern),
        eb(
          'p.profile_id',
          'in',
          eb
            .selectFrom('identities as i')
            .select('i.profile_id')
            .where('i.site_id', '=', siteId)
            .where(sql`lower(i.value)`, 'like', pattern),
        ),
        eb(
          'p.profile_id',
          'in',
          eb
            .selectFrom('profile_traits as t')
            .select('t.profile_id')
            .where('t.site_id', '=', siteId)
            .where('t.key', 'in', SEARCH_TRAITS)
            .where(sql`lower(t.value #>> '{}')`, 'like', pattern),
        ),
      ]),
    );
  }
  const rows = await query
    .orderBy('p.profile_id')
    .limit(options.limit + 1)
    .execute();
  const page = rows.slice(0, options.limit);
  return {
    items: page.map((r) => ({
      id: r.profile_id,
      userId: r.user_id,
      email: r.email,
      name: r.name,
      lastSeen: new Date(r.last_seen).toISOString(),
      orders: r.orders,
      revenue: r.revenue,
      lifecycle: r.lifecycle,
      rfmSegment: r.rfm_segment,
    })),
    nextCursor: rows.length > options.limit ? (page.at(-1)?.profile_id ?? null) : null,
  };
}

/** The customer file: counters, traits, classification, identities, merged ids, and orders with lines and refunds. */
export async function customerFile(db: Kysely<Database>, person: Person) {
  const s = person.siteId;
  const p = person.profileId;
  const [profile, traits, identities, classes, orders] = await Promise.all([
    db
      .selectFrom('profiles')
      .selectAll()
      .where('site_id', '=', s)
      .where('profile_id', '=', p)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('profile_traits')
      .select(['key', 'value', 'updated_at'])
      .where('site_id', '=', s)
      .where('profile_id', '=', p)
      .orderBy('key')
      .execute(),
    db
      .selectFrom('identities')
      .select(['kind', 'value', 'first_seen', 'last_seen'])
      .where('site_id', '=', s)
      .where('profile_id', '=', p)
      .orderBy('kind')
      .orderBy('value')
      .execute(),
    db
      .selectFrom('profile_classes')
      .selectAll()
      .where('site_id', '=', s)
      .where('profile_id', '=', p)
      .executeTakeFirst(),
    db
      .selectFrom('orders')
      .selectAll()
      .where('site_id', '=', s)
      .where('profile_id', '=', p)
      .orderBy('ordered_at', 'desc')
      .orderBy('order_id')
      .execute(),
  ]);
  const orderIds = orders.map((o) => o.order_id);
  const [items, refunds] = orderIds.length
    ? await Promise.all([
        db
          .selectFrom('order_items')
          .selectAll()
          .where('site_id', '=', s)
          .where('order_id', 'in', orderIds)
          .orderBy('order_id')
          .orderBy('line')
          .execute(),
        db
          .selectFrom('order_refunds')
          .selectAll()
          .where('site_id', '=', s)
          .where('order_id', 'in', orderIds)
          .orderBy('refunded_at')
          .execute(),
      ])
    : [[], []];
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  return {
    profile: {
      id: p,
      userId: profile.user_id,
      firstSeen: new Date(profile.first_seen).toISOString(),
      lastSeen: new Date(profile.last_seen).toISOString(),
      sessions: profile.sessions,
      pageViews: profile.page_views,
      orders: profile.orders,
      revenue: profile.revenue,
      averageOrderValue: profile.average_order_value,
      firstOrderAt: iso(profile.first_order_at),
      lastOrderAt: iso(profile.last_order_at),
    },
    mergedFrom: person.mergedFrom,
    traits: Object.fromEntries(traits.map((t) => [t.key, t.value])),
    identities: identities.map((i) => ({
      kind: i.kind,
      value: i.value,
      firstSeen: new Date(i.first_seen).toISOString(),
      lastSeen: new Date(i.last_seen).toISOString(),
    })),
    classification: classes
      ? {
          lifecycle: classes.lifecycle,
          recencyScore: classes.recency_score,
          frequencyScore: classes.frequency_score,
          monetaryScore: classes.monetary_score,
          rfmSegment: classes.rfm_segment,
          abcClass: classes.abc_class,
          premium: classes.premium,
          churnRisk: classes.churn_risk,
          daysSinceLastOrder: classes.days_since_last_order,
          computedAt: new Date(classes.computed_at).toISOString(),
        }
      : null,
    orders: orders.map((o) => ({
      id: o.order_id,
      orderedAt: new Date(o.ordered_at).toISOString(),
      currency: o.currency,
      total: o.total,
      discount: o.discount,
      shipping: o.shipping,
      tax: o.tax,
      counted: o.counted,
      refunded: o.refunded,
      status: o.status,
      lines: items
        .filter((i) => i.order_id === o.order_id)
        .map((i) => ({
          line: i.line,
          productId: i.product_id,
          sku: i.sku,
          name: i.name,
          price: i.price,
          quantity: i.quantity,
          category: i.category,
          brand: i.brand,
        })),
      refunds: refunds
        .filter((r) => r.order_id === o.order_id)
        .map((r) => ({ id: r.refund_id, refundedAt: new Date(r.refunded_at).toISOString(), amount: r.amount })),
    })),
  };
}

export interface TimelineCursor {
  at: Date;
  seq: number;
}

/** Cursor text: base64url of `<ms>.<seq>` (opaque to clients). */
export const encodeCursor = (c: TimelineCursor) => Buffer.from(`${c.at.getTime()}.${c.seq}`).toString('base64url');

export function decodeCursor(text: string): TimelineCursor | null {
  const m = /^(-?\d{1,15})\.(\d{1,19})$/.exec(Buffer.from(text, 'base64url').toString('utf8'));
  return m ? { at: new Date(Number(m[1])), seq: Number(m[2]) } : null;
}

/**
 * The person's events under all their ids, newest first, `limit` at a time; `hideBehaviour` leaves out the SDK's
 * own behaviour events (`$click`, `$scroll`), which heatmaps read but a person reading the file does not.
 */
export async function timeline(
  db: Kysely<Database>,
  person: Person,
  options: { cursor?: TimelineCursor | undefined; limit: number; hideBehaviour?: boolean },
) {
  let query = db
    .selectFrom('events')
    .select(['seq', 'message_id', 'type', 'event', 'timestamp', 'url_path', 'anonymous_id', 'user_id', 'properties'])
    .where('site_id', '=', person.siteId)
    .where(eventsOf(person))
    .$if(options.hideBehaviour === true, (q) =>
      q.where((eb) => eb.or([eb('type', '<>', 'track'), sql<SqlBool>`not starts_with(event, '$')`])),
    );
  const { cursor } = options;
  if (cursor) {
    query = query.where((eb) =>
      eb.or([eb('timestamp', '<', cursor.at), eb.and([eb('timestamp', '=', cursor.at), eb('seq', '<', cursor.seq)])]),
    );
  }
  const rows = await query
    .orderBy('timestamp', 'desc')
    .orderBy('seq', 'desc')
    .limit(options.limit + 1)
    .execute();
  const page = rows.slice(0, options.limit);
  const last = page.at(-1);
  return {
    items: page.map((e) => ({
      messageId: e.message_id,
      type: e.type,
      event: e.event,
      at: new Date(e.timestamp).toISOString(),
      urlPath: e.url_path,
      anonymousId: e.anonymous_id,
      userId: e.user_id,
      properties: e.properties,
    })),
    nextCursor:
      rows.length > options.limit && last
        ? encodeCursor({ at: new Date(last.timestamp), seq: Number(last.seq) })
        : null,
  };
}
