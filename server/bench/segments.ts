// pnpm bench:segments [--profiles 100000] [--events 1000000] [--runs 30]
//
// Segment counts and first member pages at realistic scale: fills a scratch database next to DATABASE_URL's
// with P profiles (40 % identified, 30 % customers), their traits, identities and classes, and E events over
// 90 days (pages, product views, orders with totals), all set-based with generate_series rather than through the
// projector; then times countMembers and the first page of 50 members for a few typical segments (the compiled
// SQL, in-process, no HTTP). Prints the figures; does not fail on them. Drops the database.
import os from 'node:os';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { migrateToLatest, openDatabase } from '../src/db/index.ts';
import { createScratchDatabase } from '../src/db/testing.ts';
import { type SegmentRule, segmentRuleSchema } from '../src/protocol/index.ts';
import { countMembers, countQuery, isMember, pageMembers } from '../src/segments/queries.ts';
import { createSite } from '../src/sites/index.ts';

const { values: args } = parseArgs({
  options: {
    profiles: { type: 'string', default: '100000' },
    events: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '30' },
    /** Print each count's plan (EXPLAIN ANALYZE) too. */
    explain: { type: 'boolean', default: false },
  },
});
const int = (name: keyof typeof args) => {
  const n = Number(args[name]);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer`);
  return n;
};
const PROFILES = int('profiles');
const EVENTS = int('events');
const RUNS = int('runs');
process.env.DATABASE_URL ||= 'postgres://postgres@127.0.0.1:5432/postgres';

const SEGMENTS: Record<string, unknown> = {
  'rfm champions (built-in)': { type: 'class', field: 'rfm_segment', op: 'eq', value: 'champions' },
  'gold plan, 2+ orders': {
    type: 'and',
    rules: [
      { type: 'trait', key: 'plan', op: 'eq', value: 'gold' },
      { type: 'counter', field: 'orders', op: 'gte', value: 2 },
    ],
  },
  'at-risk good customers': {
    type: 'and',
    rules: [
      {
        type: 'or',
        rules: [
          { type: 'class', field: 'rfm_segment', op: 'eq', value: 'at_risk' },
          { type: 'class', field: 'rfm_segment', op: 'eq', value: 'cant_lose' },
        ],
      },
      { type: 'counter', field: 'revenue', op: 'gt', value: 200 },
      { type: 'counter', field: 'last_order_at', op: 'lt', value: { daysAgo: 30 } },
    ],
  },
  'email contains gmail': { type: 'trait', key: 'email', op: 'contains', value: '@GMAIL' },
  '2+ orders > 100 in 30 days': {
    type: 'did',
    event: 'Order Completed',
    atLeast: 2,
    withinDays: 30,
    where: [{ property: 'total', op: 'gt', value: 100 }],
  },
  'viewed products, no order (7 d)': {
    type: 'and',
    rules: [
      { type: 'visited', path: '/products/**', match: 'glob', withinDays: 7 },
      { type: 'did_not', event: 'Order Completed', withinDays: 30 },
    ],
  },
};

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;

async function fill(db: Awaited<ReturnType<typeof openDatabase>>['kysely'], site: string): Promise<void> {
  await sql`select setseed(0.42)`.execute(db);
  // Profile g: identified when g % 5 < 2, a customer when g % 10 < 3 (orders 1–10, recent orders for low g).
  await sql`
    insert into profiles (site_id, profile_id, user_id, first_seen, last_seen, sessions, page_views, orders, revenue,
      first_order_at, last_order_at)
    select ${site}, 'p_' || lpad(g::text, 7, '0'), case when g % 5 < 2 then 'u' || g end,
      now() - interval '400 days' + (g % 300) * interval '1 day', now() - (g % 90) * interval '1 day',
      1 + g % 20, 1 + g % 60, o, o * (20 + (g % 97) * 3),
      case when o > 0 then now() - interval '300 days' end,
      case when o > 0 then now() - (g % 120) * interval '1 day' end
    from generate_series(1, ${PROFILES}::int) g, lateral (select case when g % 10 < 3 then 1 + g % 10 else 0 end as o) x`.execute(
    db,
  );
  await sql`
    insert into identities (site_id, kind, value, profile_id, first_seen, last_seen)
    select ${site}, 'anonymous', 'a' || g, 'p_' || lpad(g::text, 7, '0'), now(), now() from generate_series(1, ${PROFILES}::int) g
    union all
    select ${site}, 'user', 'u' || g, 'p_' || lpad(g::text, 7, '0'), now(), now()
    from generate_series(1, ${PROFILES}::int) g where g % 5 < 2`.execute(db);
  await sql`
    insert into profile_traits (site_id, profile_id, key, value, updated_at)
    select ${site}, 'p_' || lpad(g::text, 7, '0'), k.key, k.value, now()
    from generate_series(1, ${PROFILES}::int) g
    cross join lateral (values
      ('email', to_jsonb('user' || g || case g % 3 when 0 then '@gmail.com' when 1 then '@hotmail.es' else '@shop.es' end)),
      ('name', to_jsonb('Person ' || g)),
      ('plan', to_jsonb((array['gold', 'silver', 'bronze'])[1 + g % 3])),
      ('age', to_jsonb(18 + g % 60))
    ) k(key, value)
    where g % 5 < 2`.execute(db);
  await sql`
    insert into profile_classes (site_id, profile_id, lifecycle, recency_score, frequency_score, monetary_score,
      rfm_segment, abc_class, premium, churn_risk, days_since_last_order, computed_at)
    select ${site}, 'p_' || lpad(g::text, 7, '0'),
      case when g % 10 >= 3 then 'prospect' when g % 120 < 90 then 'customer' else 'lapsed' end,
      s.r, s.f, s.m,
      case when g % 10 < 3 then (array['champions', 'loyal', 'potential_loyalists', 'new', 'promising', 'need_attention',
        'at_risk', 'cant_lose', 'hibernating', 'lost'])[1 + (g / 10) % 10] end,
      case when g % 10 < 3 then (array['A', 'B', 'C'])[1 + g % 3] end,
      g % 20 = 0, case when g % 10 < 3 then (array['low', 'medium', 'high'])[1 + g % 3] end,
      case when g % 10 < 3 then g % 120 end, now()
    from generate_series(1, ${PROFILES}::int) g,
      lateral (select case when g % 10 < 3 then 1 + g % 5 end as r, case when g % 10 < 3 then 1 + (g / 7) % 5 end as f,
        case when g % 10 < 3 then 1 + (g / 3) % 5 end as m) s`.execute(db);
  // Events: 70 % page views over 200 paths, 22 % product views, 8 % orders (by customers), over 90 days,
  // by anonymous id, with the user id too for identified profiles.
  await sql`
    insert into events (site_id, message_id, type, event, anonymous_id, user_id, "timestamp", received_at, url_path, properties)
    select ${site}, 'm' || n, case when r < 0.70 then 'page' else 'track' end,
      case when r < 0.70 then null when r < 0.92 then 'Product Viewed' else 'Order Completed' end,
      'a' || p, case when p % 5 < 2 then 'u' || p end, ts, ts,
      case when r < 0.70 then (array['/products/', '/blog/', '/cart/', '/'])[1 + n % 4] || (n % 50) end,
      case when r >= 0.92 then jsonb_build_object('order_id', 'o' || n, 'total', 10 + (n % 300))
           when r >= 0.70 then jsonb_build_object('product_id', 'sku' || (n % 500)) end
    from (
      select n, random() as r, random() as r2, now() - random() * interval '90 days' as ts
      from generate_series(1, ${EVENTS}::int) n
    ) x,
    -- Orders come from customers (p % 10 < 3), everything else from anyone.
    lateral (select case when r >= 0.92 then 10 * (1 + floor(r2 * (${PROFILES}::int / 10 - 1))::int) + n % 3
      else 1 + floor(r2 * ${PROFILES}::int)::int end as p) pp`.execute(db);
  await sql`analyze`.execute(db);
}

async function main() {
  const scratch = await createScratchDatabase('fideliza_bench');
  const db = await openDatabase({ databaseUrl: scratch.url, poolSize: 2 });
  try {
    await migrateToLatest(db.kysely);
    const { siteId } = await createSite(db.kysely, { name: 'bench', origins: [] });
    const t0 = performance.now();
    await fill(db.kysely, siteId);
    const fillSeconds = (performance.now() - t0) / 1000;
    const { rows: sizes } = await sql<{ t: string; n: string }>`
      select 'profiles' as t, count(*)::text as n from profiles union all select 'traits', count(*)::text from profile_traits
      union all select 'classes', count(*)::text from profile_classes union all select 'identities', count(*)::text from identities
      union all select 'events', count(*)::text from events`.execute(db.kysely);
    const { rows: version } = await sql<{ v: string }>`select current_setting('server_version') as v`.execute(
      db.kysely,
    );

    const now = new Date();
    const lines: string[] = [];
    for (const [name, raw] of Object.entries(SEGMENTS)) {
      const rules: SegmentRule = segmentRuleSchema.parse(raw);
      const q = { siteId, rules, now };
      const time = async (fn: () => Promise<unknown>) => {
        const times: number[] = [];
        for (let i = 0; i < RUNS + 3; i++) {
          const s = performance.now();
          await fn();
          if (i >= 3) times.push(performance.now() - s); // the first 3 warm the caches
        }
        return times.sort((a, b) => a - b);
      };
      const count = await countMembers(db.kysely, q);
      if (args.explain) {
        const c = countQuery(db.kysely, q).compile();
        const plan = await db.kysely.executeQuery<{ 'QUERY PLAN': string }>({
          ...c,
          sql: `explain (analyze, buffers) ${c.sql}`,
        });
        console.log(`-- ${name}\n${plan.rows.map((r) => r['QUERY PLAN']).join('\n')}`);
      }
      const counts = await time(() => countMembers(db.kysely, q));
      const pages = await time(() => pageMembers(db.kysely, q, { limit: 50 }));
      // Survey targeting: one person (identified, a customer) at a time, a different one each run.
      let g = 0;
      const one = await time(() => {
        g = (g + 7919) % (PROFILES / 10);
        return isMember(db.kysely, q, { anonymousId: `a${g * 10 + 1}`, userId: `u${g * 10 + 1}` });
      });
      lines.push(
        `${name.padEnd(34)} ${String(count).padStart(6)} members  count p50 ${percentile(counts, 50).toFixed(1)} ms, p99 ${percentile(counts, 99).toFixed(1)} ms;  first page p50 ${percentile(pages, 50).toFixed(1)} ms, p99 ${percentile(pages, 99).toFixed(1)} ms;  one person p50 ${percentile(one, 50).toFixed(1)} ms, p99 ${percentile(one, 99).toFixed(1)} ms`,
      );
    }

    const cpus = os.cpus();
    console.log(`
machine   ${os.availableParallelism()} cores, ${cpus[0]?.model.trim() ?? '?'}, Node ${process.version}, Postgres ${version[0]?.v ?? '?'}
load avg  ${os.loadavg()[0]?.toFixed(2)} (1 min; other work on the machine skews the figures)
rows      ${sizes.map((s) => `${s.t} ${Number(s.n).toLocaleString('en-US')}`).join(', ')} (filled in ${fillSeconds.toFixed(0)} s)
queries   ${RUNS} runs each, compiled SQL in-process (no HTTP); first page = 50 members with email/name;
          one person = isMember (the survey-targeting hook)
${lines.map((l) => `          ${l}`).join('\n')}`);
  } finally {
    await db.close();
    await scratch.drop();
  }
}

await main();
