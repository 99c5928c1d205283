// Test helpers: events written through ingestion's own store, and a snapshot of every derived table.
import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/index.ts';
import { type EventRow, insertEvents } from '../ingest/index.ts';

export const T0 = Date.parse('2026-11-02T10:00:00Z');
export const MIN = 60 * 1000;

export interface EventInput {
  type: 'page' | 'track' | 'identify' | 'alias' | 'screen';
  at: number;
  anonymousId?: string;
  userId?: string;
  previousId?: string;
  event?: string;
  properties?: Record<string, unknown>;
  traits?: Record<string, unknown>;
}

export function eventRow(siteId: string, e: EventInput): EventRow {
  const iso = new Date(e.at).toISOString();
  return {
    site_id: siteId,
    message_id: randomUUID(),
    type: e.type,
    event: e.event ?? null,
    anonymous_id: e.anonymousId ?? null,
    user_id: e.userId ?? null,
    previous_id: e.previousId ?? null,
    group_id: null,
    timestamp: iso,
    original_timestamp: iso,
    sent_at: null,
    received_at: iso,
    url_path: null,
    selector: null,
    x: null,
    y: null,
    viewport_width: null,
    browser: null,
    os: null,
    device_type: null,
    ip: null,
    properties: e.properties ?? null,
    traits: e.traits ?? null,
    context: null,
  };
}

/** Writes the events in order, one commit each (so their xids follow the list). */
export async function write(db: Kysely<Database>, siteId: string, events: EventInput[]): Promise<void> {
  for (const e of events) await insertEvents(db, [eventRow(siteId, e)]);
}

const TABLES: Record<string, string> = {
  profiles: 'profile_id',
  identities: 'kind, value',
  profile_traits: 'profile_id, key',
  profile_merges: 'from_profile_id',
  site_commerce: 'site_id',
  orders: 'order_id',
  order_items: 'order_id, line',
  order_refunds: 'refund_id',
  products: 'product_id',
  visitor_sessions: 'anonymous_id, started_at',
};

/** Every derived row of the site, ordered by key (products' updated_at, which records wall time, left out). */
export async function snapshot(
  db: Kysely<Database>,
  siteId: string,
): Promise<Record<string, Record<string, unknown>[]>> {
  const out: Record<string, Record<string, unknown>[]> = {};
  for (const [table, order] of Object.entries(TABLES)) {
    const { rows } = await sql<Record<string, unknown>>`
      select * from ${sql.table(table)} where site_id = ${siteId} order by ${sql.raw(order)}`.execute(db);
    out[table] = table === 'products' ? rows.map(({ updated_at: _u, ...rest }) => rest) : rows;
  }
  return out;
}
