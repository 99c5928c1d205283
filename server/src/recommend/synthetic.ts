// Baskets with a known co-purchase structure, for tests and timings: products come in families bought together,
// and a few staples are bought with anything (so popularity alone does well, but not as well as co-purchase).
import { seededRandom } from './random.ts';

export interface SyntheticOptions {
  baskets: number;
  seed: number;
  /** Families of products bought together; family i is bought about as often as 1/(i+1). */
  families?: number;
  familySize?: number;
  staples?: number;
}

export function syntheticBaskets({
  baskets,
  seed,
  families = 30,
  familySize = 6,
  staples = 8,
}: SyntheticOptions): string[][] {
  const random = seededRandom(seed);
  const pick = (n: number): number => Math.floor(random() * n);
  const weights = Array.from({ length: families }, (_, i) => 1 / (i + 1));
  const total = weights.reduce((a, b) => a + b, 0);
  const family = (): number => {
    let r = random() * total;
    for (let i = 0; i < families; i++) {
      r -= weights[i]!;
      if (r < 0) return i;
    }
    return families - 1;
  };

  const out: string[][] = [];
  for (let b = 0; b < baskets; b++) {
    const basket = new Set<string>();
    const f = family();
    const fromFamily = 1 + pick(3);
    while (basket.size < fromFamily) basket.add(`f${f}-p${pick(familySize)}`);
    // Staples skew to the first ones: staple 0 is the best seller.
    const stapleCount = pick(3);
    for (let s = 0; s < stapleCount; s++) basket.add(`staple-${Math.floor(staples * random() ** 2)}`);
    if (random() < 0.2) basket.add(`f${pick(families)}-p${pick(familySize)}`);
    out.push([...basket]);
  }
  return out;
}
