// Click heat on a canvas: grid cells to pixels, soft blobs as dark as their count, coloured through one ramp.
// Shared by the dashboard's heatmap and the overlay on the live page, so both draw the same picture.

/** A cell of the heatmap API's click grid (server/src/heatmaps/grid.ts): a square 1/columns of the page wide. */
export interface HeatCell {
  x: number;
  y: number;
  clicks: number;
  rage: number;
}

/** The ramp, cold to hot: [position 0–1, red, green, blue]. */
export const RAMP: readonly (readonly [number, number, number, number])[] = [
  [0, 0, 0, 255],
  [0.25, 0, 255, 255],
  [0.5, 0, 255, 0],
  [0.75, 255, 255, 0],
  [1, 255, 0, 0],
];

/** The ramp as a CSS gradient (the legend). */
export const rampGradient = (direction = 'to right') =>
  `linear-gradient(${direction},${RAMP.map(([at, r, g, b]) => `rgb(${r},${g},${b}) ${at * 100}%`).join(',')})`;

/** The pixel square a cell covers on a page drawn `width` px wide. */
export function cellBox(cell: { x: number; y: number }, width: number, columns: number) {
  const size = width / columns;
  return { x: cell.x * size, y: cell.y * size, size };
}

/** How tall the grid is in pixels at that width: down to the bottom of its lowest cell. */
export const gridHeight = (cells: readonly { y: number }[], width: number, columns: number) =>
  cells.reduce((h, c) => Math.max(h, ((c.y + 1) * width) / columns), 0);

/** 256 RGB triples along the ramp: index = heat 0–255. */
export function palette(): Uint8ClampedArray {
  const out = new Uint8ClampedArray(256 * 3);
  for (let i = 0; i < 256; i++) {
    const t = i / 255;
    const to = RAMP.findIndex(([at]) => at >= t);
    const [a0, ...c0] = RAMP[Math.max(0, to - 1)]!;
    const [a1, ...c1] = RAMP[to]!;
    const f = a1 > a0 ? (t - a0) / (a1 - a0) : 1;
    for (let k = 0; k < 3; k++) out[i * 3 + k] = c0[k]! + (c1[k]! - c0[k]!) * f;
  }
  return out;
}

/**
 * Colours a heat mask in place: RGBA pixels whose alpha is their heat become the ramp's colour for it, as
 * opaque as they are hot (never fully, so the layout shows through), and clear where there is no heat.
 */
export function colorize(data: Uint8ClampedArray, colors: Uint8ClampedArray): void {
  for (let p = 0; p < data.length; p += 4) {
    const heat = data[p + 3]!;
    data[p] = colors[heat * 3]!;
    data[p + 1] = colors[heat * 3 + 1]!;
    data[p + 2] = colors[heat * 3 + 2]!;
    data[p + 3] = Math.min(215, heat * 4);
  }
}

/** The blob's opacity for a value: linear in the count, with a floor so a single click still shows. */
export const heatOf = (value: number, max: number) => (max > 0 ? 0.15 + (0.85 * Math.min(value, max)) / max : 0);

/**
 * Paints `value(cell)` of every cell onto the canvas, whose width is the page's width in pixels (cleared first),
 * the busiest cell at full strength. Without a 2D context (tests, old browsers) it draws nothing.
 */
export function paintHeat(
  canvas: HTMLCanvasElement,
  cells: readonly HeatCell[],
  columns: number,
  value: (cell: HeatCell) => number,
): void {
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx || !canvas.width || !canvas.height) return;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  const max = cells.reduce((m, c) => Math.max(m, value(c)), 0);
  if (!max) return;
  for (const cell of cells) {
    const v = value(cell);
    if (!v) continue;
    const { x, y, size } = cellBox(cell, canvas.width, columns);
    const cx = x + size / 2;
    const cy = y + size / 2;
    // Blobs reach past their cell so neighbours merge into areas; never smaller than a fingertip on screen.
    const r = Math.max(12, size * 1.5);
    const blob = ctx.createRadialGradient(cx, cy, 0, cx, cy, r);
    blob.addColorStop(0, `rgba(0,0,0,${heatOf(v, max)})`);
    blob.addColorStop(1, 'rgba(0,0,0,0)');
    ctx.fillStyle = blob;
    ctx.fillRect(cx - r, cy - r, 2 * r, 2 * r);
  }
  const image = ctx.getImageData(0, 0, canvas.width, canvas.height);
  colorize(image.data, palette());
  ctx.putImageData(image, 0, 0);
}
