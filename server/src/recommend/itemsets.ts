// Frequent itemsets by depth-first search over vertical tid-lists (Eclat): exact counts, no candidate sets in memory.
import { byCodeUnits } from './compare.ts';

export interface FrequentItemset {
  /** Item ids (indexes into `labels`), ascending. */
  items: number[];
  /** Baskets holding every item of the set. */
  count: number;
}

export interface FrequentItemsets {
  /** N: every basket, empty ones included. */
  baskets: number;
  /** The frequent items; an item's id is its index here. */
  labels: string[];
  /** Baskets holding each frequent item, by id. */
  itemCounts: number[];
  /** Every itemset of 1 to `maxLen` items held by at least `minCount` baskets. */
  sets: FrequentItemset[];
}

export interface ItemsetOptions {
  minCount: number;
  maxLen: number;
  /** Called after each first-level branch of the search, with how many of `total` are done. */
  onProgress?: (done: number, total: number) => void;
}

interface Branch {
  item: number;
  tids: Uint32Array;
}

/** Mines every itemset held by at least `minCount` baskets; an item repeated within a basket counts once. */
export function mineFrequentItemsets(
  baskets: Iterable<Iterable<string>>,
  { minCount, maxLen, onProgress }: ItemsetOptions,
): FrequentItemsets {
  const tidLists = new Map<string, number[]>();
  let n = 0;
  for (const basket of baskets) {
    for (const item of basket) {
      const tids = tidLists.get(item);
      // Tids arrive in increasing order, so a repeat within this basket is always the last one pushed.
      if (!tids) tidLists.set(item, [n]);
      else if (tids[tids.length - 1] !== n) tids.push(n);
    }
    n++;
  }

  // Rarest first keeps the tid-lists of deep branches short.
  const frequent = [...tidLists]
    .filter(([, tids]) => tids.length >= minCount)
    .sort(([a, x], [b, y]) => x.length - y.length || byCodeUnits(a, b));
  const labels = frequent.map(([label]) => label);
  const roots: Branch[] = frequent.map(([, tids], item) => ({ item, tids: Uint32Array.from(tids) }));
  const sets: FrequentItemset[] = [];

  const grow = (prefix: number[], branches: Branch[]): void => {
    for (let i = 0; i < branches.length; i++) {
      const { item, tids } = branches[i]!;
      const items = [...prefix, item];
      sets.push({ items, count: tids.length });
      if (items.length < maxLen) {
        const next: Branch[] = [];
        for (let j = i + 1; j < branches.length; j++) {
          const other = branches[j]!;
          const common = intersect(tids, other.tids, minCount);
          if (common) next.push({ item: other.item, tids: common });
        }
        if (next.length > 0) grow(items, next);
      }
      if (prefix.length === 0) onProgress?.(i + 1, branches.length);
    }
  };
  if (maxLen >= 1) grow([], roots);

  return { baskets: n, labels, itemCounts: roots.map((r) => r.tids.length), sets };
}

/** The tids in both sorted lists, or undefined as soon as fewer than `minCount` can remain. */
function intersect(a: Uint32Array, b: Uint32Array, minCount: number): Uint32Array | undefined {
  if (a.length < minCount || b.length < minCount) return undefined;
  const out = new Uint32Array(Math.min(a.length, b.length));
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      out[k++] = x;
      i++;
      j++;
    } else {
      if (x < y) i++;
      else j++;
      if (k + Math.min(a.length - i, b.length - j) < minCount) return undefined;
    }
  }
  return k >= minCount ? out.slice(0, k) : undefined;
}
