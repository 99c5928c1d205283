// A few seconds of in-process memory for recommendation answers: a shop's product pages ask the same few
// questions over and over, and the tables behind them change only when the refresh runs.
import { type DetailsLoader, type ProductInfo, productDetails } from './store.ts';
export class AnswerCache<T> {
  private readonly entries = new Map<string, { value: Promise<T>; expires: number }>();

  constructor(
    private readonly ttlMs: number,
    // Bounded so a flood of made-up product or visitor ids cannot grow memory without end.
    private readonly maxEntries = 20_000,
  ) {}

  /** The cached answer for `key`, or `load()`'s (shared by concurrent callers; a failure is not cached). */
  get(key: string, load: () => Promise<T>): Promise<T> {
    if (this.ttlMs <= 0) return load();
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && hit.expires > now) return hit.value;
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    const value = load();
    this.entries.set(key, { value, expires: now + this.ttlMs });
    value.catch(() => this.entries.delete(key));
    return value;
  }
}

/**
 * Product details (name, price, url, image) remembered for `ttlMs`, so a "for you" answer needs no second
 * query once its products have been seen: details change rarely, and the answers may be a minute old anyway.
 */
export function cachedDetails(ttlMs: number, maxEntries = 50_000): DetailsLoader {
  const entries = new Map<string, { info: ProductInfo; expires: number }>();
  return async (db, siteId, ids) => {
    const now = Date.now();
    const known = new Map<string, ProductInfo>();
    const missing: string[] = [];
    for (const id of ids) {
      const hit = entries.get(`${siteId}\0${id}`);
      if (hit && hit.expires > now) known.set(id, hit.info);
      else missing.push(id);
    }
    if (missing.length > 0) {
      const loaded = await productDetails(db, siteId, missing);
      if (entries.size + missing.length > maxEntries) entries.clear();
      for (const id of missing) {
        const info = loaded(id);
        known.set(id, info);
        entries.set(`${siteId}\0${id}`, { info, expires: now + ttlMs });
      }
    }
    return (id) => known.get(id) ?? { name: null, price: null, currency: null, url: null, imageUrl: null };
  };
}
