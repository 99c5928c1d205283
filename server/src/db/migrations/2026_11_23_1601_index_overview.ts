import { type Kysely, sql } from 'kysely';

// What the overview reads besides visits: the funnel's four events of a time range, with the ids that name the
// person (an index-only scan of a small slice of the event log instead of the wide rows), and orders by time.
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's schema type.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create index events_funnel on events (site_id, "timestamp") include (event, anonymous_id, user_id)
    where type = 'track' and event in ('Product Viewed', 'Product Added', 'Checkout Started', 'Order Completed')`.execute(
    db,
  );
  await sql`create index orders_ordered_at on orders (site_id, ordered_at)`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index orders_ordered_at`.execute(db);
  await sql`drop index events_funnel`.execute(db);
}
