// Rebuilds the derived tables of one site (or all) from the event log: the site's derived rows are deleted
// and its cursor reset in one transaction, then the projector catches up from the first event.
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.ts';
import { deleteSiteHeatmaps } from '../heatmaps/index.ts';
import { listSites } from '../sites/index.ts';
import { classifySite } from './classify.ts';
import { Projector } from './projector.ts';

export interface RebuildProgress {
  done: number;
  total: number;
}

/** Deletes everything the projector derived for the site; catalogue-imported products stay. */
async function resetSite(db: Kysely<Database>, siteId: string): Promise<void> {
  await db
    .insertInto('projector_cursors')
    .values({ site_id: siteId })
    .onConflict((oc) => oc.column('site_id').doNothing())
    .execute();
  await db.transaction().execute(async (trx) => {
    // Waits for a batch another process may be projecting for this site, and keeps it out until commit.
    await trx.selectFrom('projector_cursors').select('site_id').where('site_id', '=', siteId).forUpdate().execute();
    for (const table of [
      'profile_classes',
      'profile_traits',
      'identities',
      'visitor_sessions',
      'profile_merges',
      'order_refunds',
      'order_items',
      'orders',
      'site_commerce',
      'profiles',
    ] as const) {
      await trx.deleteFrom(table).where('site_id', '=', siteId).execute();
    }
    await trx.deleteFrom('products').where('site_id', '=', siteId).where('from_catalog', '=', false).execute();
    await deleteSiteHeatmaps(trx, siteId);
    await trx
      .updateTable('projector_cursors')
      .set({ last_xid: '0', last_seq: 0, pending: [] })
      .where('site_id', '=', siteId)
      .execute();
  });
}

/** Rebuilds and returns the number of events projected; `onProgress` hears after every batch. */
export async function rebuild(
  db: Kysely<Database>,
  options: { siteId?: string; batchSize?: number; onProgress?: (p: RebuildProgress) => void } = {},
): Promise<number> {
  const siteIds = options.siteId ? [options.siteId] : (await listSites(db)).map((s) => s.siteId);
  if (!siteIds.length) return 0;
  const counted = await db
    .selectFrom('events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('site_id', 'in', siteIds)
    .executeTakeFirst();
  const progress = { done: 0, total: Number(counted?.n ?? 0) };
  options.onProgress?.(progress);
  const projector = new Projector(db, options.batchSize ? { batchSize: options.batchSize } : {});
  for (const siteId of siteIds) {
    await resetSite(db, siteId);
    await projector.projectSite(siteId, (n) => {
      progress.done += n;
      options.onProgress?.(progress);
    });
    await classifySite(db, siteId);
  }
  return progress.done;
}

/** A one-line progress bar for stderr: `[#####-----] 1200/5000 events 3400/s`. */
export function progressLine({ done, total }: RebuildProgress, elapsedMs: number, width = 30): string {
  const ratio = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(ratio * width);
  const rate = elapsedMs > 0 ? Math.round((done * 1000) / elapsedMs) : 0;
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} events ${rate}/s`;
}
