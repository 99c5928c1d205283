// Tables owned by ingestion: the append-only event log and the ids that deduplicate it.
import type { Generated, JSONColumnType } from 'kysely';

type Json = Record<string, unknown>;

export interface EventsTable {
  site_id: string;
  seq: Generated<number>;
  message_id: string;
  type: string;
  /** The track event's name, or the page/screen name. */
  event: string | null;
  anonymous_id: string | null;
  user_id: string | null;
  previous_id: string | null;
  group_id: string | null;
  /** When it happened, corrected for the client's clock skew. */
  timestamp: Date;
  original_timestamp: Date | null;
  sent_at: Date | null;
  received_at: Date;
  url_path: string | null;
  selector: string | null;
  x: number | null;
  y: number | null;
  viewport_width: number | null;
  browser: string | null;
  os: string | null;
  device_type: string | null;
  /** Truncated: /24 for IPv4, /48 for IPv6. */
  ip: string | null;
  properties: JSONColumnType<Json | null>;
  traits: JSONColumnType<Json | null>;
  context: JSONColumnType<Json | null>;
}

/** One row per (site, messageId) ever accepted; the unique key that makes ingestion exactly-once. */
export interface EventIdsTable {
  site_id: string;
  message_id: string;
  received_at: Date;
}

export interface IngestTables {
  events: EventsTable;
  event_ids: EventIdsTable;
}
