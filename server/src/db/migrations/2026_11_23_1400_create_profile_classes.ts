import { type Kysely, sql } from 'kysely';

// What is known about each profile's value and loyalty (lifecycle, RFM, ABC, premium, churn risk), recomputed
// set-based per site from profiles and orders. Segments filter on these columns, so their names are a contract.
// profile_erasures records each GDPR erasure (who, when, how much went), with no personal data beyond the
// profile id, which is a hash of the identity that created it.
// Events get indexes by person (partial: most rows carry an anonymous id, server-side ones only a user id)
// for a profile's timeline, its export and its erasure.
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's schema type.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table profile_classes (
      site_id text collate "C" not null,
      profile_id text collate "C" not null,
      lifecycle text not null,
      recency_score smallint,
      frequency_score smallint,
      monetary_score smallint,
      rfm_segment text,
      abc_class text,
      premium boolean not null default false,
      churn_risk text,
      days_since_last_order integer,
      computed_at timestamptz not null,
      primary key (site_id, profile_id)
    )`.execute(db);
  await sql`
    create table profile_erasures (
      site_id text collate "C" not null,
      profile_id text collate "C" not null,
      erased_at timestamptz not null,
      counts jsonb not null,
      primary key (site_id, profile_id, erased_at)
    )`.execute(db);
  await sql`create index events_site_anonymous on events (site_id, anonymous_id) where anonymous_id is not null`.execute(
    db,
  );
  await sql`create index events_site_user on events (site_id, user_id) where user_id is not null`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index events_site_user`.execute(db);
  await sql`drop index events_site_anonymous`.execute(db);
  await sql`drop table profile_erasures`.execute(db);
  await sql`drop table profile_classes`.execute(db);
}
