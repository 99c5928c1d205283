import { type Kysely, sql } from 'kysely';

// One row per visit (session) as the projector counts them in profiles.sessions: a browser's anonymous id active
// again after 30 minutes. It holds the profile the visit belongs to (moved along on merges) and its page views,
// so the overview counts visitors, sessions and page views of any range from visits rather than from the far
// more numerous events, in any time zone.
// Events projected before this migration have no visits: `fideliza rebuild` fills them in.
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's schema type.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table visitor_sessions (
      site_id text collate "C" not null,
      anonymous_id text collate "C" not null,
      started_at timestamptz not null,
      profile_id text collate "C" not null,
      page_views integer not null default 0,
      primary key (site_id, anonymous_id, started_at)
    )`.execute(db);
  // The overview reads a range of visits without touching the table.
  await sql`create index visitor_sessions_started on visitor_sessions (site_id, started_at) include (profile_id, page_views)`.execute(
    db,
  );
  // Merges and erasures move or delete a profile's visits.
  await sql`create index visitor_sessions_profile on visitor_sessions (site_id, profile_id)`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table visitor_sessions`.execute(db);
}
