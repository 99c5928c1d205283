// pnpm bench:overview [--customers 19000] [--days 90] [--runs 20] [--explain]
//
// The dashboard's overview at realistic scale: the demo shop's generated history for C customers over D days
// (19,000 customers ≈ 1,000,000 events) sent through the real ingestion API and folded by the projector into a
// scratch database (Postgres next to DATABASE_URL's when set, else PGlite); then times GET /api/overview
// in-process (auth, zod, SQL, JSON; no socket) for the last 7, 30 and 90 days and a whole year, in Madrid
// time. `--explain` prints the plan of each statement of the 30-day overview (EXPLAIN ANALYZE; Postgres only).
// Prints the figures; does not fail on them. Drops the database.
import { parseArgs } from 'node:util';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { siteOverview } from '../src/analytics/overview.ts';
import type { Database } from '../src/db/index.ts';
import { ingestHistory } from '../src/demo/ingest.ts';
import { createApp } from '../src/http/app.ts';
import { RateLimiter } from '../src/ingest/index.ts';
import { Projector } from '../src/profiles/index.ts';
import { createSite } from '../src/sites/index.ts';
import { openBenchDatabase } from './database.ts';
import { loadAverage, machineLine, softwareLine } from './machine.ts';
import { int, p50p99, positiveOption, timeRuns } from './stats.ts';

const { values: args } = parseArgs({
  options: {
    customers: { type: 'string', default: '19000' },
    days: { type: 'string', default: '90' },
    runs: { type: 'string', default: '20' },
    explain: { type: 'boolean', default: false },
  },
});
const CUSTOMERS = positiveOption('customers', args.customers);
const DAYS = positiveOption('days', args.days);
const RUNS = positiveOption('runs', args.runs);

const TZ = 'Europe/Madrid';
const END = new Date('2026-11-20T00:00:00Z');
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** The last `days` days of the history, as the dashboard asks for them. */
const lastDays = (days: number) => ({ from: isoDay(END.getTime() - days * 86_400_000), to: isoDay(END.getTime() - 1) });

async function main(): Promise<void> {
  const bench = await openBenchDatabase('fideliza_bench_overview');
  const { db } = bench;
  try {
    console.log(`${machineLine()}; ${await softwareLine(db)}; ${bench.where}`);
    const site = await createSite(db.kysely, { name: 'bench', origins: ['http://localhost'] });
    const unlimited = () => new RateLimiter(1e9, 1e9);
    const { app, drain, closeRealtime } = createApp({
      db,
      config: { TRUST_PROXY: true, RATE_LIMIT_RPS: 1e9, RATE_LIMIT_BURST: 1e9 },
      conversations: { limits: { newConversations: unlimited(), messages: unlimited() } },
    });
    try {
      let started = performance.now();
      const history = { seed: 7, customers: CUSTOMERS, days: DAYS, end: END, origin: 'http://localhost' };
      const { counts } = await ingestHistory((path, init) => app.request(path, init), site.writeKey, history);
      await drain();
      console.log(
        `ingested ${int(counts.events)} events (${int(counts.sessions)} sessions, ${int(counts.orders)} orders) ` +
          `in ${((performance.now() - started) / 1000).toFixed(0)} s`,
      );
      started = performance.now();
      const projected = await new Projector(db.kysely, { batchSize: 5000 }).projectAll();
      const projectSeconds = (performance.now() - started) / 1000;
      console.log(
        `projected ${int(projected)} events in ${projectSeconds.toFixed(0)} s (${int(projected / projectSeconds)}/s)`,
      );
      // What autovacuum does to an append-only table in time: statistics, and the visibility map index-only scans need.
      if (db.dialect === 'postgres') await sql`vacuum analyze`.execute(db.kysely);

      const headers = { authorization: `Bearer ${site.secretKey}` };
      for (const days of [7, 30, 90, 366]) {
        const { from, to } = lastDays(days);
        const url = `/api/overview?from=${from}&to=${to}&tz=${TZ}`;
        const latency = await timeRuns(
          async () => {
            const res = await app.request(url, { headers });
            await res.arrayBuffer();
            if (res.status !== 200) throw new Error(`overview: HTTP ${res.status}`);
          },
          { runs: RUNS },
        );
        console.log(`overview, last ${days} days (and the ${days} before): ${p50p99(latency)}`);
      }
      console.log(`load average ${loadAverage().toFixed(1)}`);

      if (args.explain && db.pool) {
        // The same statements, captured as Kysely compiles them, then explained with their parameters.
        const captured: { sql: string; parameters: readonly unknown[] }[] = [];
        const logged = new Kysely<Database>({
          dialect: new PostgresDialect({ pool: db.pool }),
          log: (event) => {
            if (event.level === 'query') captured.push(event.query);
          },
        });
        await siteOverview(logged, site.siteId, { ...lastDays(30), tz: TZ });
        for (const q of captured) {
          const { rows } = await db.pool.query(`explain (analyze, buffers) ${q.sql}`, [...q.parameters]);
          console.log(`\n${rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n')}`);
        }
      }
    } finally {
      await closeRealtime();
    }
  } finally {
    await bench.close();
  }
}

await main();
