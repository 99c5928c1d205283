// Pair counts for "frequently bought together": exact values, and the same numbers as the arules rule {a} => {b}.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addBasket, byPopularity, countPairs, emptyPairCounts, pairStats, topPartners } from './pairs.ts';
import { mineRules } from './rules.ts';

const SHOP = [
  ['milk', 'bread'],
  ['milk', 'bread', 'butter'],
  ['bread', 'butter'],
  ['milk'],
  [],
  ['beer', 'milk', 'milk'],
];

describe('pair counts', () => {
  it('counts baskets, items and pairs once per basket, empty baskets in N', () => {
    const counts = countPairs(SHOP);
    expect(counts.baskets).toBe(6);
    expect(Object.fromEntries(counts.items)).toEqual({ milk: 4, bread: 3, butter: 2, beer: 1 });
    expect(counts.together.get('milk')?.get('bread')).toBe(2);
    expect(counts.together.get('bread')?.get('milk')).toBe(2);
    expect(counts.together.get('beer')?.get('milk')).toBe(1);
    expect(counts.together.get('milk')?.get('butter')).toBe(1);
    expect(counts.together.get('beer')?.get('bread')).toBeUndefined();
  });

  it('gives count, support, confidence and lift for each ordered pair', () => {
    const stats = [...pairStats(countPairs(SHOP), ['butter', 'bread'])];
    const byName = Object.fromEntries(
      stats.map(({ antecedent, consequent, ...rest }) => [`${antecedent}>${consequent}`, rest]),
    );
    expect(Object.keys(byName).sort()).toEqual(['bread>butter', 'bread>milk', 'butter>bread', 'butter>milk']);
    expect(byName['butter>bread']).toEqual({ count: 2, support: 2 / 6, confidence: 1, lift: 2 });
    expect(byName['bread>butter']).toEqual({ count: 2, support: 2 / 6, confidence: 2 / 3, lift: 2 });
    // 1/2 of butter buyers take milk, against 4/6 of all baskets: lift 0.75, a negative association.
    expect(byName['butter>milk']).toEqual({ count: 1, support: 1 / 6, confidence: 0.5, lift: 0.75 });
  });

  it('adds baskets one at a time to the same result as counting them all', () => {
    const counts = emptyPairCounts();
    for (const basket of SHOP) addBasket(counts, basket);
    expect(counts).toEqual(countPairs(SHOP));
  });

  it("lists a product's partners most confident first, then by text, up to the limit", () => {
    const counts = countPairs(SHOP);
    expect(topPartners(counts, 'milk', 10).map((p) => [p.consequent, p.count])).toEqual([
      ['bread', 2],
      ['beer', 1],
      ['butter', 1],
    ]);
    expect(topPartners(counts, 'milk', 1).map((p) => p.consequent)).toEqual(['bread']);
    expect(topPartners(counts, 'nothing', 5)).toEqual([]);
  });

  it('orders items by popularity, ties in text order', () => {
    expect(byPopularity(countPairs([['b', 'a'], ['c'], ['a', 'c'], ['d']]))).toEqual(['a', 'c', 'b', 'd']);
  });

  it('agrees with the association rules {a} => {b} on every pair', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e'), { maxLength: 5 }), { maxLength: 20 }),
        (baskets) => {
          const fromPairs = [...pairStats(countPairs(baskets))].map((p) => [
            [p.antecedent],
            p.consequent,
            p.count,
            p.support,
            p.confidence,
            p.lift,
          ]);
          const fromRules = mineRules(baskets, { minSupport: 1e-9, minConfidence: 0, maxLen: 2 })
            .filter((r) => r.lhs.length === 1)
            .map((r) => [r.lhs, r.rhs, r.count, r.support, r.confidence, r.lift]);
          const sorted = (rows: unknown[][]) => rows.map((r) => JSON.stringify(r)).sort();
          expect(sorted(fromPairs)).toEqual(sorted(fromRules));
        },
      ),
      { numRuns: 200 },
    );
  });
});
