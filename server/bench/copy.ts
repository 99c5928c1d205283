// The ceiling: the benchmark's rows, built by the server's own validation and toEventRow path, written
// with COPY ... FROM STDIN (text format) straight into `events`.
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { type EventRow, toEventRow } from '../src/ingest/index.ts';
import { bodyTraits, checkMessage } from '../src/ingest/validate.ts';
import { batchSchema } from '../src/protocol/index.ts';

/** The columns the server writes, in the order of COPY's lines. */
export const copyColumns = [
  'site_id',
  'message_id',
  'type',
  'event',
  'anonymous_id',
  'user_id',
  'previous_id',
  'group_id',
  'timestamp',
  'original_timestamp',
  'sent_at',
  'received_at',
  'url_path',
  'selector',
  'x',
  'y',
  'viewport_width',
  'browser',
  'os',
  'device_type',
  'ip',
  'properties',
  'traits',
  'context',
] as const satisfies readonly (keyof EventRow)[];

const SPECIAL = /[\\\n\r\t]/g;
const escapes: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** One row as a line of COPY's text format. */
export function copyLine(row: EventRow): string {
  let line = '';
  for (let i = 0; i < copyColumns.length; i++) {
    const v = row[copyColumns[i] as keyof EventRow];
    let field: string;
    if (v === null) field = '\\N';
    else {
      const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
      field = SPECIAL.test(s) ? s.replace(SPECIAL, (c) => escapes[c] ?? c) : s;
      SPECIAL.lastIndex = 0;
    }
    line += i === 0 ? field : `\t${field}`;
  }
  return `${line}\n`;
}

/**
 * The rows the server would store for these request bodies (same parse, checks and toEventRow), as COPY
 * text in chunks of about 1 MB, so that the timed COPY does nothing but send them.
 */
export function copyChunksOf(bodies: readonly Buffer[], siteId: string): { chunks: Buffer[]; rows: number } {
  const chunks: Buffer[] = [];
  let pending: string[] = [];
  let pendingLength = 0;
  let rows = 0;
  for (const body of bodies) {
    const text = body.toString('utf8');
    const envelope = batchSchema.parse(JSON.parse(text));
    const traits = bodyTraits(text, body.byteLength);
    const facts = {
      siteId,
      receivedAt: Date.now(),
      batchSentAt: envelope.sentAt,
      requestIp: '127.0.0.1',
      requestUserAgent: undefined,
      newMessageId: randomUUID,
    };
    for (const raw of envelope.batch) {
      const checked = checkMessage(raw, traits, 2);
      if (!checked.ok) throw new Error(`benchmark event rejected: ${checked.error}`);
      const line = copyLine(toEventRow(checked.message, facts));
      pending.push(line);
      pendingLength += line.length;
      rows++;
      if (pendingLength >= 1 << 20) {
        chunks.push(Buffer.from(pending.join('')));
        pending = [];
        pendingLength = 0;
      }
    }
  }
  if (pending.length > 0) chunks.push(Buffer.from(pending.join('')));
  return { chunks, rows };
}

/** COPYs the chunks into `events` over one connection; returns the seconds it took (commit included). */
export async function copyIntoEvents(pool: pg.Pool, chunks: readonly Buffer[]): Promise<number> {
  const client = await pool.connect();
  try {
    const columns = copyColumns.map((c) => `"${c}"`).join(', ');
    const started = performance.now();
    await pipeline(Readable.from(chunks), client.query(copyFrom(`copy events (${columns}) from stdin`)));
    return (performance.now() - started) / 1000;
  } finally {
    client.release();
  }
}
