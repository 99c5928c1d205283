// Folds a batch of events into the heatmap aggregates: grouped in memory, then one upsert per table.
import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type { Database } from '../db/index.ts';
import { unnestRows } from '../db/unnest.ts';
import { clickCell, depthBucket, deviceClass, pageWidth, utcDay } from './grid.ts';
import type { DeviceClass } from './tables.ts';

/** The columns of an `events` row that heatmaps read. */
export type HeatmapEvent = Pick<
  Selectable<Database['events']>,
  'site_id' | 'type' | 'event' | 'url_path' | 'selector' | 'x' | 'y' | 'viewport_width' | 'timestamp' | 'properties'
>;

type Db = Kysely<Database> | Transaction<Database>;

// NUL cannot occur in Postgres text, so it separates the parts of a grouping key unambiguously.
const SEP = '\u0000';

interface Counts {
  clicks: number;
  rage: number;
}

/** The row of `map` under `id`, created by `make` the first time. */
function rowOf<T>(map: Map<string, T>, id: string, make: () => T): T {
  let row = map.get(id);
  if (!row) {
    row = make();
    map.set(id, row);
  }
  return row;
}

/** The batch, grouped by each table's primary key. */
class Groups {
  readonly pages = new Map<string, { key: PageKey } & Counts & { scrolls: number }>();
  readonly cells = new Map<string, { key: PageKey; x: number; y: number } & Counts>();
  readonly selectors = new Map<string, { key: PageKey; selector: string } & Counts>();
  readonly depths = new Map<string, { key: PageKey; bucket: number; views: number }>();

  private page(key: PageKey) {
    return rowOf(this.pages, key.id, () => ({ key, clicks: 0, rage: 0, scrolls: 0 }));
  }

  click(key: PageKey, cell: { x: number; y: number } | null, selector: string | null, rage: boolean): void {
    const r = rage ? 1 : 0;
    const page = this.page(key);
    page.clicks++;
    page.rage += r;
    if (cell) {
      const row = rowOf(this.cells, `${key.id}${SEP}${cell.x}${SEP}${cell.y}`, () => ({
        key,
        x: cell.x,
        y: cell.y,
        clicks: 0,
        rage: 0,
      }));
      row.clicks++;
      row.rage += r;
    }
    if (selector) {
      const row = rowOf(this.selectors, `${key.id}${SEP}${selector}`, () => ({ key, selector, clicks: 0, rage: 0 }));
      row.clicks++;
      row.rage += r;
    }
  }

  scroll(key: PageKey, bucket: number): void {
    this.page(key).scrolls++;
    rowOf(this.depths, `${key.id}${SEP}${bucket}`, () => ({ key, bucket, views: 0 })).views++;
  }
}

interface PageKey {
  id: string;
  site_id: string;
  path: string;
  device: DeviceClass;
  day: string;
}

/** Site, page, device and day of an event, or null when it cannot be placed (no path or no viewport). */
function pageKeyOf(e: HeatmapEvent): PageKey | null {
  const device = deviceClass(e.viewport_width);
  if (!e.url_path || !device) return null;
  // new Date() also takes the ISO string a raw `sql` select may hand back.
  const day = utcDay(new Date(e.timestamp));
  return {
    id: `${e.site_id}${SEP}${e.url_path}${SEP}${device}${SEP}${day}`,
    site_id: e.site_id,
    path: e.url_path,
    device,
    day,
  };
}

/** Groups the batch; events other than `$click`/`$scroll`, or that cannot be placed, are left out. */
function groupHeatmapEvents(events: readonly HeatmapEvent[]): Groups {
  const groups = new Groups();
  for (const e of events) {
    if (e.type !== 'track' || (e.event !== '$click' && e.event !== '$scroll')) continue;
    const key = pageKeyOf(e);
    if (!key) continue;
    if (e.event === '$click') {
      const width = pageWidth(e.properties, e.viewport_width);
      const cell = width === null ? null : clickCell(e.x, e.y, width);
      groups.click(key, cell, e.selector, e.properties?.rage === true);
    } else {
      const bucket = depthBucket(e.properties?.depth);
      if (bucket !== null) groups.scroll(key, bucket);
    }
  }
  return groups;
}

const pageColumns = { site_id: 'text', path: 'text', device: 'text', day: 'date' } as const;

/**
 * Adds a batch of events to the heatmap aggregates: `$click` (grid cell, selector, rage) and `$scroll` (max depth)
 * events, by site, page path, device class and UTC day; other events are ignored. At most four statements
 * whatever the batch size. The counters are additive, so the caller must pass each event exactly once: the
 * projector calls it inside the transaction that advances its cursor.
 */
export async function applyHeatmapEvents(trx: Db, events: readonly HeatmapEvent[]): Promise<void> {
  const g = groupHeatmapEvents(events);
  const page = (k: PageKey) => ({ site_id: k.site_id, path: k.path, device: k.device, day: k.day });
  // Each statement sees every key once (grouped above): an upsert may not touch the same row twice.
  if (g.pages.size > 0) {
    const rows = [...g.pages.values()].map((r) => ({
      ...page(r.key),
      clicks: r.clicks,
      rage: r.rage,
      scrolls: r.scrolls,
    }));
    await trx
      .insertInto('heatmap_pages')
      .columns(['site_id', 'path', 'device', 'day', 'clicks', 'rage', 'scrolls'])
      .expression(
        sql`select site_id, path, device, day, clicks, rage, scrolls
            from ${unnestRows(rows, { ...pageColumns, clicks: 'int4', rage: 'int4', scrolls: 'int4' })}`,
      )
      .onConflict((oc) =>
        oc.columns(['site_id', 'day', 'path', 'device']).doUpdateSet((eb) => ({
          clicks: eb('heatmap_pages.clicks', '+', eb.ref('excluded.clicks')),
          rage: eb('heatmap_pages.rage', '+', eb.ref('excluded.rage')),
          scrolls: eb('heatmap_pages.scrolls', '+', eb.ref('excluded.scrolls')),
        })),
      )
      .execute();
  }
  if (g.cells.size > 0) {
    const rows = [...g.cells.values()].map((r) => ({
      ...page(r.key),
      cell_x: r.x,
      cell_y: r.y,
      clicks: r.clicks,
      rage: r.rage,
    }));
    await trx
      .insertInto('heatmap_click_cells')
      .columns(['site_id', 'path', 'device', 'day', 'cell_x', 'cell_y', 'clicks', 'rage'])
      .expression(
        sql`select site_id, path, device, day, cell_x, cell_y, clicks, rage
            from ${unnestRows(rows, { ...pageColumns, cell_x: 'int2', cell_y: 'int4', clicks: 'int4', rage: 'int4' })}`,
      )
      .onConflict((oc) =>
        oc.columns(['site_id', 'path', 'device', 'day', 'cell_x', 'cell_y']).doUpdateSet((eb) => ({
          clicks: eb('heatmap_click_cells.clicks', '+', eb.ref('excluded.clicks')),
          rage: eb('heatmap_click_cells.rage', '+', eb.ref('excluded.rage')),
        })),
      )
      .execute();
  }
  if (g.selectors.size > 0) {
    const rows = [...g.selectors.values()].map((r) => ({
      ...page(r.key),
      selector: r.selector,
      clicks: r.clicks,
      rage: r.rage,
    }));
    await trx
      .insertInto('heatmap_selectors')
      .columns(['site_id', 'path', 'device', 'day', 'selector', 'clicks', 'rage'])
      .expression(
        sql`select site_id, path, device, day, selector, clicks, rage
            from ${unnestRows(rows, { ...pageColumns, selector: 'text', clicks: 'int4', rage: 'int4' })}`,
      )
      .onConflict((oc) =>
        oc.columns(['site_id', 'path', 'device', 'day', 'selector']).doUpdateSet((eb) => ({
          clicks: eb('heatmap_selectors.clicks', '+', eb.ref('excluded.clicks')),
          rage: eb('heatmap_selectors.rage', '+', eb.ref('excluded.rage')),
        })),
      )
      .execute();
  }
  if (g.depths.size > 0) {
    const rows = [...g.depths.values()].map((r) => ({ ...page(r.key), bucket: r.bucket, views: r.views }));
    await trx
      .insertInto('heatmap_scroll_depths')
      .columns(['site_id', 'path', 'device', 'day', 'bucket', 'views'])
      .expression(
        sql`select site_id, path, device, day, bucket, views
            from ${unnestRows(rows, { ...pageColumns, bucket: 'int2', views: 'int4' })}`,
      )
      .onConflict((oc) =>
        oc.columns(['site_id', 'path', 'device', 'day', 'bucket']).doUpdateSet((eb) => ({
          views: eb('heatmap_scroll_depths.views', '+', eb.ref('excluded.views')),
        })),
      )
      .execute();
  }
}

/** Deletes every heatmap aggregate of a site (before `fideliza rebuild` projects its events again). */
export async function deleteSiteHeatmaps(db: Db, siteId: string): Promise<void> {
  await db.deleteFrom('heatmap_click_cells').where('site_id', '=', siteId).execute();
  await db.deleteFrom('heatmap_selectors').where('site_id', '=', siteId).execute();
  await db.deleteFrom('heatmap_scroll_depths').where('site_id', '=', siteId).execute();
  await db.deleteFrom('heatmap_pages').where('site_id', '=', siteId).execute();
}
