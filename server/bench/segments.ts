// pnpm bench:segments [--profiles 100000] [--events 1000000] [--runs 30] [--explain]
//
// Segment counts and first member pages at realistic scale: fills a scratch database next to DATABASE_URL's
// with P profiles (40 % identified, 30 % customers), their traits, identities and classes, and E events over
// 90 days (pages, product views, orders with totals), all set-based with generate_series rather than through the
// projector; then times countMembers and the first page of 50 members for a few typical segments (the compiled
// SQL, in-process, no HTTP). Prints the figures; does not fail on them. Drops the database.
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { createSite } from '../src/sites/index.ts';
import { openBenchDatabase } from './database.ts';
import { loadAverage, machineLine, softwareLine } from './machine.ts';
import { fillSegmentData } from './segment-fill.ts';
import { commonSegments, explainCount, segmentLine, timeSegment } from './segment-timing.ts';
import { positiveOption } from './stats.ts';

const { values: args } = parseArgs({
  options: {
    profiles: { type: 'string', default: '100000' },
    events: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '30' },
    /** Print each count's plan (EXPLAIN ANALYZE) too. */
    explain: { type: 'boolean', default: false },
  },
});
const PROFILES = positiveOption('profiles', args.profiles);
const EVENTS = positiveOption('events', args.events);
const RUNS = positiveOption('runs', args.runs);
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
  'email contains gmail': { type: 'trait', key: 'email', op: 'contains', value: '@GMAIL' },
  ...commonSegments('/products/**'),
};

async function main() {
  const bench = await openBenchDatabase();
  const db = bench.db;
  try {
    const { siteId } = await createSite(db.kysely, { name: 'bench', origins: [] });
    const t0 = performance.now();
    await fillSegmentData(db.kysely, siteId, { profiles: PROFILES, events: EVENTS });
    const fillSeconds = (performance.now() - t0) / 1000;
    const { rows: sizes } = await sql<{ t: string; n: string }>`
      select 'profiles' as t, count(*)::text as n from profiles union all select 'traits', count(*)::text from profile_traits
      union all select 'classes', count(*)::text from profile_classes union all select 'identities', count(*)::text from identities
      union all select 'events', count(*)::text from events`.execute(db.kysely);

    const now = new Date();
    const lines: string[] = [];
    for (const [name, rules] of Object.entries(SEGMENTS)) {
      if (args.explain) console.log(`-- ${name}\n${await explainCount(db.kysely, siteId, rules, now)}`);
      // Survey targeting: one person (identified, a customer) at a time, a different one each run.
      let g = 0;
      const nextPerson = () => {
        g = (g + 7919) % (PROFILES / 10);
        return { anonymousId: `a${g * 10 + 1}`, userId: `u${g * 10 + 1}` };
      };
      lines.push(segmentLine(await timeSegment(db.kysely, siteId, name, rules, { runs: RUNS, now, nextPerson }), 34));
    }

    console.log(`
machine   ${machineLine()}, ${await softwareLine(db)}
load avg  ${loadAverage().toFixed(2)} (1 min; other work on the machine skews the figures)
rows      ${sizes.map((s) => `${s.t} ${Number(s.n).toLocaleString('en-US')}`).join(', ')} (filled in ${fillSeconds.toFixed(0)} s)
queries   ${RUNS} runs each, compiled SQL in-process (no HTTP); first page = 50 members with email/name;
          one person = isMember (the survey-targeting hook)
${lines.map((l) => `          ${l}`).join('\n')}`);
  } finally {
    await bench.close();
  }
}

await main();
