// Association rules as arules' apriori() defines them: hand-computed values, and the miner against brute force.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AssociationRule, mineRules, topByLift } from './rules.ts';

// N = 6: the blank basket counts, and "milk" twice in the last basket counts once.
// Counts: milk 4, bread 3, butter 2, beer 1, nuts 1; {milk,bread} 2, {bread,butter} 2, every other set 1.
const SHOP = [
  ['milk', 'bread'],
  ['milk', 'bread', 'butter'],
  ['bread', 'butter'],
  ['milk'],
  [],
  ['beer', 'nuts', 'milk', 'milk'],
];

const key = (r: AssociationRule): string => `{${r.lhs.join(',')}} => {${r.rhs}}`;

describe('mineRules', () => {
  it('finds the rules of a small shop with exact support, confidence and lift, the empty lhs included', () => {
    // 0.3 · 6 = 1.7999999999999998, rounded up to 2 baskets as arules does.
    const rules = mineRules(SHOP, { minSupport: 0.3, minConfidence: 0.5 });
    const byKey = Object.fromEntries(rules.map((r) => [key(r), r]));
    expect(Object.keys(byKey).sort()).toEqual([
      '{bread} => {butter}',
      '{bread} => {milk}',
      '{butter} => {bread}',
      '{milk} => {bread}',
      '{} => {bread}',
      '{} => {milk}',
    ]);
    // {} => {butter} has confidence 2/6 < 0.5; no triple reaches 2 baskets.
    const expected: Record<string, [number, number, number, number]> = {
      '{} => {milk}': [4, 4 / 6, 4 / 6, 1],
      '{} => {bread}': [3, 3 / 6, 3 / 6, 1],
      '{milk} => {bread}': [2, 2 / 6, 2 / 4, 1],
      '{bread} => {milk}': [2, 2 / 6, 2 / 3, 1],
      '{bread} => {butter}': [2, 2 / 6, 2 / 3, 2],
      '{butter} => {bread}': [2, 2 / 6, 1, 2],
    };
    for (const [name, [count, support, confidence, lift]] of Object.entries(expected)) {
      const rule = byKey[name]!;
      expect(rule.count, name).toBe(count);
      expect(rule.support, name).toBe(support);
      expect(rule.confidence, name).toBe(confidence);
      expect(rule.lift, name).toBeCloseTo(lift, 14);
    }
  });

  it('counts every rule of every itemset at the lowest thresholds, and minLen and maxLen bound the itemset size', () => {
    // 13 itemsets held by a basket: 5 singles (1 rule each), 6 pairs (2 each), 2 triples (3 each).
    expect(mineRules(SHOP, { minSupport: 0.1, minConfidence: 0 })).toHaveLength(5 + 12 + 6);
    expect(mineRules(SHOP, { minSupport: 0.1, minConfidence: 0, maxLen: 2 })).toHaveLength(5 + 12);
    expect(mineRules(SHOP, { minSupport: 0.1, minConfidence: 0, minLen: 2 })).toHaveLength(12 + 6);
    expect(mineRules(SHOP, { minSupport: 0.1, minConfidence: 0, minLen: 2, maxLen: 2 })).toHaveLength(12);
    expect(mineRules(SHOP, { minSupport: 0.1, minConfidence: 0, minLen: 4 })).toEqual([]);
    expect(mineRules(SHOP, { minSupport: 0.1, minConfidence: 0, maxLen: 1 }).map(key).sort()).toEqual([
      '{} => {beer}',
      '{} => {bread}',
      '{} => {butter}',
      '{} => {milk}',
      '{} => {nuts}',
    ]);
  });

  it("keeps a confidence equal to the minimum despite round-off, as arules' 1e-12 slack does", () => {
    // 2/3 and 4/6 as doubles are below 0.6666666666666667.
    const rules = mineRules(SHOP, { minSupport: 0.3, minConfidence: 0.6666666666666667 });
    expect(rules.map(key).sort()).toEqual([
      '{bread} => {butter}',
      '{bread} => {milk}',
      '{butter} => {bread}',
      '{} => {milk}',
    ]);
    expect(mineRules(SHOP, { minSupport: 0.3, minConfidence: 0.66666666667 }).map(key)).toEqual([
      '{butter} => {bread}',
    ]);
  });

  it('finds the same rules with the same values as brute-force enumeration of every itemset', () => {
    const items = ['a', 'b', 'c', 'd', 'e', 'f'];
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.constantFrom(...items), { maxLength: 7 }), { maxLength: 30 }),
        fc.oneof(fc.constantFrom(0.1, 0.2, 0.3, 1 / 3, 0.5, 1), fc.double({ min: 0.01, max: 1, noNaN: true })),
        fc.oneof(fc.constantFrom(0, 0.5, 2 / 3, 0.8, 1), fc.double({ min: 0, max: 1, noNaN: true })),
        fc.integer({ min: 1, max: 3 }),
        fc.oneof(fc.integer({ min: 1, max: 6 }), fc.constant(10)),
        (baskets, minSupport, minConfidence, minLen, maxLen) => {
          const mined = mineRules(baskets, { minSupport, minConfidence, minLen, maxLen });
          const expected = bruteForce(baskets, items, minSupport, minConfidence, minLen, maxLen);
          expect(mined.map(canonical).sort()).toEqual(expected.map(canonical).sort());
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('topByLift', () => {
  it('keeps the k best by lift, ties by confidence then support, and counts them all', () => {
    const rules = mineRules(SHOP, { minSupport: 0.3, minConfidence: 0.5 });
    const { count, top } = topByLift(rules, 4);
    expect(count).toBe(6);
    expect(top.map(key)).toEqual(['{butter} => {bread}', '{bread} => {butter}', '{} => {milk}', '{bread} => {milk}']);
    expect(topByLift(rules, 0)).toEqual({ count: 6, top: [] });
  });
});

/** The definition, spelled out: every non-empty itemset over the universe, counted basket by basket. */
function bruteForce(
  baskets: string[][],
  universe: string[],
  minSupport: number,
  minConfidence: number,
  minLen: number,
  maxLen: number,
): AssociationRule[] {
  const n = baskets.length;
  const sets = baskets.map((b) => new Set(b));
  const count = (itemset: string[]): number => sets.filter((s) => itemset.every((i) => s.has(i))).length;
  const minCount = Math.max(1, Math.ceil(n * minSupport));
  const rules: AssociationRule[] = [];
  for (let mask = 1; mask < 1 << universe.length; mask++) {
    const itemset = universe.filter((_, i) => mask & (1 << i));
    const together = count(itemset);
    if (itemset.length < minLen || itemset.length > maxLen || together < minCount) continue;
    for (const rhs of itemset) {
      const lhs = itemset.filter((i) => i !== rhs);
      const confidence = together / (lhs.length === 0 ? n : count(lhs));
      if (confidence < minConfidence - 1e-12) continue;
      rules.push({
        lhs,
        rhs,
        count: together,
        support: together / n,
        confidence,
        lift: (confidence * n) / count([rhs]),
      });
    }
  }
  return rules;
}

function canonical(r: AssociationRule): string {
  return JSON.stringify([r.lhs, r.rhs, r.count, r.support, r.confidence, r.lift]);
}
