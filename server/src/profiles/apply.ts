// Folds one batch of events into memory (identity stitching, merges, sessions, traits, orders) and then
// writes the result with a handful of set-based statements inside the batch's transaction.
//
// Statements find stored rows by probing a key index once per key of the batch: a lateral subquery with `offset 0`
// (which the planner cannot turn into a join) for reads, the upsert's conflict check for writes, and a join on
// ctid for the few updates. A join of the batch's keys to a table, left to the planner, is planned from
// statistics; on a table filled since it was last analyzed (a rebuild, a new site; PGlite never analyzes) it takes
// the site's rows for a handful and reads all of them for every batch: quadratic in the site's size.
import { createHash } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { Database } from '../db/index.ts';
import { unnestRows } from '../db/unnest.ts';
import type { LogEvent } from './batch.ts';
import {
  type OrderFacts,
  orderFacts,
  type ProductFacts,
  productFacts,
  type RefundFacts,
  refundFacts,
} from './commerce.ts';
import { runMergeHooks } from './merge-hooks.ts';
import type { IdentityKind } from './tables.ts';

/** A session ends after 30 minutes without a page, screen or track event under the same anonymous id. */
export const SESSION_GAP_MS = 30 * 60 * 1000;
const MAX_TRAITS = 100;
const MAX_KEY = 200;
const MAX_ID = 200;

interface IdentityState {
  kind: IdentityKind;
  value: string;
  profileId: string;
  firstSeen: Date;
  /** Last activity; null for an id attached by identify/alias that has not been active yet. */
  lastActive: Date | null;
  dirty: boolean;
}

interface ProfileState {
  id: string;
  userId: string | null;
  isNew: boolean;
  firstSeen: Date;
  lastSeen: Date;
  sessions: number;
  pageViews: number;
  touched: boolean;
}

/** A visit of an anonymous id: one started in this batch, or the latest stored one that this batch continues. */
interface VisitState {
  anonymousId: string;
  startedAt: Date;
  /** Whom it belongs to when it starts in this batch; null for a stored visit (it keeps its own). */
  profileId: string | null;
  /** Page views this batch adds. */
  pageViews: number;
  isNew: boolean;
}

interface Trait {
  value: unknown;
  at: Date;
}

/** Profile ids derive from the identity that created the profile, so a rebuild gives the same ids. */
export function profileIdFor(siteId: string, kind: IdentityKind, value: string): string {
  return `p_${createHash('sha256').update(`${siteId}\0${kind}\0${value}`).digest('hex').slice(0, 24)}`;
}

const idKey = (kind: IdentityKind, value: string) => `${kind}\0${value}`;
const okId = (v: string | null): v is string => v !== null && v.length > 0 && v.length <= MAX_ID;
const maxDate = (a: Date, b: Date) => (a.getTime() >= b.getTime() ? a : b);
const minDate = (a: Date, b: Date) => (a.getTime() <= b.getTime() ? a : b);
/** An identity as load() reads it, with the start of its latest visit (anonymous ids only). */
interface StoredIdentity {
  kind: IdentityKind;
  value: string;
  profile_id: string;
  first_seen: Date;
  last_seen: Date;
  visit_started_at: Date | null;
}

/** A profile's row as flush() writes it: whole when new, else the batch's part to fold into the stored row. */
const profileRow = (p: ProfileState) => ({
  id: p.id,
  user_id: p.userId,
  first_seen: p.firstSeen,
  last_seen: p.lastSeen,
  sessions: p.sessions,
  page_views: p.pageViews,
});
const PROFILE_ROW = {
  id: 'text',
  user_id: 'text',
  first_seen: 'timestamptz',
  last_seen: 'timestamptz',
  sessions: 'int4',
  page_views: 'int4',
} as const;
const IDENTITY_ROW = {
  kind: 'text',
  value: 'text',
  profile_id: 'text',
  first_seen: 'timestamptz',
  last_seen: 'timestamptz',
} as const;

export class BatchState {
  private readonly identities = new Map<string, IdentityState>();
  private readonly profiles = new Map<string, ProfileState>();
  /** loser → survivor, for profiles merged during this batch. */
  private readonly mergedInto = new Map<string, string>();
  private readonly merges: { from: string; into: string; at: Date }[] = [];
  private readonly traits = new Map<string, Map<string, Trait>>();
  private readonly orders: { facts: OrderFacts; profileId: string; messageId: string; at: Date }[] = [];
  private readonly refunds: { facts: RefundFacts; refundId: string; at: Date }[] = [];
  private readonly products = new Map<string, ProductFacts>();
  private readonly knownOrders = new Set<string>();
  /** Each anonymous id's current visit. */
  private readonly visits = new Map<string, VisitState>();
  private readonly visitsToWrite: VisitState[] = [];
  private siteCurrency: string | null = null;
  private currencyIsNew = false;

  constructor(
    private readonly trx: Transaction<Database>,
    private readonly siteId: string,
  ) {}

  /** Loads what the batch's events refer to: their identities, profiles, orders and the site's currency. */
  async load(events: LogEvent[]): Promise<void> {
    const anon = new Set<string>();
    const users = new Set<string>();
    const orderIds = new Set<string>();
    for (const e of events) {
      if (okId(e.anonymous_id)) anon.add(e.anonymous_id);
      if (okId(e.user_id)) users.add(e.user_id);
      if (okId(e.previous_id)) {
        anon.add(e.previous_id);
        users.add(e.previous_id);
      }
      if (e.event === 'Order Completed' && e.props?.order_id) orderIds.add(e.props.order_id);
    }
    const db = this.trx;
    const s = this.siteId;
    if (anon.size + users.size > 0) {
      const keys = [
        ...[...anon].map((value) => ({ kind: 'anonymous', value })),
        ...[...users].map((value) => ({ kind: 'user', value })),
      ];
      // With an anonymous id, the start of its latest visit: visits are written with their identity, so an id
      // without one has none.
      const { rows } = await sql<StoredIdentity>`
        select i.* from ${unnestRows(keys, { kind: 'text', value: 'text' }, 'k')}
        cross join lateral (
          select i.kind, i.value, i.profile_id, i.first_seen, i.last_seen,
            case when i.kind = 'anonymous' then (select max(v.started_at) from visitor_sessions v
              where v.site_id = i.site_id and v.anonymous_id = i.value) end as visit_started_at
          from identities i where i.site_id = ${s} and i.kind = k.kind and i.value = k.value offset 0) i`.execute(db);
      for (const r of rows) {
        this.identities.set(idKey(r.kind, r.value), {
          kind: r.kind,
          value: r.value,
          profileId: r.profile_id,
          firstSeen: new Date(r.first_seen),
          // A browser without a visit has not been active yet (an identify alone named it): its stored last_seen is
          // when it was first seen, and the page after it must still open its first visit.
          lastActive: r.kind === 'anonymous' && !r.visit_started_at ? null : new Date(r.last_seen),
          dirty: false,
        });
        if (r.visit_started_at) this.continueVisit(r.value, new Date(r.visit_started_at));
      }
      const ids = [...new Set(rows.map((r) => r.profile_id))];
      if (ids.length) {
        const { rows: profiles } = await sql<{ id: string; user_id: string | null; first_seen: Date; last_seen: Date }>`
          select p.* from unnest(${ids}::text[]) as k(id)
          cross join lateral (select profile_id as id, user_id, first_seen, last_seen from profiles
            where site_id = ${s} and profile_id = k.id offset 0) p`.execute(db);
        for (const p of profiles) {
          this.profiles.set(p.id, {
            id: p.id,
            userId: p.user_id,
            isNew: false,
            firstSeen: new Date(p.first_seen),
            lastSeen: new Date(p.last_seen),
            sessions: 0,
            pageViews: 0,
            touched: false,
          });
        }
      }
    }
    if (orderIds.size) {
      const { rows } = await sql<{ order_id: string }>`
        select o.* from unnest(${[...orderIds]}::text[]) as k(id)
        cross join lateral (select order_id from orders where site_id = ${s} and order_id = k.id offset 0) o`.execute(
        db,
      );
      for (const r of rows) this.knownOrders.add(r.order_id);
    }
    const commerce = await db
      .selectFrom('site_commerce')
      .select('currency')
      .where('site_id', '=', s)
      .executeTakeFirst();
    this.siteCurrency = commerce?.currency ?? null;
  }

  apply(e: LogEvent): void {
    const anon = okId(e.anonymous_id) ? e.anonymous_id : null;
    const user = okId(e.user_id) ? e.user_id : null;
    if (!anon && !user) return;
    let target: string;
    if (e.type === 'alias' && user && okId(e.previous_id)) target = this.alias(e.previous_id, user, e.timestamp);
    else target = this.resolve(anon, user, e.timestamp);
    if (e.type === 'alias' && anon && user) target = this.resolve(anon, user, e.timestamp);

    const profile = this.profile(target);
    profile.touched = true;
    profile.firstSeen = minDate(profile.firstSeen, e.timestamp);
    profile.lastSeen = maxDate(profile.lastSeen, e.timestamp);
    if (e.type === 'page') profile.pageViews++;
    // Sessions are visits of a browser or app (its anonymous id); server-side calls with only a user id
    // (an order confirmed by the shop's backend) belong to no visit.
    if (anon && (e.type === 'page' || e.type === 'screen' || e.type === 'track')) {
      const id = this.identities.get(idKey('anonymous', anon)) as IdentityState;
      // Late events (older than the last activity) fall into the session already counted.
      if (id.lastActive === null || e.timestamp.getTime() - id.lastActive.getTime() > SESSION_GAP_MS) {
        profile.sessions++;
        this.startVisit(anon, e.timestamp, target);
      }
      // Counted in the current visit, if it is known (events projected before visits were recorded have none).
      const visit = this.visits.get(anon);
      if (visit && e.type === 'page') visit.pageViews++;
      id.lastActive = id.lastActive === null ? e.timestamp : maxDate(id.lastActive, e.timestamp);
      id.dirty = true;
    }
    if (e.type === 'identify' && e.traits) this.addTraits(target, e.traits, e.timestamp);
    if (e.type === 'track') this.commerce(e, target);
  }

  private startVisit(anonymousId: string, startedAt: Date, profileId: string): void {
    const visit = { anonymousId, startedAt, profileId, pageViews: 0, isNew: true };
    this.visits.set(anonymousId, visit);
    this.visitsToWrite.push(visit);
  }

  private continueVisit(anonymousId: string, startedAt: Date): void {
    const visit = { anonymousId, startedAt, profileId: null, pageViews: 0, isNew: false };
    this.visits.set(anonymousId, visit);
    this.visitsToWrite.push(visit);
  }

  /** Survivor of a profile after this batch's merges. */
  private final(profileId: string): string {
    let id = profileId;
    for (let next = this.mergedInto.get(id); next; next = this.mergedInto.get(id)) id = next;
    return id;
  }

  private profile(id: string): ProfileState {
    return this.profiles.get(this.final(id)) as ProfileState;
  }

  private identity(kind: IdentityKind, value: string): string | undefined {
    const i = this.identities.get(idKey(kind, value));
    return i ? this.final(i.profileId) : undefined;
  }

  private attach(kind: IdentityKind, value: string, profileId: string, at: Date): void {
    const existing = this.identities.get(idKey(kind, value));
    if (existing) {
      existing.profileId = profileId;
      existing.dirty = true;
      return;
    }
    this.identities.set(idKey(kind, value), { kind, value, profileId, firstSeen: at, lastActive: null, dirty: true });
  }

  private create(kind: IdentityKind, value: string, at: Date): string {
    const id = profileIdFor(this.siteId, kind, value);
    this.profiles.set(id, {
      id,
      userId: kind === 'user' ? value : null,
      isNew: true,
      firstSeen: at,
      lastSeen: at,
      sessions: 0,
      pageViews: 0,
      touched: true,
    });
    this.attach(kind, value, id, at);
    return id;
  }

  /**
   * The profile an event belongs to. A new user id takes over an anonymous profile; an anonymous profile
   * meeting a known user is merged into it; an anonymous id already tied to another user (a shared device)
   * moves to the new user without merging the two people.
   */
  private resolve(anon: string | null, user: string | null, at: Date): string {
    const pA = anon ? this.identity('anonymous', anon) : undefined;
    if (!user) return pA ?? this.create('anonymous', anon as string, at);
    let pU = this.identity('user', user);
    if (!pU) {
      if (pA && this.profile(pA).userId === null) {
        this.profile(pA).userId = user;
        this.attach('user', user, pA, at);
        return pA;
      }
      pU = this.create('user', user, at);
    }
    if (anon) {
      if (!pA) this.attach('anonymous', anon, pU, at);
      else if (pA !== pU) {
        if (this.profile(pA).userId === null) this.merge(pA, pU, at);
        else this.attach('anonymous', anon, pU, at);
      }
    }
    return pU;
  }

  /** alias(previousId → userId): both ids are the same person, whatever each was tied to. */
  private alias(previous: string, user: string, at: Date): string {
    const pP = this.identity('user', previous) ?? this.identity('anonymous', previous);
    const pU = this.identity('user', user);
    if (pP && pU) {
      if (pP !== pU) this.merge(pP, pU, at);
      return pU;
    }
    if (pP) {
      this.profile(pP).userId = user;
      this.attach('user', user, pP, at);
      return pP;
    }
    const target = pU ?? this.create('user', user, at);
    this.attach('user', previous, target, at);
    return target;
  }

  private merge(from: string, into: string, at: Date): void {
    const f = this.profile(from);
    const t = this.profile(into);
    this.mergedInto.set(f.id, t.id);
    this.merges.push({ from: f.id, into: t.id, at });
    t.userId ??= f.userId;
    t.firstSeen = minDate(t.firstSeen, f.firstSeen);
    t.lastSeen = maxDate(t.lastSeen, f.lastSeen);
    t.sessions += f.sessions;
    t.pageViews += f.pageViews;
    t.touched = true;
    for (const i of this.identities.values()) {
      if (i.profileId === f.id) {
        i.profileId = t.id;
        i.dirty = true;
      }
    }
    const moved = this.traits.get(f.id);
    if (moved) {
      this.traits.delete(f.id);
      for (const [k, v] of moved) this.setTrait(t.id, k, v);
    }
  }

  private setTrait(profileId: string, key: string, trait: Trait): void {
    let map = this.traits.get(profileId);
    if (!map) {
      map = new Map();
      this.traits.set(profileId, map);
    }
    const current = map.get(key);
    // Latest event time wins; on a tie the event projected later wins.
    if (!current || trait.at.getTime() >= current.at.getTime()) map.set(key, trait);
  }

  private addTraits(profileId: string, traits: Record<string, unknown>, at: Date): void {
    let n = 0;
    for (const [key, value] of Object.entries(traits)) {
      if (key.length === 0 || key.length > MAX_KEY || n++ >= MAX_TRAITS) continue;
      this.setTrait(profileId, key, { value: value === undefined ? null : value, at });
    }
  }

  private addProduct(p: ProductFacts): void {
    const seen = this.products.get(p.product_id);
    if (!seen) this.products.set(p.product_id, p);
    else {
      // Events only fill in what is still unknown (the catalogue import is authoritative).
      for (const k of Object.keys(p) as (keyof ProductFacts)[])
        if (seen[k] === null) Object.assign(seen, { [k]: p[k] });
    }
  }

  private commerce(e: LogEvent, profileId: string): void {
    if (!e.props) return;
    if (e.event === 'Product Viewed' || e.event === 'Product Added') {
      const p = productFacts(e.props);
      if (p) this.addProduct(p);
    } else if (e.event === 'Order Completed') {
      const order = orderFacts(e.props, e.products);
      // The first event for an order id wins; repeats (a reloaded thank-you page) change nothing.
      if (!order || this.knownOrders.has(order.order_id)) return;
      this.knownOrders.add(order.order_id);
      if (this.siteCurrency === null && order.currency !== null && order.currency !== 'invalid') {
        this.siteCurrency = order.currency;
        this.currencyIsNew = true;
      }
      this.orders.push({ facts: order, profileId, messageId: e.message_id, at: e.timestamp });
      for (const line of order.lines) {
        if (line.product_id) {
          this.addProduct({
            product_id: line.product_id,
            sku: line.sku,
            name: line.name,
            price: line.price,
            currency: null,
            category: line.category,
            brand: line.brand,
            url: null,
            image_url: null,
          });
        }
      }
    } else if (e.event === 'Order Refunded') {
      const refund = refundFacts(e.props, e.products);
      if (refund) this.refunds.push({ facts: refund, refundId: e.message_id, at: e.timestamp });
    }
  }

  /** Writes everything the batch changed; runs inside the batch's transaction. */
  async flush(): Promise<void> {
    const db = this.trx;
    const s = this.siteId;
    // New profiles are written whole and the others get the batch's part added, in one statement. A new profile
    // merged away in this batch gets an empty row for mergeRows to carry along: a stored profile merged into it
    // passes its counters on through it.
    const written = [...this.profiles.values()].filter((p) => p.isNew || (p.touched && !this.mergedInto.has(p.id)));
    if (written.length) {
      const rows = written.map((p) =>
        this.mergedInto.has(p.id) ? { ...profileRow(p), user_id: null, sessions: 0, page_views: 0 } : profileRow(p),
      );
      await sql`
        insert into profiles (site_id, profile_id, user_id, first_seen, last_seen, sessions, page_views)
        select ${s}, p.id, p.user_id, p.first_seen, p.last_seen, p.sessions, p.page_views
        from ${unnestRows(rows, PROFILE_ROW, 'p')}
        on conflict (site_id, profile_id) do update set user_id = excluded.user_id,
          first_seen = least(profiles.first_seen, excluded.first_seen),
          last_seen = greatest(profiles.last_seen, excluded.last_seen),
          sessions = profiles.sessions + excluded.sessions, page_views = profiles.page_views + excluded.page_views`.execute(
        db,
      );
    }
    const orderProfiles = new Set<string>();
    for (const m of this.merges) {
      await this.mergeRows(m.from, m.into, m.at);
      orderProfiles.add(this.final(m.into));
    }

    const identities = [...this.identities.values()].filter((i) => i.dirty);
    if (identities.length) {
      const rows = identities.map((i) => ({
        kind: i.kind,
        value: i.value,
        profile_id: this.final(i.profileId),
        first_seen: i.firstSeen,
        last_seen: i.lastActive ?? i.firstSeen,
      }));
      // A row that would not change is not rewritten (a late event leaves last_seen as it was).
      await sql`
        insert into identities (site_id, kind, value, profile_id, first_seen, last_seen)
        select ${s}, i.kind, i.value, i.profile_id, i.first_seen, i.last_seen
        from ${unnestRows(rows, IDENTITY_ROW, 'i')}
        on conflict (site_id, kind, value) do update
          set profile_id = excluded.profile_id, last_seen = excluded.last_seen
          where (identities.profile_id, identities.last_seen) is distinct from (excluded.profile_id, excluded.last_seen)`.execute(
        db,
      );
    }

    await this.writeVisits();

    const traits = [...this.traits].flatMap(([profileId, map]) =>
      [...map].map(([key, t]) => ({ p: this.final(profileId), k: key, v: t.value, at: t.at.toISOString() })),
    );
    if (traits.length) {
      await sql`
        insert into profile_traits (site_id, profile_id, key, value, updated_at)
        select ${s}, t.p, t.k, t.v, t.at from jsonb_to_recordset(${JSON.stringify(traits)}::jsonb)
          as t(p text, k text, v jsonb, at timestamptz)
        on conflict (site_id, profile_id, key) do update set value = excluded.value, updated_at = excluded.updated_at
        where excluded.updated_at >= profile_traits.updated_at`.execute(db);
    }

    if (this.currencyIsNew && this.siteCurrency) {
      await db
        .insertInto('site_commerce')
        .values({ site_id: s, currency: this.siteCurrency })
        .onConflict((oc) => oc.column('site_id').doNothing())
        .execute();
    }
    const touchedOrders = new Set<string>();
    if (this.orders.length) {
      const rows = this.orders.map((o) => {
        const c = o.facts.currency;
        orderProfiles.add(this.final(o.profileId));
        touchedOrders.add(o.facts.order_id);
        return {
          ...o.facts,
          currency: c === 'invalid' ? null : c,
          // Another currency than the site's (or an unreadable one) is stored but kept out of revenue.
          counted: c === null || c === this.siteCurrency,
          profile_id: this.final(o.profileId),
          message_id: o.messageId,
          ordered_at: o.at.toISOString(),
        };
      });
      const json = JSON.stringify(rows);
      await sql`
        insert into order_items (site_id, order_id, line, product_id, sku, name, price, quantity, category, brand)
        select ${s}, o.order_id, l.line, l.product_id, l.sku, l.name, l.price::numeric, l.quantity, l.category, l.brand
        from jsonb_to_recordset(${json}::jsonb) as o(order_id text, lines jsonb)
        cross join jsonb_to_recordset(o.lines) as l(line int, product_id text, sku text, name text, price text,
          quantity int, category text, brand text)`.execute(db);
      await sql`
        insert into orders (site_id, order_id, profile_id, message_id, ordered_at, currency, total, discount, shipping,
          tax, counted)
        select ${s}, o.order_id, o.profile_id, o.message_id, o.ordered_at, o.currency,
          coalesce(o.total::numeric, (select coalesce(sum(i.price * i.quantity), 0) from order_items i
            where i.site_id = ${s} and i.order_id = o.order_id)),
          o.discount::numeric, o.shipping::numeric, o.tax::numeric, o.counted
        from jsonb_to_recordset(${json}::jsonb) as o(order_id text, profile_id text, message_id text,
          ordered_at timestamptz, currency text, total text, discount text, shipping text, tax text, counted boolean)`.execute(
        db,
      );
    }
    if (this.refunds.length) {
      const rows = this.refunds.map((r) => {
        touchedOrders.add(r.facts.order_id);
        return { ...r.facts, refund_id: r.refundId, refunded_at: r.at.toISOString() };
      });
      // Per-product refunds are priced from the event, else from the order's line for that product.
      await sql`
        insert into order_refunds (site_id, refund_id, order_id, refunded_at, amount)
        select ${s}, r.refund_id, r.order_id, r.refunded_at,
          case when r.amount is not null then r.amount::numeric
               when r.items is not null then (
                 select coalesce(sum(coalesce(i.price::numeric, ol.price) * coalesce(i.quantity, ol.quantity, 1)), 0)
                 from jsonb_to_recordset(r.items) as i(product_id text, sku text, price text, quantity int)
                 left join lateral (select x.price, x.quantity from order_items x
                   where x.site_id = ${s} and x.order_id = r.order_id
                     and (x.product_id = i.product_id or (i.product_id is null and x.sku = i.sku))
                   order by x.line limit 1) ol on true)
          end
        from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
          as r(refund_id text, order_id text, refunded_at timestamptz, amount text, items jsonb)
        on conflict do nothing`.execute(db);
    }
    if (touchedOrders.size) {
      const { rows } = await sql<{ profile_id: string }>`
        update orders o set
          refunded = case when r.whole then o.total else least(o.total, r.amount) end,
          status = case when r.whole or r.amount >= o.total then 'refunded'
                        when r.amount > 0 then 'partially_refunded' else 'completed' end
        from (select t.tid, f.whole, f.amount from unnest(${[...touchedOrders]}::text[]) as k(id)
              cross join lateral (select ctid as tid from orders where site_id = ${s} and order_id = k.id offset 0) t
              cross join lateral (select count(*) as n, bool_or(amount is null) as whole, coalesce(sum(amount), 0) as amount
                from order_refunds where site_id = ${s} and order_id = k.id) f
              where f.n > 0) r
        where o.ctid = r.tid
        returning o.profile_id`.execute(db);
      for (const r of rows) orderProfiles.add(r.profile_id);
    }
    if (orderProfiles.size) {
      // Order counters are recomputed from the orders themselves: exact after refunds and merges alike.
      await sql`
        update profiles p set orders = c.orders, revenue = c.revenue, first_order_at = c.first_at, last_order_at = c.last_at
        from (select t.tid, o.* from unnest(${[...orderProfiles]}::text[]) as k(id)
              cross join lateral (select ctid as tid from profiles where site_id = ${s} and profile_id = k.id offset 0) t
              cross join lateral (select count(order_id) filter (where status <> 'refunded') as orders,
                  coalesce(sum(total - refunded), 0) as revenue, min(ordered_at) as first_at, max(ordered_at) as last_at
                from orders where site_id = ${s} and profile_id = k.id and counted) o) c
        where p.ctid = c.tid`.execute(db);
    }
    if (this.products.size) {
      // Most products of a batch are known already: only one whose unknown fields the batch fills is rewritten.
      await sql`
        insert into products (site_id, product_id, sku, name, price, currency, category, brand, url, image_url)
        select ${s}, p.product_id, p.sku, p.name, p.price::numeric, p.currency, p.category, p.brand, p.url, p.image_url
        from jsonb_to_recordset(${JSON.stringify([...this.products.values()])}::jsonb) as p(product_id text, sku text,
          name text, price text, currency text, category text, brand text, url text, image_url text)
        on conflict (site_id, product_id) do update set
          sku = coalesce(products.sku, excluded.sku), name = coalesce(products.name, excluded.name),
          price = coalesce(products.price, excluded.price), currency = coalesce(products.currency, excluded.currency),
          category = coalesce(products.category, excluded.category), brand = coalesce(products.brand, excluded.brand),
          url = coalesce(products.url, excluded.url), image_url = coalesce(products.image_url, excluded.image_url)
        where (products.sku is null and excluded.sku is not null) or (products.name is null and excluded.name is not null)
          or (products.price is null and excluded.price is not null)
          or (products.currency is null and excluded.currency is not null)
          or (products.category is null and excluded.category is not null)
          or (products.brand is null and excluded.brand is not null) or (products.url is null and excluded.url is not null)
          or (products.image_url is null and excluded.image_url is not null)`.execute(db);
    }
  }

  private async writeVisits(): Promise<void> {
    // Visits started in this batch, and the page views this batch adds to stored ones. A stored visit is there (it
    // was read in this transaction, and erasures wait for the projector), so its row only ever takes the update.
    const rows = this.visitsToWrite
      .filter((v) => v.isNew || v.pageViews > 0)
      .map((v) => ({
        a: v.anonymousId,
        at: v.startedAt,
        p: this.final(
          v.profileId ?? (this.identities.get(idKey('anonymous', v.anonymousId)) as IdentityState).profileId,
        ),
        n: v.pageViews,
      }));
    if (rows.length) {
      await sql`
        insert into visitor_sessions (site_id, anonymous_id, started_at, profile_id, page_views)
        select ${this.siteId}, v.a, v.at, v.p, v.n
        from ${unnestRows(rows, { a: 'text', at: 'timestamptz', p: 'text', n: 'int4' }, 'v')}
        on conflict (site_id, anonymous_id, started_at) do update
          set page_views = visitor_sessions.page_views + excluded.page_views`.execute(this.trx);
    }
  }

  /** Moves a merged profile's stored rows to the survivor, then lets other capabilities follow. */
  private async mergeRows(from: string, into: string, at: Date): Promise<void> {
    const db = this.trx;
    const s = this.siteId;
    await db
      .updateTable('identities')
      .set({ profile_id: into })
      .where('site_id', '=', s)
      .where('profile_id', '=', from)
      .execute();
    await sql`
      insert into profile_traits (site_id, profile_id, key, value, updated_at)
      select site_id, ${into}, key, value, updated_at from profile_traits where site_id = ${s} and profile_id = ${from}
      on conflict (site_id, profile_id, key) do update set value = excluded.value, updated_at = excluded.updated_at
      where excluded.updated_at > profile_traits.updated_at`.execute(db);
    await db.deleteFrom('profile_traits').where('site_id', '=', s).where('profile_id', '=', from).execute();
    await db
      .updateTable('orders')
      .set({ profile_id: into })
      .where('site_id', '=', s)
      .where('profile_id', '=', from)
      .execute();
    await db
      .updateTable('visitor_sessions')
      .set({ profile_id: into })
      .where('site_id', '=', s)
      .where('profile_id', '=', from)
      .execute();
    // Counters the survivor gets from the loser's stored row (in-memory deltas were moved already).
    await sql`
      update profiles p set sessions = p.sessions + f.sessions, page_views = p.page_views + f.page_views,
        first_seen = least(p.first_seen, f.first_seen), last_seen = greatest(p.last_seen, f.last_seen)
      from profiles f where p.site_id = ${s} and p.profile_id = ${into} and f.site_id = ${s} and f.profile_id = ${from}`.execute(
      db,
    );
    await db.deleteFrom('profiles').where('site_id', '=', s).where('profile_id', '=', from).execute();
    await db
      .updateTable('profile_merges')
      .set({ into_profile_id: into })
      .where('site_id', '=', s)
      .where('into_profile_id', '=', from)
      .execute();
    await db
      .insertInto('profile_merges')
      .values({ site_id: s, from_profile_id: from, into_profile_id: into, merged_at: at })
      .onConflict((oc) => oc.columns(['site_id', 'from_profile_id']).doUpdateSet({ into_profile_id: into }))
      .execute();
    await runMergeHooks(db, { siteId: s, fromProfileId: from, intoProfileId: into });
  }
}
