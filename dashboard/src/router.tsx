// Client-side routes under /dashboard: the path after the base picks an area (its first segment), the rest
// and the query go to that area's page. History API, so links are real URLs that reload to the same page.
import { signal } from '@preact/signals';
import type { ComponentChildren } from 'preact';

export const BASE = '/dashboard';

export interface Route {
  /** The area: '' for the overview, else the first segment ('profiles'). */
  area: string;
  /** The segments after the area (`/profiles/p_1` → ['p_1']), decoded. */
  path: string[];
  query: URLSearchParams;
}

/** The route of an href relative to the base (`/profiles/p_1?tab=orders`). */
export function parseRoute(href: string): Route {
  const url = new URL(href, 'http://dashboard.invalid');
  const segments = url.pathname
    .split('/')
    .filter(Boolean)
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
  return { area: segments[0] ?? '', path: segments.slice(1), query: url.searchParams };
}

/** The location's href relative to the base, e.g. `/dashboard/inbox?x=1` → `/inbox?x=1`. */
export function currentHref(loc: Pick<Location, 'pathname' | 'search'> = location): string {
  const path = loc.pathname.startsWith(BASE) ? loc.pathname.slice(BASE.length) : loc.pathname;
  return `${path || '/'}${loc.search}`;
}

export const route = signal<Route>(parseRoute('/'));

/** Follows the browser's own back/forward buttons; returns how to stop. */
export function listenToHistory(): () => void {
  const sync = () => {
    route.value = parseRoute(currentHref());
  };
  sync();
  addEventListener('popstate', sync);
  return () => removeEventListener('popstate', sync);
}

/** Goes to `href` (relative to the base); `replace` for changes that should not add a history entry. */
export function navigate(href: string, { replace = false } = {}): void {
  const url = `${BASE}${href.startsWith('/') ? href : `/${href}`}`;
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  route.value = parseRoute(href);
}

interface LinkProps {
  href: string;
  children?: ComponentChildren;
  class?: string;
  title?: string;
  'aria-current'?: 'page' | 'true';
  'aria-label'?: string;
}

/** An anchor that navigates without reloading (new tabs and modified clicks behave as on any link). */
export function Link({ href, children, ...rest }: LinkProps) {
  return (
    <a
      {...rest}
      href={`${BASE}${href}`}
      onClick={(event) => {
        if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
        event.preventDefault();
        navigate(href);
      }}
    >
      {children}
    </a>
  );
}
