// The site's brand colour, and whichever of white or near-black text reads better on it (WCAG contrast).
const DEFAULT_BRAND = '#1f6feb';

/** A safe colour: anything but #rrggbb (the server's own format) falls back to the default. */
export function brandColor(color: string | undefined): string {
  return color && /^#[0-9a-f]{6}$/i.test(color) ? color : DEFAULT_BRAND;
}

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** White unless dark text has more contrast (the contrast ratio with white is 1.05 / (L + 0.05), with black (L + 0.05) / 0.05). */
export function textOn(color: string): string {
  const l = luminance(color);
  return 1.05 / (l + 0.05) >= (l + 0.05) / 0.05 ? '#fff' : '#111';
}
