import { type Kysely, sql } from 'kysely';

// The dashboard's recommendation outcomes read a site's recommendation list events over a range of days.
// Without an index that is a scan of every event in the range; this partial index holds only the two
// e-commerce list events (a few percent of the log), so ingestion pays for those rows alone.
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's schema type.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create index events_list_events on events (site_id, "timestamp")
    where type = 'track' and event in ('Product List Viewed', 'Product Clicked')`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index events_list_events`.execute(db);
}
