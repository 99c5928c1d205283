// An in-process cache in front of the sites table, so the ingest hot path does no per-request lookup.
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.ts';
import { findSiteById, findSiteByWriteKey, isOriginAllowedAnywhere, type Site } from './queries.ts';

interface Entry<T> {
  value: T;
  expires: number;
}

/** Known keys are cached for `ttlMs` (so a changed site is seen within that time by every process). */
export class SiteDirectory {
  private readonly sites = new Map<string, Entry<Site | null>>();
  private readonly origins = new Map<string, Entry<boolean>>();
  private readonly ids = new Map<string, Entry<Site | null>>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly ttlMs = 30_000,
    // Bounded so a flood of made-up keys cannot grow memory without end.
    private readonly maxEntries = 10_000,
  ) {}

  byWriteKey(writeKey: string): Promise<Site | null> {
    return this.cached(this.sites, writeKey, () => findSiteByWriteKey(this.db, writeKey));
  }

  byId(siteId: string): Promise<Site | null> {
    return this.cached(this.ids, siteId, () => findSiteById(this.db, siteId));
  }

  originAllowedAnywhere(origin: string): Promise<boolean> {
    return this.cached(this.origins, origin, () => isOriginAllowedAnywhere(this.db, origin));
  }

  /** Forget everything (after this process changes a site). */
  clear(): void {
    this.sites.clear();
    this.origins.clear();
    this.ids.clear();
  }

  private async cached<T>(map: Map<string, Entry<T>>, key: string, load: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const hit = map.get(key);
    if (hit && hit.expires > now) return hit.value;
    const value = await load();
    if (map.size >= this.maxEntries) map.clear();
    map.set(key, { value, expires: now + this.ttlMs });
    return value;
  }
}
