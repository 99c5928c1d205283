// A group of rows may hold the same message twice (a client retrying while its first try is still queued):
// only the first copy is written, and only a copy that was both first and new counts as stored.
import type { EventRow } from './event-row.ts';

/** Message ids by site (nested maps: no key strings to build per row). */
class IdMap<T> {
  private readonly sites = new Map<string, Map<string, T>>();
  get(siteId: string, messageId: string): T | undefined {
    return this.sites.get(siteId)?.get(messageId);
  }
  set(siteId: string, messageId: string, value: T): void {
    let ids = this.sites.get(siteId);
    if (!ids) {
      ids = new Map();
      this.sites.set(siteId, ids);
    }
    ids.set(messageId, value);
  }
}

export interface Deduplicated {
  /** The first copy of each message, in order. */
  unique: EventRow[];
  /** For each row of the group: true when it was written, given the (site_id, message_id) the database took. */
  stored(inserted: readonly { site_id: string; message_id: string }[]): boolean[];
}

export function deduplicate(rows: readonly EventRow[]): Deduplicated {
  const firstIndex = new IdMap<number>();
  const unique: EventRow[] = [];
  rows.forEach((row, i) => {
    if (firstIndex.get(row.site_id, row.message_id) === undefined) {
      firstIndex.set(row.site_id, row.message_id, i);
      unique.push(row);
    }
  });
  return {
    unique,
    stored(inserted) {
      const fresh = new IdMap<true>();
      for (const r of inserted) fresh.set(r.site_id, r.message_id, true);
      return rows.map(
        (row, i) =>
          firstIndex.get(row.site_id, row.message_id) === i && fresh.get(row.site_id, row.message_id) === true,
      );
    },
  };
}
