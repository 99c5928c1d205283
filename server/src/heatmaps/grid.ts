// Where a click or a scroll report lands in the aggregates: device class, grid cell, depth bucket, UTC day.
import type { DeviceClass } from './tables.ts';

/**
 * Columns of the click grid: x in 1/50ths of the document width. Rows are bands of the same height (document
 * width / 50 px), so cells are square whatever the screen and the grid scales with the page: a cell is the same
 * part of the layout on a 1280 px and a 1440 px desktop. 50 columns are ~26 px on a desktop and ~7.5 px on a
 * phone: finer than a button, coarse enough that a day of clicks on a page fits in a few hundred rows.
 */
export const GRID_COLUMNS = 50;
/** The last row (a page 100 widths long); clicks further down count there rather than being lost. */
export const MAX_ROW = GRID_COLUMNS * 100 - 1;
/** Scroll depth buckets are this many percent wide: 0, 5, …, 95, and 100 for the bottom of the page. */
export const DEPTH_STEP = 5;

/** mobile < 768 px ≤ tablet < 1024 px ≤ desktop, by viewport width; null when unknown. */
export function deviceClass(viewportWidth: number | null | undefined): DeviceClass | null {
  if (typeof viewportWidth !== 'number' || !Number.isFinite(viewportWidth) || viewportWidth <= 0) return null;
  if (viewportWidth < 768) return 'mobile';
  if (viewportWidth < 1024) return 'tablet';
  return 'desktop';
}

const positive = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined;

/**
 * The width clicks are normalised to: the document's (`dw`, what the page coordinates span), else the
 * viewport's (the same but for horizontal overflow), for clients that do not send `dw`.
 */
export function pageWidth(properties: Record<string, unknown> | null, viewportWidth: number | null): number | null {
  return positive(properties?.dw) ?? positive(properties?.vw) ?? positive(viewportWidth) ?? null;
}

/** The grid cell of a click at page coordinates (x, y); null for coordinates no browser reports. */
export function clickCell(x: number | null, y: number | null, width: number): { x: number; y: number } | null {
  if (x === null || y === null || x < 0 || y < 0 || !(width > 0)) return null;
  return {
    x: Math.min(Math.floor((x * GRID_COLUMNS) / width), GRID_COLUMNS - 1),
    y: Math.min(Math.floor((y * GRID_COLUMNS) / width), MAX_ROW),
  };
}

/** The bucket of a max scroll depth in percent (over 100 after a touch overscroll bounce counts as 100). */
export function depthBucket(depth: unknown): number | null {
  if (typeof depth !== 'number' || !Number.isFinite(depth) || depth < 0) return null;
  return Math.min(Math.floor(depth / DEPTH_STEP) * DEPTH_STEP, 100);
}

/** The UTC calendar day of an instant, as 'YYYY-MM-DD'. */
export function utcDay(t: Date): string {
  return t.toISOString().slice(0, 10);
}
