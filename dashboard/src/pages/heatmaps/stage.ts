// The drawing's geometry: the page drawn at the device's width, as tall as the page (or its clicks), scaled to fit.
import { gridHeight } from '../../../../sdk/src/overlay/heat.ts';
import { DEVICE_WIDTH, type Device } from './view.ts';

/** One screen of each class: the least that is drawn when the page's own height is unknown. */
const SCREEN_HEIGHT: Record<Device, number> = { mobile: 667, tablet: 1024, desktop: 800 };
/** Browsers refuse canvases much taller than this; heat further down is not drawn. */
export const MAX_STAGE_HEIGHT = 16_000;

export interface Stage {
  /** The page's width and height in CSS pixels at the device's width (the canvas's own pixels). */
  width: number;
  height: number;
  /** How much it is shrunk to fit the space on screen (never enlarged). */
  scale: number;
}

/**
 * `pageHeight` is the framed page's measured height, if any; the stage reaches at least down to the lowest
 * clicked cell (taller pages for other visitors) and one screen. `boxWidth` is the room on screen (0: unknown).
 */
export function stageOf(
  cells: readonly { y: number }[],
  columns: number,
  device: Device,
  pageHeight: number | undefined,
  boxWidth: number,
): Stage {
  const width = DEVICE_WIDTH[device];
  const height = Math.ceil(Math.max(pageHeight ?? SCREEN_HEIGHT[device], gridHeight(cells, width, columns)));
  return {
    width,
    height: Math.min(height, MAX_STAGE_HEIGHT),
    scale: boxWidth > 0 ? Math.min(1, boxWidth / width) : 1,
  };
}
