// Scroll depth: the deepest point of the page the visitor has seen during the current page view.

export interface ScrollDepth {
  /**
   * The `$scroll` properties when the visitor got deeper than last reported, else undefined. `left`: the page
   * view already ended by a navigation (the document may show the next page), so nothing is measured now.
   */
  _end(left?: boolean): Record<string, number> | undefined;
  /** A new page view starts: from what is in view now. */
  _reset(): void;
}

export function captureScroll(): ScrollDepth {
  let deepest = 0;
  let height = 0;
  let reported = 0;
  const measure = () => {
    const bottom = scrollY + innerHeight;
    // The document's height is taken with the deepest point, so depth is relative to the page that was seen.
    if (bottom >= deepest) {
      deepest = bottom;
      height = document.documentElement.scrollHeight;
    }
  };
  // Scroll events cannot be cancelled, so this listener never delays scrolling.
  addEventListener('scroll', measure);
  return {
    _end(left) {
      left || measure();
      // (At most 100, but for the overscroll bounce of some touch browsers.)
      const depth = Math.round((deepest / height) * 100);
      if (depth > reported) {
        reported = depth;
        return { depth, y: deepest, dh: height, vw: innerWidth };
      }
    },
    _reset() {
      deepest = reported = 0;
      measure();
    },
  };
}
