// What the heatmaps page shows, read from and written to the URL query, so a link or a reload shows the same view.
import { type DayRange, rangeFromQuery } from '../../ui/date-range.tsx';

/** The device classes the aggregates are keyed on (mobile < 768 px ≤ tablet < 1024 px ≤ desktop). */
export const DEVICES = ['desktop', 'tablet', 'mobile'] as const;
export type Device = (typeof DEVICES)[number];

/** The width each class is drawn at: a common screen of the class (the grid scales with the page's width). */
export const DEVICE_WIDTH: Record<Device, number> = { mobile: 375, tablet: 768, desktop: 1280 };

export const LAYERS = ['clicks', 'rage'] as const;
export type Layer = (typeof LAYERS)[number];

export interface HeatmapView {
  range: DayRange;
  /** The page's path; absent until chosen (the busiest page is shown then). */
  page?: string;
  device: Device;
  layer: Layer;
}

const oneOf = <T extends string>(options: readonly T[], value: string | null, fallback: T): T =>
  options.includes(value as T) ? (value as T) : fallback;

export function viewFromQuery(query: URLSearchParams, today = new Date()): HeatmapView {
  const page = query.get('page');
  return {
    range: rangeFromQuery(query, 30, today),
    ...(page?.startsWith('/') ? { page } : {}),
    device: oneOf(DEVICES, query.get('device'), 'desktop'),
    layer: oneOf(LAYERS, query.get('layer'), 'clicks'),
  };
}

/** The dashboard href of a view (defaults left out, so links stay short). */
export function viewHref(view: HeatmapView): string {
  const q = new URLSearchParams({ from: view.range.from, to: view.range.to });
  if (view.page) q.set('page', view.page);
  if (view.device !== 'desktop') q.set('device', view.device);
  if (view.layer !== 'clicks') q.set('layer', view.layer);
  return `/heatmaps?${q}`;
}
