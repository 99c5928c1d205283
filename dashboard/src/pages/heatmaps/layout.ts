// Whether the page's own layout can be shown behind the heat: only a page on the dashboard's own origin can be
// framed and measured (its height read from the frame); any other origin gets a plain background and a reason.

export type Layout =
  /** Framed from this origin. */
  | { kind: 'frame'; origin: string }
  /** The site lives elsewhere: the live overlay is the way to see its layout. */
  | { kind: 'foreign'; origin: string }
  /** The site allows no origin at all. */
  | { kind: 'none' }
  /** The site's origins could not be read. */
  | { kind: 'unknown' };

export function layoutOf(origins: readonly string[] | undefined, here: string): Layout {
  if (!origins) return { kind: 'unknown' };
  if (origins.includes(here)) return { kind: 'frame', origin: here };
  const origin = origins.find((o) => o.startsWith('https:')) ?? origins[0];
  return origin ? { kind: 'foreign', origin } : { kind: 'none' };
}

/** The origin the live page opens on, if any. */
export const liveOrigin = (layout: Layout): string | undefined =>
  layout.kind === 'frame' || layout.kind === 'foreign' ? layout.origin : undefined;
