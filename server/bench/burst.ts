// A burst of the ingestion benchmark's traffic (events.ts) through the app in-process: `concurrency` POST /v1/batch
// requests in flight for `seconds`, every body pre-generated so that building them costs the burst nothing.
import type { RequestFn } from '../src/demo/ingest.ts';
import { eventFactory } from './events.ts';

export interface BurstOptions {
  writeKey: string;
  seconds: number;
  concurrency: number;
  batchSize: number;
  /** Events/s to pre-generate bodies for; more are built during the burst if it runs faster (and counted). */
  expectedRate: number;
  /** Once a second: events accepted so far and seconds elapsed. */
  onTick?: (accepted: number, elapsedSeconds: number) => void;
}

export interface BurstResult {
  /** Events stored (the answers' `accepted`). */
  accepted: number;
  seconds: number;
  rate: number;
  /** Bodies that had to be built during the burst because the pre-generated ones ran out. */
  builtDuring: number;
}

/** One factory for every burst of the run: its order ids go on counting, so a later burst's orders are new ones. */
const factory = eventFactory();

export async function burst(request: RequestFn, o: BurstOptions): Promise<BurstResult> {
  const now = Date.now();
  const build = (at?: number) => factory.batch(o.batchSize, at).toString('utf8');
  const bodies = Array.from({ length: Math.ceil((o.expectedRate * o.seconds) / o.batchSize) }, () => build(now));
  const headers = {
    authorization: `Basic ${Buffer.from(`${o.writeKey}:`).toString('base64')}`,
    'content-type': 'application/json',
  };
  let next = 0;
  let builtDuring = 0;
  let accepted = 0;
  const started = performance.now();
  const deadline = started + o.seconds * 1000;
  const ticker = setInterval(() => o.onTick?.(accepted, (performance.now() - started) / 1000), 1000);
  const worker = async () => {
    while (performance.now() < deadline) {
      let body = bodies[next++];
      if (!body) {
        body = build();
        builtDuring++;
      }
      const res = await request('/v1/batch', { method: 'POST', headers, body });
      if (res.status !== 200) throw new Error(`burst: /v1/batch answered ${res.status}: ${await res.text()}`);
      // Read first: `accepted += await …` would add to the value from before the await, losing other workers' counts.
      const answer = (await res.json()) as { accepted: number };
      accepted += answer.accepted;
    }
  };
  try {
    await Promise.all(Array.from({ length: o.concurrency }, worker));
  } finally {
    clearInterval(ticker);
  }
  const seconds = (performance.now() - started) / 1000;
  return { accepted, seconds, rate: accepted / seconds, builtDuring };
}
