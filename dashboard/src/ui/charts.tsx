// Small SVG charts (no chart library: the dashboard's JavaScript budget is 150 KB). Each is a figure with a
// caption, an accessible name, and its values in a <title> per mark so they can be read on hover and by readers.
import type { ComponentChildren } from 'preact';
import { formatNumber } from '../i18n/format.ts';

export interface Point {
  label: string;
  value: number;
}

const WIDTH = 640;
const HEIGHT = 200;
const PAD = { top: 10, right: 10, bottom: 24, left: 64 };

/** A round upper bound for the axis, so ticks read well (1, 2, 5 × 10^n). */
export function niceMax(max: number): number {
  if (max <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 5, 10]) if (step * power >= max) return step * power;
  return 10 * power;
}

type Format = (value: number) => string;

function Axis({ max, format }: { max: number; format: Format }) {
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  return (
    <g class="axis">
      {[0, 0.5, 1].map((f) => {
        const y = PAD.top + plotHeight * (1 - f);
        return (
          <g key={f}>
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y} y2={y} />
            <text x={PAD.left - 6} y={y + 4} text-anchor="end">
              {format(max * f)}
            </text>
          </g>
        );
      })}
    </g>
  );
}

/** Labels under the x axis: at most about eight, evenly spread. */
function XLabels({ points, x }: { points: readonly Point[]; x: (i: number) => number }) {
  const every = Math.max(1, Math.ceil(points.length / 8));
  return (
    <g class="axis">
      {points.map((p, i) =>
        i % every === 0 ? (
          // The outermost labels anchor inwards so they are not cut at the edges.
          <text
            key={p.label}
            x={x(i)}
            y={HEIGHT - 6}
            text-anchor={i === 0 ? 'start' : i === points.length - 1 ? 'end' : 'middle'}
          >
            {p.label}
          </text>
        ) : null,
      )}
    </g>
  );
}

interface ChartProps {
  caption: string;
  points: readonly Point[];
  format?: Format;
}

/** The plot area's scale, shared by the marks of every chart kind. */
interface Scale {
  max: number;
  plotWidth: number;
  plotHeight: number;
  /** The top of a mark of this value. */
  y: (value: number) => number;
}

/** The figure, its axis and x labels around the marks `draw` returns, at the x positions `x` gives. */
function Chart({
  caption,
  points,
  // One decimal at most: a 5-step axis has its middle tick at 2.5.
  format = (v) => formatNumber(v, 1),
  x,
  draw,
}: ChartProps & { x: (i: number, s: Scale) => number; draw: (s: Scale, format: Format) => ComponentChildren }) {
  const max = niceMax(Math.max(0, ...points.map((p) => p.value)));
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const scale: Scale = { max, plotWidth, plotHeight, y: (v) => PAD.top + plotHeight * (1 - Math.max(0, v) / max) };
  return (
    <figure class="chart">
      <figcaption>{caption}</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={caption}>
        <Axis max={max} format={format} />
        {draw(scale, format)}
        <XLabels points={points} x={(i) => x(i, scale)} />
      </svg>
    </figure>
  );
}

export function BarChart(props: ChartProps) {
  const { points } = props;
  const slot = (s: Scale) => s.plotWidth / Math.max(1, points.length);
  const x = (i: number, s: Scale) => PAD.left + slot(s) * (i + 0.5);
  return (
    <Chart
      {...props}
      x={x}
      draw={(s, format) =>
        points.map((p, i) => (
          <rect
            key={p.label}
            class="bar"
            x={x(i, s) - slot(s) * 0.35}
            width={slot(s) * 0.7}
            y={s.y(p.value)}
            height={PAD.top + s.plotHeight - s.y(p.value)}
          >
            <title>{`${p.label}: ${format(p.value)}`}</title>
          </rect>
        ))
      }
    />
  );
}

export function LineChart(props: ChartProps) {
  const { points } = props;
  const x = (i: number, s: Scale) =>
    PAD.left + (points.length > 1 ? (s.plotWidth * i) / (points.length - 1) : s.plotWidth / 2);
  return (
    <Chart
      {...props}
      x={x}
      draw={(s, format) => (
        <>
          <path
            class="line"
            d={points.map((p, i) => `${i ? 'L' : 'M'}${x(i, s).toFixed(1)},${s.y(p.value).toFixed(1)}`).join('')}
          />
          {points.map((p, i) => (
            <circle key={p.label} class="dot-mark" cx={x(i, s)} cy={s.y(p.value)} r={3}>
              <title>{`${p.label}: ${format(p.value)}`}</title>
            </circle>
          ))}
        </>
      )}
    />
  );
}

/**
 * A funnel: one bar per step, as wide as its share of the first step, with the count and the conversion
 * from the step before. `formatShare` prints a fraction (0.25 → "25 %").
 */
export function Funnel({
  caption,
  steps,
  formatShare,
}: {
  caption: string;
  steps: readonly Point[];
  formatShare: Format;
}) {
  const first = steps[0]?.value ?? 0;
  return (
    <figure class="funnel">
      <figcaption>{caption}</figcaption>
      <ol>
        {steps.map((s, i) => {
          const share = first > 0 ? s.value / first : 0;
          const prev = steps[i - 1]?.value;
          return (
            <li key={s.label}>
              <span class="funnel-label">{s.label}</span>
              <span class="funnel-bar" style={{ width: `${Math.max(share * 100, 0.5)}%` }} aria-hidden="true" />
              <span class="funnel-figures">
                {formatNumber(s.value)}
                {prev !== undefined && prev > 0 && <> · {formatShare(s.value / prev)}</>}
              </span>
            </li>
          );
        })}
      </ol>
    </figure>
  );
}
