// Association rules "lhs => rhs" with one item on the right, as arules' apriori() mines them.
import { byCodeUnits } from './compare.ts';
import { type FrequentItemsets, mineFrequentItemsets } from './itemsets.ts';
import { meetsConfidence, minimumCount, ruleMeasures } from './measures.ts';

export interface AssociationRule {
  /** The left-hand side, sorted; empty for "{} => {rhs}", the rule arules emits with its default minlen = 1. */
  lhs: string[];
  rhs: string;
  /** Baskets holding lhs ∪ {rhs}. */
  count: number;
  support: number;
  confidence: number;
  lift: number;
}

export interface RuleOptions {
  /** Fraction of baskets that must hold lhs ∪ {rhs}, in (0, 1]. */
  minSupport: number;
  /** Fraction of the baskets holding lhs that must also hold rhs, in [0, 1]. */
  minConfidence: number;
  /** Fewest items in lhs ∪ {rhs}; arules' default is 1, which lets {} => {rhs} through, and 2 leaves it out. */
  minLen?: number;
  /** Most items in lhs ∪ {rhs}; arules' default is 10. */
  maxLen?: number;
  onProgress?: (done: number, total: number) => void;
}

export const DEFAULT_MIN_LEN = 1;
export const DEFAULT_MAX_LEN = 10;

/**
 * Every rule whose itemset (lhs ∪ rhs, minLen to maxLen items) reaches the minimum support and whose confidence reaches
 * the minimum confidence. N counts every basket, empty ones included.
 */
export function mineRules(baskets: ReadonlyArray<Iterable<string>>, options: RuleOptions): AssociationRule[] {
  return [...generateRules(baskets, options)];
}

/** The rules of `mineRules` one at a time, so a caller that keeps only some never holds millions of them. */
export function* generateRules(
  baskets: ReadonlyArray<Iterable<string>>,
  options: RuleOptions,
): Generator<AssociationRule> {
  const itemsets = mineFrequentItemsets(baskets, {
    minCount: minimumCount(options.minSupport, baskets.length),
    maxLen: options.maxLen ?? DEFAULT_MAX_LEN,
    onProgress: options.onProgress,
  });
  yield* rulesFromItemsets(itemsets, options.minConfidence, options.minLen ?? DEFAULT_MIN_LEN);
}

/** The rules of each frequent itemset of at least `minLen` items, each of its items in turn on the right. */
export function* rulesFromItemsets(
  itemsets: FrequentItemsets,
  minConfidence: number,
  minLen = DEFAULT_MIN_LEN,
): Generator<AssociationRule> {
  const { baskets, labels, itemCounts, sets } = itemsets;
  const counts = new Map<string, number>();
  for (const set of sets) counts.set(set.items.join(','), set.count);

  for (const { items, count } of sets) {
    if (items.length < minLen) continue;
    for (let r = 0; r < items.length; r++) {
      const lhs = items.filter((_, i) => i !== r);
      // Every subset of a frequent itemset is frequent, so the lhs count is always there.
      const lhsCount = lhs.length === 0 ? baskets : (counts.get(lhs.join(',')) as number);
      const rhs = items[r]!;
      const measures = ruleMeasures(count, lhsCount, itemCounts[rhs]!, baskets);
      if (!meetsConfidence(measures.confidence, minConfidence)) continue;
      yield { lhs: lhs.map((id) => labels[id]!).sort(byCodeUnits), rhs: labels[rhs]!, count, ...measures };
    }
  }
}

/** How many rules there are and the k best by lift, holding only k of them at a time. */
export function topByLift(rules: Iterable<AssociationRule>, k: number): { count: number; top: AssociationRule[] } {
  const top: AssociationRule[] = [];
  let count = 0;
  for (const rule of rules) {
    count++;
    if (k <= 0 || (top.length === k && byLift(rule, top[k - 1]!) >= 0)) continue;
    let low = 0;
    let high = top.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (byLift(top[mid]!, rule) <= 0) low = mid + 1;
      else high = mid;
    }
    top.splice(low, 0, rule);
    if (top.length > k) top.pop();
  }
  return { count, top };
}

/** Highest lift first; ties by confidence, support, shorter lhs, then the items' text, so the order is total. */
export function byLift(a: AssociationRule, b: AssociationRule): number {
  return (
    b.lift - a.lift ||
    b.confidence - a.confidence ||
    b.support - a.support ||
    a.lhs.length - b.lhs.length ||
    byCodeUnits(a.lhs.join('\u0000'), b.lhs.join('\u0000')) ||
    byCodeUnits(a.rhs, b.rhs)
  );
}
