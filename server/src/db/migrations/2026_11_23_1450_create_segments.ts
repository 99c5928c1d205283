import { type Kysely, sql } from 'kysely';

// Saved segments (rule trees as jsonb, validated by the application), and the indexes their compiled SQL needs:
// trait conditions look up one key across all of a site's profiles, RFM conditions one named segment. The event log gets no index: event leaves
// scan its primary key's (site_id, timestamp) range and join identities, so ingestion pays nothing for segments.
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's schema type.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table segments (
      site_id text collate "C" not null,
      segment_id text collate "C" not null,
      name text not null,
      description text not null default '',
      rules jsonb not null,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      primary key (site_id, segment_id)
    )`.execute(db);
  await sql`create index profile_traits_by_key on profile_traits (site_id, key, profile_id)`.execute(db);
  // The built-in RFM segments and most saved ones pick profiles by named segment; the other class columns have a
  // handful of values each, where an index would not beat reading the table.
  await sql`create index profile_classes_by_rfm on profile_classes (site_id, rfm_segment)`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index profile_classes_by_rfm`.execute(db);
  await sql`drop index profile_traits_by_key`.execute(db);
  await sql`drop table segments`.execute(db);
}
