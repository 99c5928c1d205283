// Heatmaps: click density, top selectors, rage clicks and scroll depth per page, device class and day,
// folded from `$click`/`$scroll` events by the projector and read for a date range.
export { applyHeatmapEvents, deleteSiteHeatmaps, type HeatmapEvent } from './apply.ts';
export { DEPTH_STEP, deviceClass, GRID_COLUMNS, MAX_ROW } from './grid.ts';
export { heatmapOverlayRoutes } from './overlay-routes.ts';
export { heatmapRoutes, MAX_RANGE_DAYS } from './routes.ts';
export type { DeviceClass, HeatmapsTables } from './tables.ts';
