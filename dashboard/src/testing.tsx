// Test helpers for pages: a fake server that records requests, and a page mounted in the shell's context
// (with navigation recorded and followed), plus ways to type and pick in its forms.
import { signal } from '@preact/signals';
import type { ComponentType } from 'preact';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { vi } from 'vitest';
import { createApi } from './api.ts';
import {
  type Dashboard,
  DashboardContext,
  dashboardOf,
  type PageProps,
  type Role,
  type SiteMembership,
} from './context.ts';
import { locale } from './i18n/index.ts';
import { parseRoute } from './router.tsx';

export const json = (body: unknown, status = 200) => Response.json(body, { status });

export const refusal = (status: number, code: string, message: string, field?: string) =>
  json({ error: { code, message, ...(field ? { field } : {}) } }, status);

export type Handler = (req: Request, params: Record<string, string>) => Response | Promise<Response>;

export interface Recorded {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
}

/** `/api/segments/:id/count` → a matcher giving `{ id }`; path segments are compared decoded. */
function matcher(pattern: string): (path: string) => Record<string, string> | null {
  const parts = pattern.split('/');
  return (path) => {
    const actual = path.split('/').map(decodeURIComponent);
    if (actual.length !== parts.length) return null;
    const params: Record<string, string> = {};
    for (const [i, p] of parts.entries()) {
      const a = actual[i] as string;
      if (p.startsWith(':')) params[p.slice(1)] = a;
      else if (p !== a) return null;
    }
    return params;
  };
}

/** A fake server: routes keyed `METHOD /path/:param`; every request is recorded with its parsed JSON body. */
export function fakeServer(routes: Record<string, Handler>) {
  const requests: Recorded[] = [];
  const table = Object.entries(routes).map(([key, handler]) => {
    const [method, pattern = ''] = key.split(' ');
    return { method, match: matcher(pattern), handler };
  });
  const fetch = vi.fn<typeof globalThis.fetch>(async (input, init) => {
    const req = new Request(input, init);
    const url = new URL(req.url);
    const text = req.method === 'GET' || req.method === 'DELETE' ? '' : await req.clone().text();
    requests.push({
      method: req.method,
      path: url.pathname,
      query: url.searchParams,
      body: text ? JSON.parse(text) : undefined,
    });
    for (const route of table) {
      const params = route.method === req.method ? route.match(url.pathname) : null;
      if (params) return route.handler(req, params);
    }
    return refusal(404, 'not_found', `no route for ${req.method} ${url.pathname}`);
  });
  return { fetch, requests };
}

const mounted: HTMLElement[] = [];

export interface MountedPage {
  root: HTMLElement;
  /** Every href the page navigated to, in order (the page is re-rendered at each). */
  navigations: string[];
}

/**
 * Renders an area's page at `href` (`/segments/new?from=x`) for a staff user with `role` on site s1. The page's
 * navigate() is recorded and followed: the page gets the new path and query, as in the shell. `otherSites` are
 * further sites the user works on (after s1).
 */
export function mountPage(
  Page: ComponentType<PageProps>,
  fetch: typeof globalThis.fetch,
  options: { href?: string; role?: Role; lang?: 'en' | 'es'; otherSites?: SiteMembership[] } = {},
): MountedPage {
  locale.value = options.lang ?? 'en';
  const api = createApi({ baseUrl: 'http://fideliza.test', fetch, siteId: () => 's1' });
  const site = { siteId: 's1', siteName: 'Tienda Uno', role: options.role ?? 'marketer' };
  const me = signal({ user: { id: 'u1', email: 'ana@tienda.example' }, sites: [site, ...(options.otherSites ?? [])] });
  const route = signal(parseRoute(options.href ?? '/'));
  const navigations: string[] = [];
  const dashboard: Dashboard = {
    ...dashboardOf(api, me, signal(site)),
    navigate: (href) => {
      navigations.push(href);
      route.value = parseRoute(href);
    },
  };
  function Host() {
    const { path, query } = route.value;
    return <Page path={path} query={query} />;
  }
  const root = document.createElement('div');
  document.body.append(root);
  mounted.push(root);
  render(
    <DashboardContext.Provider value={dashboard}>
      <Host />
    </DashboardContext.Provider>,
    root,
  );
  return { root, navigations };
}

/** Unmounts every page mountPage rendered (for afterEach). */
export function unmountAll(): void {
  for (const root of mounted.splice(0)) {
    render(null, root);
    root.remove();
  }
}

/** Sets a text control's value the way typing does (an input event); the page re-renders before the next action. */
export function type(control: Element | null, value: string): void {
  if (!(control instanceof HTMLInputElement || control instanceof HTMLTextAreaElement)) throw new Error('no input');
  act(() => {
    control.value = value;
    control.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

/** Picks an option of a select (a change event); the page re-renders before the next action. */
export function choose(control: Element | null, value: string): void {
  if (!(control instanceof HTMLSelectElement)) throw new Error('no select');
  act(() => {
    control.value = value;
    control.dispatchEvent(new Event('change', { bubbles: true }));
  });
}

/** The control whose label reads `label`, inside `scope`. */
export function byLabel<T extends HTMLElement = HTMLElement>(scope: ParentNode, label: string): T | null {
  const found = [...scope.querySelectorAll('label')].find((l) => l.textContent?.trim() === label);
  const id = found?.getAttribute('for');
  return id ? (scope.querySelector(`#${CSS.escape(id)}`) as T | null) : null;
}

/** The button whose text (or accessible name) is `name`, inside `scope`. */
export function button(scope: ParentNode, name: string): HTMLButtonElement | null {
  return (
    [...scope.querySelectorAll('button')].find(
      (b) => b.textContent?.trim() === name || b.getAttribute('aria-label') === name,
    ) ?? null
  );
}
