import { type Kysely, sql } from 'kysely';

// The cursor is the last projected (xid, seq) plus the writers that were still running below it (`pending`):
// their rows are projected when they commit, so a slow writer neither is skipped nor holds the others back.
// What the projector derives from the event log (profiles, identities, traits, orders, products) and its
// per-site cursor. Everything here except catalogue-imported products can be deleted and rebuilt from events.
// Money is `numeric` (exact decimals); ids compare byte-wise (collate "C") like the event log's.
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's schema type.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table projector_cursors (
      site_id text collate "C" primary key,
      last_xid xid8 not null default '0',
      last_seq bigint not null default 0,
      pending xid8[] not null default '{}',
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`
    create table profiles (
      site_id text collate "C" not null,
      profile_id text collate "C" not null,
      user_id text collate "C",
      first_seen timestamptz not null,
      last_seen timestamptz not null,
      sessions integer not null default 0,
      page_views integer not null default 0,
      orders integer not null default 0,
      revenue numeric not null default 0,
      average_order_value numeric generated always as (case when orders > 0 then round(revenue / orders, 2) end) stored,
      first_order_at timestamptz,
      last_order_at timestamptz,
      primary key (site_id, profile_id)
    )`.execute(db);
  await sql`
    create table identities (
      site_id text collate "C" not null,
      kind text not null,
      value text collate "C" not null,
      profile_id text collate "C" not null,
      first_seen timestamptz not null,
      last_seen timestamptz not null,
      primary key (site_id, kind, value)
    )`.execute(db);
  await sql`create index identities_profile on identities (site_id, profile_id)`.execute(db);
  await sql`
    create table profile_traits (
      site_id text collate "C" not null,
      profile_id text collate "C" not null,
      key text collate "C" not null,
      value jsonb,
      updated_at timestamptz not null,
      primary key (site_id, profile_id, key)
    )`.execute(db);
  await sql`
    create table profile_merges (
      site_id text collate "C" not null,
      from_profile_id text collate "C" not null,
      into_profile_id text collate "C" not null,
      merged_at timestamptz not null,
      primary key (site_id, from_profile_id)
    )`.execute(db);
  await sql`
    create table site_commerce (
      site_id text collate "C" primary key,
      currency text not null
    )`.execute(db);
  await sql`
    create table orders (
      site_id text collate "C" not null,
      order_id text collate "C" not null,
      profile_id text collate "C" not null,
      message_id text collate "C" not null,
      ordered_at timestamptz not null,
      currency text,
      total numeric not null,
      discount numeric,
      shipping numeric,
      tax numeric,
      counted boolean not null,
      refunded numeric not null default 0,
      status text not null default 'completed',
      primary key (site_id, order_id)
    )`.execute(db);
  await sql`create index orders_profile on orders (site_id, profile_id)`.execute(db);
  await sql`
    create table order_items (
      site_id text collate "C" not null,
      order_id text collate "C" not null,
      line integer not null,
      product_id text collate "C",
      sku text,
      name text,
      price numeric,
      quantity integer not null,
      category text,
      brand text,
      primary key (site_id, order_id, line)
    )`.execute(db);
  await sql`
    create table order_refunds (
      site_id text collate "C" not null,
      refund_id text collate "C" not null,
      order_id text collate "C" not null,
      refunded_at timestamptz not null,
      amount numeric,
      primary key (site_id, refund_id)
    )`.execute(db);
  await sql`create index order_refunds_order on order_refunds (site_id, order_id)`.execute(db);
  await sql`
    create table products (
      site_id text collate "C" not null,
      product_id text collate "C" not null,
      sku text,
      name text,
      price numeric,
      currency text,
      category text,
      brand text,
      url text,
      image_url text,
      from_catalog boolean not null default false,
      updated_at timestamptz not null default now(),
      primary key (site_id, product_id)
    )`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'products',
    'order_refunds',
    'order_items',
    'orders',
    'site_commerce',
    'profile_merges',
    'profile_traits',
    'identities',
    'profiles',
    'projector_cursors',
  ]) {
    await sql`drop table ${sql.table(t)}`.execute(db);
  }
}
