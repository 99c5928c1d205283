// Ranking products for a person from what they hold: by confidence of co-purchase, with a popularity fallback.
import { byCodeUnits } from './compare.ts';
import type { PairStat } from './pairs.ts';

/** What the ranking needs of a pair: the HTTP API can read exactly these columns from its precomputed table. */
export type PairEvidence = Pick<PairStat, 'antecedent' | 'consequent' | 'count' | 'confidence'>;

export interface Recommendation {
  item: string;
  /** Sum over the held items h of confidence(h => item); 0 for a popularity fill-in. */
  score: number;
  /** Baskets in which the item was bought with a held item, summed over the held items. */
  together: number;
  reason: 'bought-together' | 'popular';
}

export interface RankInput {
  /** Products the person already has (bought, or in the cart): never recommended. */
  held: Iterable<string>;
  /** Pairs whose antecedent is a held product; others are ignored. */
  pairs: Iterable<PairEvidence>;
  /** Products by popularity, most popular first, to fill up the list. */
  popular: Iterable<string>;
  k: number;
}

/**
 * Up to k products: first those bought together with the held ones, by summed confidence (then co-occurrence count,
 * then text), then popular ones. Confidence rather than lift, because lift is largest for products bought once, with
 * the one basket that held them: it recommends rarities.
 */
export function rankRecommendations({ held, pairs, popular, k }: RankInput): Recommendation[] {
  const holding = new Set(held);
  const scored = new Map<string, Recommendation>();
  for (const pair of pairs) {
    if (!holding.has(pair.antecedent) || holding.has(pair.consequent)) continue;
    const entry = scored.get(pair.consequent);
    if (entry) {
      entry.score += pair.confidence;
      entry.together += pair.count;
    } else {
      scored.set(pair.consequent, {
        item: pair.consequent,
        score: pair.confidence,
        together: pair.count,
        reason: 'bought-together',
      });
    }
  }
  const ranked = [...scored.values()]
    .sort((a, b) => b.score - a.score || b.together - a.together || byCodeUnits(a.item, b.item))
    .slice(0, k);
  if (ranked.length < k) {
    const chosen = new Set(ranked.map((r) => r.item));
    for (const item of popular) {
      if (ranked.length >= k) break;
      if (holding.has(item) || chosen.has(item)) continue;
      chosen.add(item);
      ranked.push({ item, score: 0, together: 0, reason: 'popular' });
    }
  }
  return ranked;
}
