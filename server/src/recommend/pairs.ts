// Co-occurrence of product pairs in baskets: what "frequently bought together" and "for you" are ranked from.
import { byCodeUnits } from './compare.ts';
import { ruleMeasures } from './measures.ts';

export interface PairCounts {
  /** N: every basket counted, empty ones included. */
  baskets: number;
  /** Baskets holding each item. */
  items: Map<string, number>;
  /** `together.get(a)?.get(b)`: baskets holding both a and b; kept both ways round so either side is one lookup. */
  together: Map<string, Map<string, number>>;
}

/** "antecedent => consequent" for one ordered pair of products that were bought together. */
export interface PairStat {
  antecedent: string;
  consequent: string;
  count: number;
  support: number;
  confidence: number;
  lift: number;
}

export function emptyPairCounts(): PairCounts {
  return { baskets: 0, items: new Map(), together: new Map() };
}

/** Counts one basket in place; an item repeated within it counts once. */
export function addBasket(counts: PairCounts, basket: Iterable<string>): void {
  const items = [...new Set(basket)];
  counts.baskets++;
  for (const item of items) counts.items.set(item, (counts.items.get(item) ?? 0) + 1);
  for (let i = 0; i < items.length; i++) {
    const a = items[i]!;
    for (let j = i + 1; j < items.length; j++) {
      const b = items[j]!;
      bump(counts.together, a, b);
      bump(counts.together, b, a);
    }
  }
}

export function countPairs(baskets: Iterable<Iterable<string>>): PairCounts {
  const counts = emptyPairCounts();
  for (const basket of baskets) addBasket(counts, basket);
  return counts;
}

/**
 * Count, support, confidence and lift of every ordered pair that co-occurs in at least one basket, or only of the
 * pairs whose antecedent is one of `antecedents`. The measures are those of the arules rule {a} => {b}.
 */
export function* pairStats(counts: PairCounts, antecedents?: Iterable<string>): Generator<PairStat> {
  for (const antecedent of antecedents ?? counts.together.keys()) {
    const partners = counts.together.get(antecedent);
    if (!partners) continue;
    const antecedentCount = counts.items.get(antecedent)!;
    for (const [consequent, count] of partners) {
      const measures = ruleMeasures(count, antecedentCount, counts.items.get(consequent)!, counts.baskets);
      yield { antecedent, consequent, count, ...measures };
    }
  }
}

/**
 * The antecedent's `limit` most confident pairs (then most baskets, then text): its "frequently bought together"
 * list, and what a precomputed table keeps per product.
 */
export function topPartners(counts: PairCounts, antecedent: string, limit: number): PairStat[] {
  return [...pairStats(counts, [antecedent])]
    .sort((a, b) => b.confidence - a.confidence || b.count - a.count || byCodeUnits(a.consequent, b.consequent))
    .slice(0, limit);
}

/** Every item, most baskets first (ties in text order). */
export function byPopularity(counts: PairCounts): string[] {
  return [...counts.items].sort(([a, x], [b, y]) => y - x || byCodeUnits(a, b)).map(([item]) => item);
}

function bump(together: Map<string, Map<string, number>>, a: string, b: string): void {
  let partners = together.get(a);
  if (!partners) {
    partners = new Map();
    together.set(a, partners);
  }
  partners.set(b, (partners.get(b) ?? 0) + 1);
}
