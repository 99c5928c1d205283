// Tables owned by the heatmaps capability: additive per-day aggregates of `$click` and `$scroll` events.
import type { ColumnType } from 'kysely';

export type DeviceClass = 'mobile' | 'tablet' | 'desktop';

/** A UTC calendar day, written and compared as 'YYYY-MM-DD' (read it back with `day::text`). */
type Day = ColumnType<string, string, string>;
/** A counter: defaults to 0, only ever increased. */
type Counter = ColumnType<number, number | undefined, number>;

interface PageDay {
  site_id: string;
  path: string;
  device: DeviceClass;
  day: Day;
}

/** Totals per page, device and day (ranks the pages without scanning the cells). */
export interface HeatmapPagesTable extends PageDay {
  clicks: Counter;
  rage: Counter;
  scrolls: Counter;
}

/** Clicks per grid cell; see grid.ts for the cell geometry. */
export interface HeatmapClickCellsTable extends PageDay {
  cell_x: number;
  cell_y: number;
  clicks: Counter;
  rage: Counter;
}

export interface HeatmapSelectorsTable extends PageDay {
  selector: string;
  clicks: Counter;
  rage: Counter;
}

/** Scroll reports per max-depth bucket (0, 5, …, 100 %). */
export interface HeatmapScrollDepthsTable extends PageDay {
  bucket: number;
  views: Counter;
}

/** The per-site key overlay tokens are signed with (overlay-token.ts). */
export interface HeatmapOverlayKeysTable {
  site_id: string;
  secret: string;
  created_at: ColumnType<Date, never, never>;
}

export interface HeatmapsTables {
  heatmap_pages: HeatmapPagesTable;
  heatmap_click_cells: HeatmapClickCellsTable;
  heatmap_selectors: HeatmapSelectorsTable;
  heatmap_scroll_depths: HeatmapScrollDepthsTable;
  heatmap_overlay_keys: HeatmapOverlayKeysTable;
}
