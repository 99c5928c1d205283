// Times recommendations the way a shop's pages ask for them: the two queries alone, then the HTTP path in-process
// (app.request: write key, origin, zod, SQL, JSON; no socket) without and with the answer cache, against the floor
// of one `select 1` round trip.
import { sql } from 'kysely';
import type { Db } from '../src/db/index.ts';
import { createApp } from '../src/http/app.ts';
import { boughtTogether, forPerson } from '../src/recommend/store.ts';
import { type Latency, timeRuns } from './stats.ts';

export interface RecommendTimingOptions {
  siteId: string;
  writeKey: string;
  /** An origin the site allows (sent as a browser would). */
  origin: string;
  runs: number;
  nextProduct: () => string;
  nextVisitor: () => string;
}

export interface RecommendTiming {
  label: string;
  latency: Latency;
  /** The HTTP path as the server runs it (default answer cache): what the 5 ms p99 goal is about. */
  served?: boolean;
}

export async function timeRecommendations(db: Db, o: RecommendTimingOptions): Promise<RecommendTiming[]> {
  const k = db.kysely;
  const timing = { runs: o.runs, warmup: 200 };
  const out: RecommendTiming[] = [
    { label: 'select 1 round trip (the floor)', latency: await timeRuns(() => sql`select 1`.execute(k), timing) },
    {
      label: 'bought together, query only',
      latency: await timeRuns(() => boughtTogether(k, o.siteId, o.nextProduct(), 10), timing),
    },
    {
      label: 'for you, queries only',
      latency: await timeRuns(() => forPerson(k, o.siteId, { anonymousId: o.nextVisitor() }, 10), timing),
    },
  ];
  const config = { TRUST_PROXY: false, RATE_LIMIT_RPS: 1e6, RATE_LIMIT_BURST: 1e6 };
  const key = `writeKey=${o.writeKey}`;
  // The server's own answer cache (its default lifetime), and none: every request then reaches the database.
  for (const served of [false, true]) {
    const { app, closeRealtime } = createApp({ db, config, recommendations: served ? {} : { cacheMs: 0 } });
    const get = (url: string) => async () => {
      const res = await app.request(url, { headers: { origin: o.origin } });
      if (res.status !== 200) throw new Error(`${url}: status ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
    };
    const how = served ? 'answer cache as served' : 'no answer cache';
    out.push(
      {
        label: `HTTP ?product= (limit 10, ${how})`,
        latency: await timeRuns(() => get(`/v1/recommendations?${key}&product=${o.nextProduct()}&limit=10`)(), timing),
        served,
      },
      {
        label: `HTTP ?anonymousId= (limit 10, ${how})`,
        latency: await timeRuns(
          () => get(`/v1/recommendations?${key}&anonymousId=${o.nextVisitor()}&limit=10`)(),
          timing,
        ),
        served,
      },
    );
    await closeRealtime();
  }
  return out;
}
