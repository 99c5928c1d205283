// Ranking for a person: by summed confidence over what they hold, never what they hold, popular products to fill up.
import { describe, expect, it } from 'vitest';
import { byPopularity, countPairs, pairStats } from './pairs.ts';
import { rankRecommendations } from './score.ts';

// Phone cases sell with phones; "gold-plated cable" was bought once, with a phone: its lift from phone is the highest.
const BASKETS = [
  ...Array.from({ length: 6 }, () => ['phone', 'case']),
  ...Array.from({ length: 3 }, () => ['case']),
  ['phone', 'charger'],
  ['phone', 'gold-plated cable'],
  ...Array.from({ length: 5 }, () => ['charger']),
  ...Array.from({ length: 8 }, () => ['socks']),
];
const counts = countPairs(BASKETS);
const popular = byPopularity(counts);

describe('rankRecommendations', () => {
  it('ranks by confidence, not lift, so a one-off product does not come first', () => {
    const stats = [...pairStats(counts, ['phone'])];
    const lift = (item: string) => stats.find((s) => s.consequent === item)?.lift ?? 0;
    expect(lift('gold-plated cable')).toBeGreaterThan(lift('case'));

    const ranked = rankRecommendations({ held: ['phone'], pairs: stats, popular, k: 3 });
    expect(ranked).toEqual([
      { item: 'case', score: 6 / 8, together: 6, reason: 'bought-together' },
      // Equal confidence 1/8: the text order decides.
      { item: 'charger', score: 1 / 8, together: 1, reason: 'bought-together' },
      { item: 'gold-plated cable', score: 1 / 8, together: 1, reason: 'bought-together' },
    ]);
  });

  it('sums the evidence of every held product and never offers what is held', () => {
    const ranked = rankRecommendations({
      held: ['phone', 'charger'],
      pairs: pairStats(counts, ['phone', 'charger']),
      popular,
      k: 10,
    });
    expect(ranked.map((r) => r.item)).toEqual(['case', 'gold-plated cable', 'socks']);
    expect(ranked.map((r) => r.reason)).toEqual(['bought-together', 'bought-together', 'popular']);
  });

  it('fills up to k with popular products, without repeats, for someone with no history', () => {
    expect(rankRecommendations({ held: [], pairs: [], popular, k: 3 })).toEqual([
      { item: 'case', score: 0, together: 0, reason: 'popular' },
      { item: 'phone', score: 0, together: 0, reason: 'popular' },
      { item: 'socks', score: 0, together: 0, reason: 'popular' },
    ]);
    expect(rankRecommendations({ held: ['socks'], pairs: [], popular: ['socks', 'socks', 'case'], k: 5 })).toEqual([
      { item: 'case', score: 0, together: 0, reason: 'popular' },
    ]);
  });

  it('ignores pairs whose antecedent is not held', () => {
    const ranked = rankRecommendations({ held: ['socks'], pairs: pairStats(counts), popular: [], k: 5 });
    expect(ranked).toEqual([]);
  });
});
