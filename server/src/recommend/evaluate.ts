// Hold-one-out evaluation: does the recommender find the product taken out of a basket more often than popularity?
import { byPopularity, countPairs, type PairStat, topPartners } from './pairs.ts';
import { seededRandom } from './random.ts';
import { rankRecommendations } from './score.ts';

export interface EvaluationOptions {
  k: number;
  seed: number;
  /** Partners kept per held product, as a precomputed table would keep them (default 100). */
  partners?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface Evaluation {
  /** Baskets with at least two distinct items: each lost one item to the test. */
  testBaskets: number;
  popularityHits: number;
  recommenderHits: number;
}

/**
 * For every basket with two or more distinct items, one of them (drawn with the seeded generator, in file order) is
 * held out; the counts are trained on all baskets without their held-out items; then each test basket's remaining
 * items ask for k products, and a hit is the held-out item among them. The baseline offers the k most popular
 * products the basket does not hold. Each held product brings its top partners only, as in production, which also
 * keeps a run over 100k baskets in seconds.
 */
export function evaluateHoldOut(baskets: Iterable<Iterable<string>>, options: EvaluationOptions): Evaluation {
  const random = seededRandom(options.seed);
  const tests: { rest: string[]; heldOut: string }[] = [];
  const training: string[][] = [];
  for (const basket of baskets) {
    const items = [...new Set(basket)];
    if (items.length >= 2) {
      const index = Math.floor(random() * items.length);
      const heldOut = items[index]!;
      items.splice(index, 1);
      tests.push({ rest: items, heldOut });
    }
    training.push(items);
  }

  const counts = countPairs(training);
  const popular = byPopularity(counts);
  const partners = new Map<string, PairStat[]>();
  const evidence = (held: string[]): PairStat[] =>
    held.flatMap((item) => {
      let list = partners.get(item);
      if (!list) {
        list = topPartners(counts, item, options.partners ?? 100);
        partners.set(item, list);
      }
      return list;
    });
  let popularityHits = 0;
  let recommenderHits = 0;
  for (let t = 0; t < tests.length; t++) {
    const { rest, heldOut } = tests[t]!;
    if (popularAmong(popular, rest, options.k).includes(heldOut)) popularityHits++;
    const ours = rankRecommendations({ held: rest, pairs: evidence(rest), popular, k: options.k });
    if (ours.some((r) => r.item === heldOut)) recommenderHits++;
    if (options.onProgress && (t + 1) % 1000 === 0) options.onProgress(t + 1, tests.length);
  }
  return { testBaskets: tests.length, popularityHits, recommenderHits };
}

function popularAmong(popular: readonly string[], held: readonly string[], k: number): string[] {
  const picked: string[] = [];
  for (const item of popular) {
    if (picked.length >= k) break;
    if (!held.includes(item)) picked.push(item);
  }
  return picked;
}
