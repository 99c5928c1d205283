// Association rules of a site for the dashboard: 1 => 1 rules straight from product_pairs, or rules with larger
// left sides mined on the site's baskets (bounded, since mining is proportional to the baskets).
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/index.ts';
import { byCodeUnits } from './compare.ts';
import { minimumCount } from './measures.ts';
import { productNames } from './product-names.ts';
import { basketLines } from './refresh.ts';
import { generateRules } from './rules.ts';

export type RuleSort = 'lift' | 'confidence' | 'support';

export interface SiteRule {
  lhs: string[];
  rhs: string;
  count: number;
  support: number;
  confidence: number;
  lift: number;
}

export interface RulesQuery {
  minSupport: number;
  minConfidence: number;
  minLift: number;
  /** Rules skipped before the page (in `sort` order). */
  offset: number;
  limit: number;
  sort: RuleSort;
  /** Items in lhs ∪ rhs: 2 reads the stored pairs, more mines the baskets. */
  maxLen: number;
}

export interface RulesAnswer {
  /** N of the last refresh (or of the mined baskets). */
  baskets: number;
  /** How rules were found: `pairs` (stored top partners of each product) or `mined` (every basket). */
  source: 'pairs' | 'mined';
  /** With `pairs`, rules below this support were not stored: asking for less returns no more. */
  storedMinSupport: number | null;
  /** Rules passing the thresholds (`rules` is the page of them from `offset`). */
  total: number;
  rules: SiteRule[];
  /** Catalogue names of the products in `rules`, where known. */
  names: Record<string, string>;
}

/** Mining reads every basket into memory: above this, only the stored 1 => 1 rules are offered. */
export const MAX_MINED_BASKETS = 100_000;

export class TooManyBaskets extends Error {}

const order = (sort: RuleSort) => (a: SiteRule, b: SiteRule) =>
  b[sort] - a[sort] ||
  b.lift - a.lift ||
  b.confidence - a.confidence ||
  b.support - a.support ||
  a.lhs.length - b.lhs.length ||
  byCodeUnits(a.lhs.join('\u0000'), b.lhs.join('\u0000')) ||
  byCodeUnits(a.rhs, b.rhs);

export async function siteRules(db: Kysely<Database>, siteId: string, q: RulesQuery): Promise<RulesAnswer> {
  if (q.maxLen > 2) return mined(db, siteId, q);
  const state = await db
    .selectFrom('recommend_state')
    .select(['baskets', 'min_count'])
    .where('site_id', '=', siteId)
    .executeTakeFirst();
  const baskets = state?.baskets ?? 0;
  // The same thresholds as arules: a count reaching ceil(N · minSupport), confidence with its round-off slack.
  const minCount = minimumCount(q.minSupport, Math.max(1, baskets));
  const passing = db
    .selectFrom('product_pairs')
    .where('site_id', '=', siteId)
    .where('count', '>=', minCount)
    .where('confidence', '>=', q.minConfidence - 1e-12)
    .where('lift', '>=', q.minLift);
  const { total } = await passing.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const rows = await passing
    .select(['product_id', 'other_id', 'count', 'support', 'confidence', 'lift'])
    .orderBy(sql.ref(q.sort), 'desc')
    .orderBy('lift', 'desc')
    .orderBy('confidence', 'desc')
    .orderBy('support', 'desc')
    .orderBy('product_id')
    .orderBy('other_id')
    .offset(q.offset)
    .limit(q.limit)
    .execute();
  const rules = rows
    .map((r) => ({
      lhs: [r.product_id],
      rhs: r.other_id,
      count: r.count,
      support: r.support,
      confidence: r.confidence,
      lift: r.lift,
    }))
    .sort(order(q.sort));
  return {
    baskets,
    source: 'pairs',
    storedMinSupport: baskets > 0 ? (state?.min_count ?? 0) / baskets : null,
    total: Number(total),
    rules,
    names: await namesOf(db, siteId, rules),
  };
}

const namesOf = (db: Kysely<Database>, siteId: string, rules: SiteRule[]) =>
  productNames(
    db,
    siteId,
    rules.flatMap((r) => [...r.lhs, r.rhs]),
  );

/** The site's baskets, one array of distinct products per order, as the refresh counts them. */
export async function loadBaskets(db: Kysely<Database>, siteId: string): Promise<string[][]> {
  const { rows } = await sql<{ items: string[] }>`
    select array_agg(product_id order by product_id) as items from (${basketLines(siteId)}) b
    group by order_id order by order_id`.execute(db);
  return rows.map((r) => r.items);
}

async function mined(db: Kysely<Database>, siteId: string, q: RulesQuery): Promise<RulesAnswer> {
  const { rows } = await sql<{ n: number }>`
    select count(distinct order_id)::int as n from (${basketLines(siteId)}) b`.execute(db);
  const n = rows[0]?.n ?? 0;
  if (n > MAX_MINED_BASKETS) throw new TooManyBaskets(`${n} baskets; at most ${MAX_MINED_BASKETS} are mined`);
  const baskets = await loadBaskets(db, siteId);
  const sort = order(q.sort);
  const top: SiteRule[] = [];
  const keep = q.offset + q.limit;
  let total = 0;
  for (const rule of generateRules(baskets, {
    minSupport: q.minSupport,
    minConfidence: q.minConfidence,
    maxLen: q.maxLen,
  })) {
    // {} => {x} says only that x is popular: not a rule a marketer acts on.
    if (rule.lhs.length === 0 || rule.lift < q.minLift) continue;
    total++;
    top.push(rule);
    // Bounded memory: trim to the page's end whenever the buffer doubles.
    if (top.length >= 2 * keep + 1000) {
      top.sort(sort);
      top.length = keep;
    }
  }
  top.sort(sort);
  const rules = top.slice(q.offset, keep).map(({ lhs, rhs, count, support, confidence, lift }) => ({
    lhs,
    rhs,
    count,
    support,
    confidence,
    lift,
  }));
  return {
    baskets: n,
    source: 'mined',
    storedMinSupport: null,
    total,
    rules,
    names: await namesOf(db, siteId, rules),
  };
}
