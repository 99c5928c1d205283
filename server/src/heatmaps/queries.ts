// Reads the heatmap aggregates for a date range: sums over the per-day rows of one site (and page).
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.ts';
import { DEPTH_STEP, GRID_COLUMNS } from './grid.ts';
import type { DeviceClass } from './tables.ts';

/** Inclusive UTC days, 'YYYY-MM-DD'. */
export interface DayRange {
  from: string;
  to: string;
}

export interface PageFilter extends DayRange {
  path: string;
  /** All device classes together when absent. */
  device?: DeviceClass | undefined;
}

export interface ClickGrid {
  /** Columns of the grid; rows are as tall as a column is wide (see grid.ts). */
  columns: number;
  clicks: number;
  rage: number;
  /** Cells with at least one click, top to bottom, left to right. */
  cells: { x: number; y: number; clicks: number; rage: number }[];
}

export async function clickGrid(
  db: Kysely<Database>,
  siteId: string,
  f: PageFilter & { device: DeviceClass },
): Promise<ClickGrid> {
  const cells = await db
    .selectFrom('heatmap_click_cells')
    .select(['cell_x as x', 'cell_y as y'])
    .select((eb) => [eb.fn.sum<number>('clicks').as('clicks'), eb.fn.sum<number>('rage').as('rage')])
    .where('site_id', '=', siteId)
    .where('path', '=', f.path)
    .where('device', '=', f.device)
    .where('day', '>=', f.from)
    .where('day', '<=', f.to)
    .groupBy(['cell_x', 'cell_y'])
    .orderBy('cell_y')
    .orderBy('cell_x')
    .execute();
  let clicks = 0;
  let rage = 0;
  for (const c of cells) {
    clicks += c.clicks;
    rage += c.rage;
  }
  return { columns: GRID_COLUMNS, clicks, rage, cells };
}

export interface SelectorCount {
  selector: string;
  clicks: number;
  rage: number;
}

export async function topSelectors(
  db: Kysely<Database>,
  siteId: string,
  f: PageFilter & { limit: number; order: 'clicks' | 'rage' },
): Promise<SelectorCount[]> {
  let q = db
    .selectFrom('heatmap_selectors')
    .select('selector')
    .select((eb) => [eb.fn.sum<number>('clicks').as('clicks'), eb.fn.sum<number>('rage').as('rage')])
    .where('site_id', '=', siteId)
    .where('path', '=', f.path)
    .where('day', '>=', f.from)
    .where('day', '<=', f.to);
  if (f.device) q = q.where('device', '=', f.device);
  const other = f.order === 'clicks' ? 'rage' : 'clicks';
  return q
    .groupBy('selector')
    .orderBy((eb) => eb.fn.sum(f.order), 'desc')
    .orderBy((eb) => eb.fn.sum(other), 'desc')
    .orderBy('selector')
    .limit(f.limit)
    .execute();
}

export interface ScrollDistribution {
  /** Page views that reported a depth. */
  views: number;
  /** Every bucket 0, 5, …, 100: views whose max depth fell in it, and the share that got at least that deep. */
  buckets: { depth: number; views: number; reach: number }[];
}

export async function scrollDistribution(
  db: Kysely<Database>,
  siteId: string,
  f: PageFilter,
): Promise<ScrollDistribution> {
  let q = db
    .selectFrom('heatmap_scroll_depths')
    .select('bucket')
    .select((eb) => eb.fn.sum<number>('views').as('views'))
    .where('site_id', '=', siteId)
    .where('path', '=', f.path)
    .where('day', '>=', f.from)
    .where('day', '<=', f.to);
  if (f.device) q = q.where('device', '=', f.device);
  const rows = await q.groupBy('bucket').execute();
  const byBucket = new Map(rows.map((r) => [r.bucket, r.views]));
  const views = rows.reduce((s, r) => s + r.views, 0);
  const buckets: ScrollDistribution['buckets'] = [];
  // From the bottom of the page up, so `atLeast` counts the views whose max depth is at least `depth`.
  let atLeast = 0;
  for (let depth = 100; depth >= 0; depth -= DEPTH_STEP) {
    const n = byBucket.get(depth) ?? 0;
    atLeast += n;
    buckets.push({ depth, views: n, reach: views === 0 ? 0 : atLeast / views });
  }
  return { views, buckets: buckets.reverse() };
}

export interface PageCount {
  path: string;
  clicks: number;
  rage: number;
  scrolls: number;
}

export async function topPages(
  db: Kysely<Database>,
  siteId: string,
  f: DayRange & { device?: DeviceClass | undefined; limit: number },
): Promise<PageCount[]> {
  let q = db
    .selectFrom('heatmap_pages')
    .select('path')
    .select((eb) => [
      eb.fn.sum<number>('clicks').as('clicks'),
      eb.fn.sum<number>('rage').as('rage'),
      eb.fn.sum<number>('scrolls').as('scrolls'),
    ])
    .where('site_id', '=', siteId)
    .where('day', '>=', f.from)
    .where('day', '<=', f.to);
  if (f.device) q = q.where('device', '=', f.device);
  return q
    .groupBy('path')
    .orderBy((eb) => eb.fn.sum('clicks'), 'desc')
    .orderBy((eb) => eb.fn.sum('scrolls'), 'desc')
    .orderBy('path')
    .limit(f.limit)
    .execute();
}
