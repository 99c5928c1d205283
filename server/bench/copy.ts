// The ceiling: the benchmark's rows, built by the server's own validation, toEventRow and copyData, written
// with COPY ... FROM STDIN (text format) straight into `events`, with no claim on event_ids.
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { copyData, copyStatement, type EventRow, toEventRow } from '../src/ingest/index.ts';
import { bodyTraits, checkMessage } from '../src/ingest/validate.ts';
import { batchSchema } from '../src/protocol/index.ts';

/**
 * The rows the server would store for these request bodies (same parse, checks and toEventRow), as COPY
 * text in chunks of about 1 MB, so that the timed COPY does nothing but send them.
 */
export function copyChunksOf(bodies: readonly Buffer[], siteId: string): { chunks: Buffer[]; rows: number } {
  const chunks: Buffer[] = [];
  let pending: EventRow[] = [];
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
      pending.push(toEventRow(checked.message, facts));
      rows++;
      // About 1 MB of COPY text.
      if (pending.length === 1000) {
        chunks.push(copyData(pending));
        pending = [];
      }
    }
  }
  if (pending.length > 0) chunks.push(copyData(pending));
  return { chunks, rows };
}

/** COPYs the chunks into `events` over one connection; returns the seconds it took (commit included). */
export async function copyIntoEvents(pool: pg.Pool, chunks: readonly Buffer[]): Promise<number> {
  const client = await pool.connect();
  try {
    const started = performance.now();
    await pipeline(Readable.from(chunks), client.query(copyFrom(copyStatement)));
    return (performance.now() - started) / 1000;
  } finally {
    client.release();
  }
}
