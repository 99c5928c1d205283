// Builders of `$click`/`$scroll` event rows for the heatmap tests.
import type { HeatmapEvent } from './apply.ts';

type Overrides = Partial<Omit<HeatmapEvent, 'properties'>> & { properties?: Record<string, unknown> };

/** A desktop `$click` on /p at (x, y) of a 1000 px wide document (20 px grid cells), on 2026-03-01. */
export function click(siteId: string, x: number | null, y: number | null, o: Overrides = {}): HeatmapEvent {
  return {
    site_id: siteId,
    type: 'track',
    event: '$click',
    url_path: '/p',
    selector: '#buy',
    x,
    y,
    viewport_width: 1280,
    timestamp: new Date('2026-03-01T12:00:00Z'),
    ...o,
    properties: { x, y, vw: o.viewport_width ?? 1280, vh: 800, dw: 1000, dh: 4000, ...o.properties },
  };
}

/** A desktop `$scroll` on /p reporting `depth` %, on 2026-03-01. */
export function scroll(siteId: string, depth: number | undefined, o: Overrides = {}): HeatmapEvent {
  return {
    site_id: siteId,
    type: 'track',
    event: '$scroll',
    url_path: '/p',
    selector: null,
    x: null,
    y: null,
    viewport_width: 1280,
    timestamp: new Date('2026-03-01T12:00:00Z'),
    ...o,
    properties: { depth, y: 2000, dh: 4000, vw: o.viewport_width ?? 1280, ...o.properties },
  };
}
