// pnpm bench:recommend [--orders 200000] [--products 2000] [--profiles 50000] [--views 300000] [--runs 2000]
//
// Recommendations at realistic scale, on a scratch database next to DATABASE_URL's: generates orders over products
// in co-purchase families (most lines from one family, some from the long tail; 2 % fully refunded), a catalogue,
// identities and product views, all set-based in SQL; times the refresh of the precomputed tables, then the HTTP
// path of both recommendation queries in-process (app.request: key, origin, zod, SQL, JSON; no socket) with
// p50/p99, and one rules query. Prints the figures; does not fail on them. Drops the database.
import os from 'node:os';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { migrateToLatest, openDatabase } from '../src/db/index.ts';
import { createScratchDatabase } from '../src/db/testing.ts';
import { createApp } from '../src/http/app.ts';
import { refreshSite } from '../src/recommend/index.ts';
import { boughtTogether, forPerson } from '../src/recommend/store.ts';
import { createSite } from '../src/sites/index.ts';

const { values: args } = parseArgs({
  options: {
    orders: { type: 'string', default: '200000' },
    products: { type: 'string', default: '2000' },
    profiles: { type: 'string', default: '50000' },
    views: { type: 'string', default: '300000' },
    runs: { type: 'string', default: '2000' },
  },
});
const int = (name: keyof typeof args) => {
  const n = Number(args[name]);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer`);
  return n;
};
const ORDERS = int('orders');
const PRODUCTS = int('products');
const PROFILES = int('profiles');
const VIEWS = int('views');
const RUNS = int('runs');
const FAMILY = 10;
const FAMILIES = Math.max(1, Math.floor(PRODUCTS / FAMILY));
const ORIGIN = 'https://tienda.example';
process.env.DATABASE_URL ||= 'postgres://postgres@127.0.0.1:5432/postgres';

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

/** mulberry32: the same requests every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function main(): Promise<void> {
  const cpus = os.cpus();
  console.log(
    `machine: ${cpus.length} cores, ${cpus[0]?.model ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
  );
  console.log(
    `data: ${ORDERS} orders, ${PRODUCTS} products in families of ${FAMILY}, ${PROFILES} profiles, ${VIEWS} views`,
  );
  const scratch = await createScratchDatabase('fideliza_bench_recommend');
  const db = await openDatabase({ databaseUrl: scratch.url, poolSize: 8 });
  try {
    await migrateToLatest(db.kysely);
    const site = await createSite(db.kysely, { name: 'bench', origins: [ORIGIN] });
    const s = site.siteId;
    const k = db.kysely;

    let t0 = process.hrtime.bigint();
    await sql`select setseed(0.42)`.execute(k);
    const product = (n: ReturnType<typeof sql>) => sql`'P' || lpad((${n})::text, 5, '0')`;
    await sql`
      insert into products (site_id, product_id, name, price, currency, url, image_url)
      select ${s}, ${product(sql`g`)}, 'Producto ' || g, (5 + g % 95)::numeric, 'EUR',
        'https://tienda.example/p/' || g, 'https://tienda.example/img/' || g || '.jpg'
      from generate_series(0, ${PRODUCTS - 1}) g`.execute(k);
    await sql`
      insert into profiles (site_id, profile_id, first_seen, last_seen)
      select ${s}, 'p' || g, now() - interval '1 year', now() from generate_series(0, ${PROFILES - 1}) g`.execute(k);
    await sql`
      insert into identities (site_id, kind, value, profile_id, first_seen, last_seen)
      select ${s}, 'anonymous', 'a' || g, 'p' || g, now() - interval '1 year', now()
      from generate_series(0, ${PROFILES - 1}) g`.execute(k);
    await sql`
      insert into orders (site_id, order_id, profile_id, message_id, ordered_at, currency, total, counted, status)
      select ${s}, 'o' || g, 'p' || (g % ${PROFILES}), 'm' || g, now() - make_interval(secs => g * 60), 'EUR', 50, true,
        case when g % 50 = 0 then 'refunded' else 'completed' end
      from generate_series(1, ${ORDERS}) g`.execute(k);
    // A basket: 1–4 lines, each from the order's family (skewed to popular families) 80 % of the time, else the tail.
    await sql`
      insert into order_items (site_id, order_id, line, product_id, price, quantity)
      select ${s}, 'o' || o.g, x.l, ${product(sql`x.p`)}, 10, 1
      from (select g, floor(power(random(), 2) * ${FAMILIES})::int as fam, 1 + floor(random() * 4)::int as n
            from generate_series(1, ${ORDERS}) g) o
      cross join lateral (
        select l, case when random() < 0.8 then o.fam * ${FAMILY} + floor(random() * ${FAMILY})::int
                       else floor(power(random(), 2) * ${PRODUCTS})::int end as p
        from generate_series(1, o.n) l) x`.execute(k);
    await sql`
      insert into product_views (site_id, kind, value, day, product_id)
      select ${s}, 'anonymous', 'a' || floor(random() * ${PROFILES})::int, current_date - floor(random() * 90)::int,
        ${product(sql`floor(power(random(), 2) * ${PRODUCTS})::int`)}
      from generate_series(1, ${VIEWS}) g
      on conflict do nothing`.execute(k);
    await sql`analyze`.execute(k);
    const lines = await sql<{ n: number }>`select count(*)::int as n from order_items where site_id = ${s}`.execute(k);
    console.log(`generated in ${(ms(t0) / 1000).toFixed(1)} s (${lines.rows[0]?.n} order lines)`);

    t0 = process.hrtime.bigint();
    const r = await refreshSite(k, s);
    console.log(
      `refresh: ${(ms(t0) / 1000).toFixed(2)} s — ${r?.baskets} baskets, min count ${r?.minCount}, ` +
        `${r?.pairs} pairs, ${r?.viewedPairs} viewed pairs, ${r?.products} products`,
    );
    await sql`analyze`.execute(k);

    const config = { TRUST_PROXY: false, RATE_LIMIT_RPS: 1e6, RATE_LIMIT_BURST: 1e6 };
    const rnd = prng(7);
    const headers = { origin: ORIGIN };
    const report = (label: string, times: number[]) => {
      times.sort((a, b) => a - b);
      console.log(
        `${label}: p50 ${quantile(times, 0.5).toFixed(2)} ms, p99 ${quantile(times, 0.99).toFixed(2)} ms, ` +
          `max ${times.at(-1)?.toFixed(2)} ms over ${times.length}`,
      );
    };
    const timed = async (label: string, run: () => Promise<unknown>) => {
      for (let i = 0; i < 200; i++) await run();
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const started = process.hrtime.bigint();
        await run();
        times.push(ms(started));
      }
      report(label, times);
    };
    const request = (app: ReturnType<typeof createApp>['app'], url: string) => async () => {
      const res = await app.request(url, { headers });
      if (res.status !== 200) throw new Error(`${url}: status ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
    };
    // Product pages are visited with a skew (popular ones far more), visitors uniformly.
    const productId = () => `P${String(Math.floor(rnd() ** 2 * PRODUCTS)).padStart(5, '0')}`;
    const visitor = () => `a${Math.floor(rnd() * PROFILES)}`;

    await timed('select 1 round trip (the floor)', () => sql`select 1`.execute(k));
    await timed('bought together, queries only', () => boughtTogether(k, s, productId(), 10));
    await timed('for you, queries only', () => forPerson(k, s, { anonymousId: visitor() }, 10));
    const key = `writeKey=${site.writeKey}`;
    for (const cacheMs of [0, 5_000]) {
      const { app } = createApp({ db, config, recommendations: { cacheMs } });
      const how = cacheMs ? `answer cache ${cacheMs / 1000} s` : 'no answer cache';
      await timed(`HTTP GET /v1/recommendations?product= (limit 10, ${how})`, () =>
        request(app, `/v1/recommendations?${key}&product=${productId()}&limit=10`)(),
      );
      await timed(`HTTP GET /v1/recommendations?anonymousId= (limit 10, ${how})`, () =>
        request(app, `/v1/recommendations?${key}&anonymousId=${visitor()}&limit=10`)(),
      );
    }
    const { app } = createApp({ db, config });

    t0 = process.hrtime.bigint();
    const rules = await app.request('/api/recommendations/rules?minSupport=0.001&minConfidence=0.1&limit=100', {
      headers: { authorization: `Bearer ${site.secretKey}` },
    });
    const body = (await rules.json()) as { rules: unknown[] };
    console.log(
      `GET /api/recommendations/rules (1 => 1, top 100 by lift): ${ms(t0).toFixed(1)} ms, ${body.rules.length} rules`,
    );
  } finally {
    await db.close();
    await scratch.drop();
  }
}

await main();
