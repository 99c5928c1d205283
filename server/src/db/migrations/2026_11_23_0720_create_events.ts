import { type Kysely, sql } from 'kysely';

// The event log, partitioned by month of the (skew-corrected) event time so old months can be
// detached or dropped whole. A unique key on a partitioned table must contain the partition key,
// so exactly-once rests on event_ids (site_id, message_id) instead, inserted in the same statement.
// Keys are opaque ids: byte order (collate "C") compares them fastest whatever the cluster's locale.
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's schema type.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create sequence events_seq`.execute(db);
  await sql`
    create table events (
      site_id text collate "C" not null,
      seq bigint not null default nextval('events_seq'),
      message_id text collate "C" not null,
      type text not null,
      event text,
      anonymous_id text,
      user_id text,
      previous_id text,
      group_id text,
      "timestamp" timestamptz not null,
      original_timestamp timestamptz,
      sent_at timestamptz,
      received_at timestamptz not null,
      url_path text,
      selector text,
      x integer,
      y integer,
      viewport_width integer,
      browser text,
      os text,
      device_type text,
      ip text,
      properties jsonb,
      traits jsonb,
      context jsonb,
      primary key (site_id, "timestamp", seq)
    ) partition by range ("timestamp")`.execute(db);
  await sql`create table events_default partition of events default`.execute(db);
  await sql`
    create table event_ids (
      site_id text collate "C" not null,
      message_id text collate "C" not null,
      received_at timestamptz not null,
      primary key (site_id, message_id)
    )`.execute(db);
  // Creates the monthly partitions of a range; safe to call from several processes at once.
  await sql`
    create function fideliza_ensure_event_partitions(first_month date, months integer) returns void
    language plpgsql as $$
    declare
      m date;
    begin
      for i in 0 .. months - 1 loop
        m := (date_trunc('month', first_month) + make_interval(months => i))::date;
        if to_regclass('events_' || to_char(m, 'YYYY_MM')) is null then
          begin
            execute format(
              'create table %I partition of events for values from (%L) to (%L)',
              'events_' || to_char(m, 'YYYY_MM'),
              m::text || ' 00:00:00+00',
              (m + interval '1 month')::date::text || ' 00:00:00+00');
          exception
            -- another process made it first, or old rows for that month already sit in the default partition
            when duplicate_table or check_violation then null;
          end;
        end if;
      end loop;
    end $$`.execute(db);
  await sql`select fideliza_ensure_event_partitions((now() - interval '24 months')::date, 28)`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function fideliza_ensure_event_partitions(date, integer)`.execute(db);
  await sql`drop table event_ids`.execute(db);
  await sql`drop table events`.execute(db);
  await sql`drop sequence events_seq`.execute(db);
}
