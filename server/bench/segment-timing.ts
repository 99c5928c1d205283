// Times a segment the way the API runs it: its count, its first page of members and, optionally, one person's
// membership (the survey-targeting hook), through the compiled SQL in-process (no HTTP).
import type { Kysely } from 'kysely';
import type { Database } from '../src/db/index.ts';
import { segmentRuleSchema } from '../src/protocol/index.ts';
import {
  countMembers,
  countQuery,
  isMember,
  pageMembers,
  type SegmentQuery,
  withoutParallelWorkers,
} from '../src/segments/queries.ts';
import { type Latency, p50p99, timeRuns } from './stats.ts';

/**
 * Segments any shop's data answers, whatever generated it: classification with counters, an event with a property
 * filter in a window, and pages visited without an order (`productPages`: a glob of the shop's product paths).
 */
export function commonSegments(productPages: string): Record<string, unknown> {
  return {
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
        { type: 'visited', path: productPages, match: 'glob', withinDays: 7 },
        { type: 'did_not', event: 'Order Completed', withinDays: 30 },
      ],
    },
  };
}

export interface SegmentTiming {
  name: string;
  members: number;
  count: Latency;
  firstPage: Latency;
  onePerson?: Latency;
}

export interface SegmentTimingOptions {
  runs: number;
  now: Date;
  /** A different person for each run of the membership test; without it that test is left out. */
  nextPerson?: () => { anonymousId: string; userId: string | null };
}

export async function timeSegment(
  db: Kysely<Database>,
  siteId: string,
  name: string,
  rules: unknown,
  o: SegmentTimingOptions,
): Promise<SegmentTiming> {
  const q: SegmentQuery = { siteId, rules: segmentRuleSchema.parse(rules), now: o.now };
  const members = await countMembers(db, q);
  const timing = { runs: o.runs, warmup: 3 };
  const count = await timeRuns(() => countMembers(db, q), timing);
  const firstPage = await timeRuns(() => pageMembers(db, q, { limit: 50 }), timing);
  const nextPerson = o.nextPerson;
  const onePerson = nextPerson ? await timeRuns(() => isMember(db, q, nextPerson()), timing) : undefined;
  return { name, members, count, firstPage, ...(onePerson ? { onePerson } : {}) };
}

/** The count's plan on Postgres (EXPLAIN ANALYZE with buffers) as countMembers runs it, to see where its time goes. */
export async function explainCount(db: Kysely<Database>, siteId: string, rules: unknown, now: Date): Promise<string> {
  const c = countQuery(db, { siteId, rules: segmentRuleSchema.parse(rules), now }).compile();
  const plan = await withoutParallelWorkers(db, (trx) =>
    trx.executeQuery<{ 'QUERY PLAN': string }>({ ...c, sql: `explain (analyze, buffers) ${c.sql}` }),
  );
  return plan.rows.map((r) => r['QUERY PLAN']).join('\n');
}

/** One line per segment; `ceiling` (ms) adds the count's p50 as a multiple of it. */
export function segmentLine(t: SegmentTiming, nameWidth: number, ceiling?: number): string {
  const ratio = ceiling ? ` (${(t.count.p50 / ceiling).toFixed(1)}×)` : '';
  const parts = [
    `${t.name.padEnd(nameWidth)} ${t.members.toLocaleString('en-US').padStart(7)} members`,
    `count ${p50p99(t.count)}${ratio}`,
    `first page ${p50p99(t.firstPage)}`,
    ...(t.onePerson ? [`one person ${p50p99(t.onePerson)}`] : []),
  ];
  return parts.join(';  ');
}
