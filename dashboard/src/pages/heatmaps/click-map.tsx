// The click heatmap of one page and device: heat on a canvas over the page's own layout (framed, inert, scripts
// off, so the dashboard never records a visit) or over a plain background with the reason, and its colour legend.
import type { RefObject } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { type HeatCell, paintHeat, rampGradient } from '../../../../sdk/src/overlay/heat.ts';
import { formatNumber } from '../../i18n/format.ts';
import { useMessages } from '../../i18n/index.ts';
import type { Layout } from './layout.ts';
import { messages } from './messages.ts';
import { stageOf } from './stage.ts';
import type { Device, Layer } from './view.ts';

export interface Grid {
  columns: number;
  clicks: number;
  rage: number;
  cells: HeatCell[];
}

const px = (n: number) => `${n}px`;

const layerValue: Record<Layer, (cell: HeatCell) => number> = { clicks: (c) => c.clicks, rage: (c) => c.rage };

/** The element's content width, kept up to date (0 until measured). */
function useWidth(ref: RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setWidth(el.clientWidth);
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return width;
}

/** The framed page's height, read once it has loaded (same origin only; null when it cannot be read). */
function frameHeight(frame: HTMLIFrameElement): number | undefined {
  try {
    return frame.contentDocument?.documentElement.scrollHeight || undefined;
  } catch {
    return undefined;
  }
}

function Legend({ max }: { max: number }) {
  const t = useMessages(messages);
  return (
    <div class="heat-legend">
      <span>{t.legend}:</span>
      <span>{t.legendLow}</span>
      <span class="heat-ramp" style={{ background: rampGradient() }} aria-hidden="true" />
      <span>{t.legendHigh(formatNumber(max))}</span>
    </div>
  );
}

export function ClickMap({
  grid,
  path,
  device,
  layer,
  layout,
}: {
  grid: Grid;
  path: string;
  device: Device;
  layer: Layer;
  layout: Layout;
}) {
  const t = useMessages(messages);
  const box = useRef<HTMLElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const boxWidth = useWidth(box);
  const src = layout.kind === 'frame' ? `${layout.origin}${path}` : undefined;
  // The frame's key: a new page or width is a new frame, measured again once loaded.
  const frame = src && `${device} ${src}`;
  const [measured, setMeasured] = useState<{ frame: string; height: number }>();
  const stage = stageOf(
    grid.cells,
    grid.columns,
    device,
    frame && measured?.frame === frame ? measured.height : undefined,
    boxWidth,
  );
  const value = layerValue[layer];
  const max = grid.cells.reduce((m, c) => Math.max(m, value(c)), 0);
  const total = layer === 'clicks' ? grid.clicks : grid.rage;

  useEffect(() => {
    if (canvas.current) paintHeat(canvas.current, grid.cells, grid.columns, value);
  }, [grid, layer, stage.width, stage.height]);

  const deviceName = t.devices[device];
  return (
    <figure class="heat-map card">
      <figcaption>
        <h4>{t.mapTitle}</h4>
        <p class="hint">
          {t.deviceWidth(deviceName, stage.width)} · {t.mapSummary(grid.clicks, grid.rage)}
        </p>
      </figcaption>
      {total === 0 && <p class="notice">{layer === 'clicks' ? t.noClicks(deviceName) : t.noRage}</p>}
      {layout.kind === 'frame' && <p class="hint">{t.layoutFrame}</p>}
      {layout.kind === 'foreign' && <p class="notice">{t.layoutForeign(layout.origin)}</p>}
      {layout.kind === 'none' && <p class="notice">{t.layoutNone}</p>}
      {layout.kind === 'unknown' && <p class="notice">{t.layoutUnknown}</p>}
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard to scroll it. */}
      <section class="heat-scroll" ref={box} tabIndex={0} aria-label={t.mapRegion}>
        {/* Lengths with their unit: Preact 11 no longer adds `px` to numbers. */}
        <div
          class="heat-viewport"
          style={{ width: px(stage.width * stage.scale), height: px(stage.height * stage.scale) }}
        >
          <div
            class={`heat-stage${src ? '' : ' heat-plain'}`}
            style={{ width: px(stage.width), height: px(stage.height), transform: `scale(${stage.scale})` }}
          >
            {src && (
              <iframe
                key={frame}
                src={src}
                title={t.frameTitle(path)}
                // Scripts off: the shop's tracking never runs here. Same origin: the page's height can be read.
                sandbox="allow-same-origin"
                inert
                tabIndex={-1}
                width={stage.width}
                height={stage.height}
                onLoad={(e) => {
                  const height = frameHeight(e.currentTarget);
                  if (height && frame) setMeasured({ frame, height });
                }}
              />
            )}
            <canvas
              ref={canvas}
              width={stage.width}
              height={stage.height}
              role="img"
              aria-label={t.mapLabel(path, deviceName, t.layers[layer], formatNumber(total))}
            />
          </div>
        </div>
      </section>
      <Legend max={max} />
    </figure>
  );
}
