// Small SVG charts (no chart library: the dashboard's JavaScript budget is 150 KB). Each is a figure with a
// caption, an accessible name, and its values in a <title> per mark so they can be read on hover and by readers.
import { formatNumber } from '../i18n/format.ts';

export interface Point {
  label: string;
  value: number;
}

const WIDTH = 640;
const HEIGHT = 200;
const PAD = { top: 10, right: 10, bottom: 24, left: 48 };

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
          <text key={p.label} x={x(i)} y={HEIGHT - 6} text-anchor="middle">
            {p.label}
          </text>
        ) : null,
      )}
    </g>
  );
}

export function BarChart({
  caption,
  points,
  format = (v) => formatNumber(v),
}: {
  caption: string;
  points: readonly Point[];
  format?: Format;
}) {
  const max = niceMax(Math.max(0, ...points.map((p) => p.value)));
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotWidth / Math.max(1, points.length);
  const x = (i: number) => PAD.left + slot * (i + 0.5);
  return (
    <figure class="chart">
      <figcaption>{caption}</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={caption}>
        <Axis max={max} format={format} />
        {points.map((p, i) => {
          const h = (Math.max(0, p.value) / max) * plotHeight;
          return (
            <rect
              key={p.label}
              class="bar"
              x={x(i) - slot * 0.35}
              width={slot * 0.7}
              y={PAD.top + plotHeight - h}
              height={h}
            >
              <title>{`${p.label}: ${format(p.value)}`}</title>
            </rect>
          );
        })}
        <XLabels points={points} x={x} />
      </svg>
    </figure>
  );
}

export function LineChart({
  caption,
  points,
  format = (v) => formatNumber(v),
}: {
  caption: string;
  points: readonly Point[];
  format?: Format;
}) {
  const max = niceMax(Math.max(0, ...points.map((p) => p.value)));
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (points.length > 1 ? (plotWidth * i) / (points.length - 1) : plotWidth / 2);
  const y = (v: number) => PAD.top + plotHeight * (1 - Math.max(0, v) / max);
  const line = points.map((p, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(p.value).toFixed(1)}`).join('');
  return (
    <figure class="chart">
      <figcaption>{caption}</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={caption}>
        <Axis max={max} format={format} />
        <path class="line" d={line} />
        {points.map((p, i) => (
          <circle key={p.label} class="dot-mark" cx={x(i)} cy={y(p.value)} r={3}>
            <title>{`${p.label}: ${format(p.value)}`}</title>
          </circle>
        ))}
        <XLabels points={points} x={x} />
      </svg>
    </figure>
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
