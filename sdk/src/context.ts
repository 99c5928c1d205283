// What every message says about where it happened: the page, campaign (UTM) parameters, locale, screen and library.
import { VERSION } from './flags.ts';

/** Segment's `context.page`. */
export interface PageInfo {
  path: string;
  referrer: string;
  search: string;
  title: string;
  url: string;
}

/** The page as it is now; `referrer` is the previous page view's URL after a single-page-app navigation. */
export const pageInfo = (referrer: string): PageInfo => ({
  path: location.pathname,
  referrer,
  search: location.search,
  title: document.title,
  url: location.href,
});

/**
 * Segment's `context`, minus `userAgent` and `screen`: the server reads the device from the request's User-Agent,
 * and `$click`/`$scroll` carry the viewport, which is what heatmaps need; batches stay small.
 */
export function context(page: PageInfo): Record<string, unknown> {
  let campaign: Record<string, string> | undefined;
  new URLSearchParams(location.search).forEach((value, key) => {
    if (key.startsWith('utm_')) {
      campaign ??= {};
      campaign[key === 'utm_campaign' ? 'name' : key.slice(4)] = value;
    }
  });
  return { page, locale: navigator.language, library: { name: 'fideliza', version: VERSION }, campaign };
}
