// pnpm bench:recommend [--orders 200000] [--products 2000] [--profiles 50000] [--views 300000] [--runs 2000]
//
// Recommendations at realistic scale, on a scratch database next to DATABASE_URL's: generates orders over products
// in co-purchase families (most lines from one family, some from the long tail; 2 % fully refunded), a catalogue,
// identities and product views, all set-based in SQL; times the refresh of the precomputed tables, then the HTTP
// path of both recommendation queries in-process (app.request: key, origin, zod, SQL, JSON; no socket) with
// p50/p99, and one rules query. Prints the figures; does not fail on them. Drops the database.
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { prng } from '../src/demo/traffic.ts';
import { createApp } from '../src/http/app.ts';
import { refreshSite } from '../src/recommend/index.ts';
import { createSite } from '../src/sites/index.ts';
import { openBenchDatabase } from './database.ts';
import { machineLine } from './machine.ts';
import { fillRecommendData } from './recommend-fill.ts';
import { timeRecommendations } from './recommend-timing.ts';
import { ms, p50p99, positiveOption } from './stats.ts';

const { values: args } = parseArgs({
  options: {
    orders: { type: 'string', default: '200000' },
    products: { type: 'string', default: '2000' },
    profiles: { type: 'string', default: '50000' },
    views: { type: 'string', default: '300000' },
    runs: { type: 'string', default: '2000' },
  },
});
const ORDERS = positiveOption('orders', args.orders);
const PRODUCTS = positiveOption('products', args.products);
const PROFILES = positiveOption('profiles', args.profiles);
const VIEWS = positiveOption('views', args.views);
const RUNS = positiveOption('runs', args.runs);
const FAMILY = 10;
const ORIGIN = 'https://tienda.example';
process.env.DATABASE_URL ||= 'postgres://postgres@127.0.0.1:5432/postgres';

const elapsed = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

async function main(): Promise<void> {
  console.log(`machine: ${machineLine()}`);
  console.log(
    `data: ${ORDERS} orders, ${PRODUCTS} products in families of ${FAMILY}, ${PROFILES} profiles, ${VIEWS} views`,
  );
  const bench = await openBenchDatabase('fideliza_bench_recommend');
  const db = bench.db;
  try {
    const site = await createSite(db.kysely, { name: 'bench', origins: [ORIGIN] });
    const s = site.siteId;
    const k = db.kysely;

    let t0 = process.hrtime.bigint();
    await fillRecommendData(k, s, {
      orders: ORDERS,
      products: PRODUCTS,
      profiles: PROFILES,
      views: VIEWS,
      family: FAMILY,
    });
    const lines = await sql<{ n: number }>`select count(*)::int as n from order_items where site_id = ${s}`.execute(k);
    console.log(`generated in ${(elapsed(t0) / 1000).toFixed(1)} s (${lines.rows[0]?.n} order lines)`);

    t0 = process.hrtime.bigint();
    const r = await refreshSite(k, s);
    console.log(
      `refresh: ${(elapsed(t0) / 1000).toFixed(2)} s — ${r?.baskets} baskets, min count ${r?.minCount}, ` +
        `${r?.pairs} pairs, ${r?.viewedPairs} viewed pairs, ${r?.products} products`,
    );
    await sql`analyze`.execute(k);

    const rnd = prng(7);
    // Product pages are visited with a skew (popular ones far more), visitors uniformly.
    const timings = await timeRecommendations(db, {
      siteId: s,
      writeKey: site.writeKey,
      origin: ORIGIN,
      runs: RUNS,
      nextProduct: () => `P${String(Math.floor(rnd() ** 2 * PRODUCTS)).padStart(5, '0')}`,
      nextVisitor: () => `a${Math.floor(rnd() * PROFILES)}`,
    });
    for (const t of timings)
      console.log(`${t.label}: ${p50p99(t.latency)}, max ${ms(t.latency.max)} ms over ${t.latency.runs}`);
    const config = { TRUST_PROXY: false, RATE_LIMIT_RPS: 1e6, RATE_LIMIT_BURST: 1e6 };
    const { app } = createApp({ db, config });

    t0 = process.hrtime.bigint();
    const rules = await app.request('/api/recommendations/rules?minSupport=0.001&minConfidence=0.1&limit=100', {
      headers: { authorization: `Bearer ${site.secretKey}` },
    });
    const body = (await rules.json()) as { rules: unknown[] };
    console.log(
      `GET /api/recommendations/rules (1 => 1, top 100 by lift): ${elapsed(t0).toFixed(1)} ms, ${body.rules.length} rules`,
    );
  } finally {
    await bench.close();
  }
}

await main();
