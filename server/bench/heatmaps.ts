// pnpm bench:heatmaps [--clicks 1000000] [--days 90] [--pages 200] [--batch 1000] [--runs 200]
//
// Heatmap aggregates at realistic scale: folds N generated `$click` events (plus one `$scroll` per 5 clicks)
// over D days and P pages through applyHeatmapEvents, one transaction per batch as the projector does, into a
// scratch database next to DATABASE_URL's (in time order, as the projector reads the log); then times the four /api/heatmaps queries in-process (auth, zod,
// SQL, JSON; no socket) over the whole range. Prints the figures; does not fail on them. Drops the database.
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { prng } from '../src/demo/traffic.ts';
import { applyHeatmapEvents, type HeatmapEvent } from '../src/heatmaps/index.ts';
import { createApp } from '../src/http/app.ts';
import { createSite } from '../src/sites/index.ts';
import { openBenchDatabase } from './database.ts';
import { timeHeatmapQueries } from './heatmap-timing.ts';
import { loadAverage, machineLine, softwareLine } from './machine.ts';
import { p50p99, positiveOption } from './stats.ts';

const { values: args } = parseArgs({
  options: {
    clicks: { type: 'string', default: '1000000' },
    days: { type: 'string', default: '90' },
    pages: { type: 'string', default: '200' },
    batch: { type: 'string', default: '1000' },
    runs: { type: 'string', default: '200' },
  },
});
const CLICKS = positiveOption('clicks', args.clicks);
const DAYS = positiveOption('days', args.days);
const PAGES = positiveOption('pages', args.pages);
const BATCH = positiveOption('batch', args.batch);
const RUNS = positiveOption('runs', args.runs);
process.env.DATABASE_URL ||= 'postgres://postgres@127.0.0.1:5432/postgres';

const rnd = prng(42);
/** Index in [0, n) skewed to the low end, as page and element popularity are. */
const skewed = (n: number) => Math.floor(n * rnd() ** 2);

// Phones dominate shop traffic; widths are common viewports of each class.
const DEVICES = [
  { share: 0.6, vw: 390 },
  { share: 0.1, vw: 820 },
  { share: 0.3, vw: 1440 },
];
/** Each page has 40 clickable elements at fixed places of its layout (x as a share of the width, y in widths). */
const ELEMENTS = Array.from({ length: PAGES }, () =>
  Array.from({ length: 40 }, (_, i) => ({ selector: `main>div:nth-of-type(${i + 1})>a`, fx: rnd(), fy: rnd() * 6 })),
);
const lastDay = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate()) - 86_400_000;
const firstDay = lastDay - (DAYS - 1) * 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Event `i` of `total`: time moves forward through the days, as the projector reads the log in order. */
function event(siteId: string, kind: '$click' | '$scroll', i: number, total: number): HeatmapEvent {
  const page = skewed(PAGES);
  const r = rnd();
  const { vw } = DEVICES.find((_, i) => r < DEVICES.slice(0, i + 1).reduce((s, d) => s + d.share, 0)) ?? { vw: 1440 };
  const base = {
    site_id: siteId,
    type: 'track',
    event: kind,
    url_path: `/products/item-${page}`,
    viewport_width: vw,
    timestamp: new Date(firstDay + Math.floor((i / total) * DAYS * 86_400_000)),
  };
  if (kind === '$scroll') {
    return { ...base, selector: null, x: null, y: null, properties: { depth: Math.round(100 * rnd() ** 0.7), vw } };
  }
  const el = ELEMENTS[page]?.[skewed(40)] ?? { selector: 'body', fx: 0.5, fy: 0.5 };
  const x = Math.max(0, Math.round(el.fx * vw + (rnd() - 0.5) * 30));
  const y = Math.max(0, Math.round(el.fy * vw + (rnd() - 0.5) * 30));
  return { ...base, selector: el.selector, x, y, properties: { x, y, vw, dw: vw, rage: rnd() < 0.02 || undefined } };
}

async function main(): Promise<void> {
  const bench = await openBenchDatabase();
  const db = bench.db;
  try {
    const site = await createSite(db.kysely, { name: 'bench', origins: [] });

    // ---- fold ----
    const total = CLICKS + Math.floor(CLICKS / 5);
    let applySeconds = 0;
    for (let done = 0; done < total; done += BATCH) {
      const batch = Array.from({ length: Math.min(BATCH, total - done) }, (_, i) =>
        event(site.siteId, (done + i) % 6 === 5 ? '$scroll' : '$click', done + i, total),
      );
      const t0 = performance.now();
      await db.kysely.transaction().execute((trx) => applyHeatmapEvents(trx, batch));
      applySeconds += (performance.now() - t0) / 1000;
      if (done % (BATCH * 100) === 0) process.stderr.write(`\r· folded ${done.toLocaleString('en-US')} events`);
    }
    process.stderr.write('\n');
    await sql`analyze`.execute(db.kysely);
    const { rows: sizes } = await sql<{ t: string; n: number }>`
      select relname as t, n_live_tup::int8 as n from pg_stat_user_tables where relname like 'heatmap_%' order by relname`.execute(
      db.kysely,
    );

    // ---- query ----
    const app = createApp({ db, config: { TRUST_PROXY: false, RATE_LIMIT_RPS: 1, RATE_LIMIT_BURST: 1 } });
    const devices = ['mobile', 'tablet', 'desktop'] as const;
    const timings = await timeHeatmapQueries((path, init) => app.app.request(path, init), {
      secretKey: site.secretKey,
      from: isoDay(firstDay),
      to: isoDay(lastDay),
      runs: RUNS,
      nextPath: () => `/products/item-${skewed(PAGES)}`,
      nextDevice: () => devices[skewed(3)] ?? 'mobile',
    });
    const lines = timings.map(({ name, latency }) => `${name.padEnd(10)}${p50p99(latency)}`);
    await app.closeRealtime();

    console.log(`
machine   ${machineLine()}, ${await softwareLine(db)}
load avg  ${loadAverage().toFixed(2)} (1 min; other work on the machine skews the figures)
data      ${CLICKS.toLocaleString('en-US')} clicks + ${(total - CLICKS).toLocaleString('en-US')} scrolls, ${DAYS} days, ${PAGES} pages, 3 device classes
rows      ${sizes.map((s) => `${s.t} ${s.n.toLocaleString('en-US')}`).join(', ')}
apply     ${Math.round(total / applySeconds).toLocaleString('en-US')} events/s (batches of ${BATCH}, one transaction each, one connection)
queries   ${RUNS} runs each over all ${DAYS} days, in-process HTTP (auth + zod + SQL + JSON), random pages by popularity
${lines.map((l) => `          ${l}`).join('\n')}`);
  } finally {
    await bench.close();
  }
}

await main();
