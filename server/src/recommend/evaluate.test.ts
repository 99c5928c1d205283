// Hold-one-out evaluation: repeatable from its seed, and the recommender beats popularity on co-purchase structure.
import { describe, expect, it } from 'vitest';
import { evaluateHoldOut } from './evaluate.ts';
import { syntheticBaskets } from './synthetic.ts';

describe('evaluateHoldOut', () => {
  const baskets = syntheticBaskets({ baskets: 3000, seed: 11 });

  it('gives the same result for the same seed', () => {
    const first = evaluateHoldOut(baskets, { k: 10, seed: 1 });
    expect(evaluateHoldOut(baskets, { k: 10, seed: 1 })).toEqual(first);
    expect(first.testBaskets).toBe(baskets.filter((b) => new Set(b).size >= 2).length);
  });

  it('beats the popularity baseline by a wide margin when products are bought in families', () => {
    for (const seed of [1, 2]) {
      const { testBaskets, popularityHits, recommenderHits } = evaluateHoldOut(baskets, { k: 10, seed });
      expect(testBaskets).toBeGreaterThan(2000);
      expect(recommenderHits / testBaskets).toBeGreaterThan(popularityHits / testBaskets + 0.2);
    }
  });

  it('tests only baskets with two distinct items, and a held-out item seen nowhere else cannot be a hit', () => {
    const result = evaluateHoldOut([['a', 'a'], ['x', 'y'], ['b'], []], { k: 10, seed: 3 });
    expect(result).toEqual({ testBaskets: 1, popularityHits: 0, recommenderHits: 0 });
  });

  it('counts a hit when the held-out item is among the k offered', () => {
    // Whatever is held out of {p, q, r}, the other two were bought with it in other baskets; z is the best seller
    // but never with them, so at k = 1 popularity always offers z.
    const baskets = [...Array.from({ length: 5 }, () => ['p', 'q', 'r']), ...Array.from({ length: 20 }, () => ['z'])];
    expect(evaluateHoldOut(baskets, { k: 1, seed: 5 })).toEqual({
      testBaskets: 5,
      popularityHits: 0,
      recommenderHits: 5,
    });
  });
});
