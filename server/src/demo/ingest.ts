// Sends the generated history through the real tracking API (POST /v1/batch of an in-process app), so demo
// events are validated, enriched and stored exactly like a shop's traffic.
import type { IngestResult } from '../protocol/index.ts';
import {
  countHistory,
  emptyCounts,
  type HistoryCounts,
  type HistoryOptions,
  history,
  type OutgoingMessage,
} from './generate.ts';

/** Something that answers HTTP requests like the app does (`app.request`). */
export type RequestFn = (path: string, init: RequestInit) => Response | Promise<Response>;

export interface IngestProgress {
  sent: number;
  total: number;
  elapsedMs: number;
}

/** Within the 500-message batch limit, and well under the 512 KB body limit even when full of orders. */
const BATCH_MESSAGES = 250;
/** Two requests in flight: one is parsed and enriched while the other is written. */
const IN_FLIGHT = 2;

/** Posts the whole history; throws when the server rejects any message (generated events must all be valid). */
export async function ingestHistory(
  request: RequestFn,
  writeKey: string,
  o: HistoryOptions,
  onProgress?: (p: IngestProgress) => void,
): Promise<{ counts: HistoryCounts; accepted: number }> {
  const started = Date.now();
  const total = countHistory(o).events;
  const counts = emptyCounts();
  let accepted = 0;
  let sent = 0;
  const inFlight = new Set<Promise<void>>();

  const post = async (batch: OutgoingMessage[]) => {
    // No sentAt: the timestamps are history, not a skewed client clock to correct.
    const res = await request('/v1/batch', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ writeKey, batch }),
    });
    if (res.status !== 200) throw new Error(`demo: /v1/batch answered ${res.status}: ${await res.text()}`);
    const result = (await res.json()) as IngestResult;
    const firstRejection = result.rejected[0];
    if (firstRejection) throw new Error(`demo: a generated event was rejected: ${firstRejection.error}`);
    accepted += result.accepted;
    sent += batch.length;
    onProgress?.({ sent, total, elapsedMs: Date.now() - started });
  };

  const send = async (batch: OutgoingMessage[]) => {
    const p = post(batch).finally(() => inFlight.delete(p));
    inFlight.add(p);
    if (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
  };

  let batch: OutgoingMessage[] = [];
  for (const messages of history(o, counts)) {
    for (const m of messages) {
      batch.push(m);
      if (batch.length === BATCH_MESSAGES) {
        await send(batch);
        batch = [];
      }
    }
  }
  if (batch.length > 0) await send(batch);
  await Promise.all(inFlight);
  return { counts, accepted };
}

/** `demo: 42,000 / 120,000 events (12 s)` */
export const progressLine = (p: IngestProgress): string =>
  `demo: ${p.sent.toLocaleString('en')} / ${p.total.toLocaleString('en')} events (${Math.round(p.elapsedMs / 1000)} s)`;
