import { type Kysely, sql } from 'kysely';

// A writer that took a lower seq can commit after one with a higher seq, so a cursor on seq alone would skip
// rows for ever. Each row records the id of the transaction that wrote it, and the projector asks its snapshot
// which writers were still running (pg_visible_in_snapshot): it reads only finished writers' rows and remembers
// the running ones it stepped over, to read their rows once they commit.
// Rows written before this migration get xid 0 (older than everything), which the constant default makes a
// metadata-only change; new rows then take the writer's id.
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's schema type.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table events add column xid xid8 not null default '0'`.execute(db);
  await sql`alter table events alter column xid set default pg_current_xact_id()`.execute(db);
  await sql`create index events_site_xid_seq on events (site_id, xid, seq)`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index events_site_xid_seq`.execute(db);
  await sql`alter table events drop column xid`.execute(db);
}
