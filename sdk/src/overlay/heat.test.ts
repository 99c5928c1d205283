// The heat drawing's arithmetic: where a grid cell lands in pixels, how tall a grid is, the ramp and colouring.
import { describe, expect, it } from 'vitest';
import { cellBox, colorize, gridHeight, heatOf, palette, RAMP, rampGradient } from './heat.ts';

describe('heat geometry', () => {
  it('maps a cell to its square: 1/columns of the page width, rows as tall as columns are wide', () => {
    // A desktop drawn 1280 px wide, 50 columns: 25.6 px cells.
    expect(cellBox({ x: 0, y: 0 }, 1280, 50)).toEqual({ x: 0, y: 0, size: 25.6 });
    expect(cellBox({ x: 25, y: 2 }, 1280, 50)).toEqual({ x: 640, y: 51.2, size: 25.6 });
    // The same cell on a phone drawn 375 px wide is the same part of the layout, smaller.
    expect(cellBox({ x: 49, y: 10 }, 375, 50)).toEqual({ x: 367.5, y: 75, size: 7.5 });
  });

  it('measures the grid down to the bottom of its lowest cell', () => {
    expect(gridHeight([], 1000, 50)).toBe(0);
    expect(gridHeight([{ y: 0 }, { y: 99 }, { y: 3 }], 1000, 50)).toBe(2000);
  });
});

describe('heat colours', () => {
  it('runs the ramp from blue through cyan, green and yellow to red', () => {
    const colors = palette();
    const at = (i: number) => [...colors.slice(i * 3, i * 3 + 3)];
    expect(at(0)).toEqual([0, 0, 255]);
    expect(at(255)).toEqual([255, 0, 0]);
    // Just past the middle (green), on the way to yellow.
    expect(at(128)).toEqual([2, 255, 0]);
    expect(rampGradient()).toBe(
      `linear-gradient(to right,${RAMP.map(([at, r, g, b]) => `rgb(${r},${g},${b}) ${at * 100}%`).join(',')})`,
    );
  });

  it('colours each pixel by its heat and leaves cold pixels clear', () => {
    const colors = palette();
    const data = new Uint8ClampedArray([0, 0, 0, 0, 0, 0, 0, 255, 0, 0, 0, 10]);
    colorize(data, colors);
    expect([...data.slice(0, 4)]).toEqual([0, 0, 255, 0]);
    expect([...data.slice(4, 8)]).toEqual([255, 0, 0, 215]);
    expect([...data.slice(8, 12)]).toEqual([...colors.slice(30, 33), 40]);
  });

  it('gives the busiest spot full strength and a single click a visible floor', () => {
    expect(heatOf(10, 10)).toBe(1);
    expect(heatOf(1, 1000)).toBeCloseTo(0.15085);
    expect(heatOf(0, 0)).toBe(0);
  });
});
