// The Postgres writer: one transaction of two steps. The group's message ids alone claim their slots in
// event_ids (a small statement), then COPY streams only the new rows into `events`. COPY is the cheapest way
// into a table, where the one-statement path (store.ts) first has Postgres unpack every row from a JSON
// document: `node --import tsx bench/stages.ts --events 60000 --group 200` measured the Postgres backends at
// 56 µs of CPU per event this way against 103 µs for the one statement (COPY alone, the ceiling: 28 µs).
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type Kysely, sql } from 'kysely';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Database } from '../db/index.ts';
import { type EventRow, eventColumns } from './event-row.ts';
import { deduplicate } from './message-ids.ts';

/** COPY's statement, in the order of copyLine's fields. */
export const copyStatement = `copy events (${eventColumns.map(([name]) => `"${name}"`).join(', ')}) from stdin`;

// In COPY's text format a backslash starts an escape and tab, newline and carriage return end a field or line.
// JSON text never holds the last three raw, so only its backslashes need doubling.
const SPECIAL = /[\\\n\r\t]/;
const SPECIALS = /[\\\n\r\t]/g;
const escapes: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
const isJson = eventColumns.map(([, type]) => type === 'jsonb');

/** One row as a line of COPY's text format (validation has already refused NUL and lone surrogates). */
export function copyLine(row: EventRow): string {
  let line = '';
  for (let i = 0; i < eventColumns.length; i++) {
    const v = row[(eventColumns[i] as (typeof eventColumns)[number])[0]];
    let field: string;
    if (v === null) field = '\\N';
    else if (typeof v === 'number') field = String(v);
    else if (isJson[i]) {
      field = JSON.stringify(v);
      if (field.includes('\\')) field = field.replaceAll('\\', '\\\\');
    } else {
      field = String(v);
      if (SPECIAL.test(field)) field = field.replace(SPECIALS, (c) => escapes[c] ?? c);
    }
    line += i === 0 ? field : `\t${field}`;
  }
  return `${line}\n`;
}

/**
 * The rows as COPY's input. One Buffer per line, then one copy: joining the lines as strings first flattens each
 * line's rope, which took twice as long (12.6 against 6.1 µs per event with copyLine, on the benchmark's events).
 */
export function copyData(rows: readonly EventRow[]): Buffer {
  return Buffer.concat(rows.map((row) => Buffer.from(copyLine(row))));
}

const compare = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
const byId = (a: EventRow, b: EventRow) => compare(a.site_id, b.site_id) || compare(a.message_id, b.message_id);

/** Stores rows as insertEvents does (same answer per row), through `pool`'s connections. */
export function copyWriter(db: Kysely<Database>, pool: pg.Pool): (rows: EventRow[]) => Promise<boolean[]> {
  return async (rows) => {
    const { unique, stored } = deduplicate(rows);
    // In one order in every group, so two groups claiming the same ids wait for each other instead of deadlocking.
    const ids = [...unique].sort(byId);
    const claim = sql<{ site_id: string; message_id: string }>`
      insert into event_ids (site_id, message_id, received_at)
      select * from unnest(
        ${ids.map((r) => r.site_id)}::text[], ${ids.map((r) => r.message_id)}::text[],
        ${ids.map((r) => r.received_at)}::timestamptz[])
      on conflict do nothing
      returning site_id, message_id`.compile(db);
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('begin');
      // Named, so each connection parses and plans it once: 2–3 µs of Postgres CPU per event less in groups of 200.
      const { rows: inserted } = await client.query<{ site_id: string; message_id: string }>({
        name: 'fideliza_claim_event_ids',
        text: claim.sql,
        values: [...claim.parameters],
      });
      const isNew = stored(inserted);
      const fresh = rows.filter((_, i) => isNew[i]);
      if (fresh.length > 0) {
        await pipeline(Readable.from([copyData(fresh)]), client.query(copyFrom(copyStatement)));
      }
      await client.query('commit');
      return isNew;
    } catch (error) {
      await client.query('rollback').catch((e: Error) => {
        broken = e;
      });
      throw error;
    } finally {
      // A connection that could not even roll back is not handed to the next writer.
      client.release(broken);
    }
  };
}
