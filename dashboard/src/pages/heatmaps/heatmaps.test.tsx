// @vitest-environment happy-dom
// The heatmaps page against a fake server: the page list, the map's geometry and layout source, the element
// tables, the scroll curve, the view kept in the URL, empty and failed states, and the live-page link.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeServer, type Handler, json, mountPage, refusal, unmountAll } from '../../testing.tsx';
import HeatmapsPage from './index.tsx';
import { layoutOf } from './layout.ts';
import { scrollGist } from './scroll-curve.tsx';
import { MAX_STAGE_HEIGHT, stageOf } from './stage.ts';
import { viewFromQuery, viewHref } from './view.ts';

// happy-dom loads no framed page, and says so on the console each time: only that line is left out.
const consoleError = console.error.bind(console);
beforeEach(() => {
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    if (!String(args[0]).includes('Iframe page loading is disabled')) consoleError(...args);
  });
});

afterEach(() => {
  vi.restoreAllMocks();
  unmountAll();
  vi.unstubAllGlobals();
});

const RANGE = 'from=2026-03-01&to=2026-03-31';

describe('the view in the URL', () => {
  const today = new Date('2026-03-31T12:00:00Z');
  it('reads range, page, device and layer, falling back on bad values', () => {
    expect(viewFromQuery(new URLSearchParams(`${RANGE}&page=/demo/&device=mobile&layer=rage`), today)).toEqual({
      range: { from: '2026-03-01', to: '2026-03-31' },
      page: '/demo/',
      device: 'mobile',
      layer: 'rage',
    });
    expect(viewFromQuery(new URLSearchParams('page=demo&device=phone&layer=x'), today)).toEqual({
      range: { from: '2026-03-02', to: '2026-03-31' },
      device: 'desktop',
      layer: 'clicks',
    });
  });

  it('writes a view back, leaving defaults out', () => {
    const view = viewFromQuery(new URLSearchParams(`${RANGE}&page=/a b&device=tablet`), today);
    expect(viewHref(view)).toBe('/heatmaps?from=2026-03-01&to=2026-03-31&page=%2Fa+b&device=tablet');
    expect(viewFromQuery(new URLSearchParams(viewHref(view).split('?')[1]), today)).toEqual(view);
  });
});

describe('the map', () => {
  it('draws the page at the device’s width, as tall as the page or its lowest click, shrunk to fit', () => {
    // Desktop: 1280 px wide, 25.6 px cells; the lowest click in row 99 ends at 2560 px.
    expect(stageOf([{ y: 2 }, { y: 99 }], 50, 'desktop', undefined, 640)).toEqual({
      width: 1280,
      height: 2560,
      scale: 0.5,
    });
    // The framed page is taller than the clicks: its height wins; a phone fits unscaled.
    expect(stageOf([{ y: 2 }], 50, 'mobile', 3000.4, 900)).toEqual({ width: 375, height: 3001, scale: 1 });
    // No clicks and no measure: one screen of the class; an unmeasured box does not scale.
    expect(stageOf([], 50, 'tablet', undefined, 0)).toEqual({ width: 768, height: 1024, scale: 1 });
    expect(stageOf([{ y: 4999 }], 50, 'desktop', undefined, 1280).height).toBe(MAX_STAGE_HEIGHT);
  });

  it('frames the page only from the dashboard’s own origin', () => {
    const here = 'https://fz.example';
    expect(layoutOf([here, 'https://shop.example'], here)).toEqual({ kind: 'frame', origin: here });
    expect(layoutOf(['http://shop.example', 'https://shop.example'], here)).toEqual({
      kind: 'foreign',
      origin: 'https://shop.example',
    });
    expect(layoutOf([], here)).toEqual({ kind: 'none' });
    expect(layoutOf(undefined, here)).toEqual({ kind: 'unknown' });
  });

  it('sums up the scroll curve', () => {
    const buckets = [0, 25, 50, 75, 100].map((depth, i) => ({ depth, views: 1, reach: [1, 0.8, 0.5, 0.3, 0.1][i]! }));
    expect(scrollGist({ views: 10, buckets })).toEqual({ half: 50, bottom: 0.1 });
  });
});

const pages = [
  { path: '/demo/p/p-101', clicks: 12, rage: 3, scrolls: 40 },
  { path: '/demo/', clicks: 5, rage: 0, scrolls: 30 },
];
const grid = {
  columns: 50,
  clicks: 12,
  rage: 3,
  cells: [
    { x: 10, y: 20, clicks: 9, rage: 3 },
    { x: 30, y: 4, clicks: 3, rage: 0 },
  ],
};
const selectors = [
  { selector: '#add-to-cart', clicks: 9, rage: 3 },
  { selector: 'button[data-size-id="41"]', clicks: 3, rage: 0 },
];
const scroll = {
  views: 40,
  buckets: Array.from({ length: 21 }, (_, i) => ({ depth: i * 5, views: 2, reach: 1 - i * 0.045 })),
};

type Routes = Record<string, Handler>;

const server = (overrides: Routes = {}, origins = [location.origin]) =>
  fakeServer({
    'GET /api/heatmaps/pages': () => json({ pages }),
    'GET /api/heatmaps/clicks': () => json(grid),
    'GET /api/heatmaps/selectors': (req) =>
      json({ selectors: new URL(req.url).searchParams.get('order') === 'rage' ? selectors.slice(0, 1) : selectors }),
    'GET /api/heatmaps/scroll': () => json(scroll),
    'GET /api/site': () => json({ id: 's1', name: 'Tienda', origins }),
    ...overrides,
  });

const mount = (fetch: typeof globalThis.fetch, query = RANGE, lang: 'en' | 'es' = 'en') =>
  mountPage(HeatmapsPage, fetch, { href: `/heatmaps?${query}`, lang });

const rowsOf = (table: Element | null | undefined) =>
  [...(table?.querySelectorAll('tbody tr') ?? [])].map((tr) =>
    [...tr.querySelectorAll('td')].map((td) => td.textContent),
  );
const tableAfter = (root: Element, heading: string) =>
  [...root.querySelectorAll('h4')].find((h) => h.textContent === heading)?.parentElement?.querySelector('table');

describe('heatmaps page', () => {
  it('lists the pages and shows the busiest one: heat over its framed layout, elements, rage and scroll', async () => {
    const { fetch, requests } = server();
    const { root } = mount(fetch);
    await vi.waitFor(() => expect(rowsOf(tableAfter(root, 'Top clicked elements'))).toHaveLength(2));

    const links = [...root.querySelectorAll('.heat-pages a')];
    expect(links.map((a) => a.textContent)).toEqual(['/demo/p/p-10112 clicks · 40 views', '/demo/5 clicks · 30 views']);
    expect(links[0]?.getAttribute('aria-current')).toBe('true');
    expect(links[1]?.getAttribute('href')).toBe(`/dashboard/heatmaps?${RANGE}&page=%2Fdemo%2F`);

    const clicks = requests.find((r) => r.path === '/api/heatmaps/clicks');
    expect(Object.fromEntries(clicks?.query ?? [])).toEqual({
      path: '/demo/p/p-101',
      device: 'desktop',
      from: '2026-03-01',
      to: '2026-03-31',
    });

    expect(rowsOf(tableAfter(root, 'Top clicked elements'))).toEqual([
      ['#add-to-cart', '9', '75%', '3'],
      ['button[data-size-id="41"]', '3', '25%', '0'],
    ]);
    expect(rowsOf(tableAfter(root, 'Rage clicks'))).toEqual([['#add-to-cart', '3', '9']]);

    await vi.waitFor(() => expect(root.querySelector('canvas')).not.toBeNull());
    const canvas = root.querySelector('canvas');
    expect(canvas?.getAttribute('width')).toBe('1280');
    expect(canvas?.getAttribute('aria-label')).toContain('Clicks heatmap of /demo/p/p-101 on Desktop: 12 in all');
    const frame = root.querySelector('iframe');
    expect(frame?.getAttribute('src')).toBe(`${location.origin}/demo/p/p-101`);
    // No script of the shop runs in the dashboard, and the frame takes no focus or clicks.
    expect(frame?.getAttribute('sandbox')).toBe('allow-same-origin');
    expect(frame?.hasAttribute('inert')).toBe(true);
    expect(root.querySelector('.heat-legend')?.textContent).toContain('More (up to 9 in one spot)');

    expect(root.textContent).toContain('Half of the views reach 55 % of the page; 10% reach the end.');
    expect(root.querySelector('figure.chart svg')?.getAttribute('aria-label')).toBe(
      'Share of 40 page views that reach each depth',
    );
  });

  it('keeps the chosen device and layer in the URL', async () => {
    const { fetch } = server();
    const { root, navigations } = mount(fetch);
    await vi.waitFor(() => expect(root.querySelector('.heat-choice legend')?.textContent).toBe('Device'));
    const mobile = [...root.querySelectorAll('button')].find((b) => b.textContent === 'Mobile');
    mobile?.click();
    expect(navigations).toEqual([`/heatmaps?${RANGE}&page=%2Fdemo%2Fp%2Fp-101&device=mobile`]);
    const rage = [...root.querySelectorAll('button')].find((b) => b.textContent === 'Rage clicks');
    rage?.click();
    expect(navigations[1]).toContain('layer=rage');
  });

  it('asks for the page and device named in the URL, in Spanish', async () => {
    const { fetch, requests } = server();
    const { root } = mount(fetch, `${RANGE}&page=%2Fdemo%2F&device=tablet`, 'es');
    await vi.waitFor(() => expect(root.querySelector('canvas')).not.toBeNull());
    expect(Object.fromEntries(requests.find((r) => r.path === '/api/heatmaps/clicks')?.query ?? [])).toMatchObject({
      path: '/demo/',
      device: 'tablet',
    });
    expect(root.querySelector('.heat-pages a[aria-current]')?.textContent).toContain('/demo/');
    expect(root.querySelector('h2')?.textContent).toBe('Mapas de calor');
    expect(root.querySelector('canvas')?.getAttribute('width')).toBe('768');
    expect([...root.querySelectorAll('h4')].map((h) => h.textContent)).toEqual([
      'Mapa de clics',
      'Elementos más pulsados',
      'Clics de frustración',
      'Profundidad de desplazamiento',
    ]);
  });

  it('moves along the page list with the arrow keys', async () => {
    const { fetch } = server();
    const { root } = mount(fetch);
    await vi.waitFor(() => expect(root.querySelectorAll('.heat-pages a')).toHaveLength(2));
    const [first, second] = [...root.querySelectorAll<HTMLAnchorElement>('.heat-pages a')];
    first?.focus();
    first?.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }));
    expect(document.activeElement).toBe(second);
    second?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Home', bubbles: true }));
    expect(document.activeElement).toBe(first);
  });

  it('says when there is nothing in the period, and shows the server’s refusal with a retry', async () => {
    const empty = mount(server({ 'GET /api/heatmaps/pages': () => json({ pages: [] }) }).fetch).root;
    await vi.waitFor(() => expect(empty.textContent).toContain('No clicks or scrolls were recorded in this period.'));
    expect(empty.querySelector('canvas')).toBeNull();
    unmountAll();

    let fail = true;
    const failing = server({
      'GET /api/heatmaps/pages': () =>
        fail ? refusal(400, 'invalid_query', 'to: a range of at most 366 days') : json({ pages }),
    });
    const { root } = mount(failing.fetch);
    await vi.waitFor(() =>
      expect(root.querySelector('[role="alert"]')?.textContent).toContain('a range of at most 366'),
    );
    fail = false;
    root.querySelector<HTMLButtonElement>('[role="alert"] button')?.click();
    await vi.waitFor(() => expect(root.querySelectorAll('.heat-pages a')).toHaveLength(2));
  });

  it('draws on a plain background, saying why, for a shop on another origin', async () => {
    const { root } = mount(server({}, ['https://tienda.example']).fetch);
    await vi.waitFor(() => expect(root.querySelector('canvas')).not.toBeNull());
    expect(root.querySelector('iframe')).toBeNull();
    expect(root.querySelector('.heat-stage')?.classList.contains('heat-plain')).toBe(true);
    expect(root.textContent).toContain('The page is on https://tienda.example, another origin than this dashboard');
  });

  it('opens the live page with a fresh token in the fragment', async () => {
    const tab = { opener: {} as unknown, location: { href: '' }, close: vi.fn() };
    const open = vi.fn(() => tab);
    vi.stubGlobal('open', open);
    const { fetch, requests } = server(
      {
        'POST /api/heatmaps/overlay-token': () =>
          json({ token: 'hm1.payload.sig', expiresAt: '2026-03-31T12:15:00.000Z' }, 201),
      },
      ['https://tienda.example'],
    );
    const { root } = mount(fetch);
    const button = await vi.waitFor(() => {
      const b = [...root.querySelectorAll('button')].find((x) => x.textContent === 'Open on the live page');
      if (!b) throw new Error('no button yet');
      return b;
    });
    button.click();
    await vi.waitFor(() =>
      expect(tab.location.href).toBe('https://tienda.example/demo/p/p-101#fideliza-heatmap=hm1.payload.sig'),
    );
    expect(open).toHaveBeenCalledWith('', '_blank');
    expect(tab.opener).toBeNull();
    expect(requests.find((r) => r.method === 'POST')?.body).toEqual({
      path: '/demo/p/p-101',
      from: '2026-03-01',
      to: '2026-03-31',
    });
    await vi.waitFor(() => expect(root.querySelector('.heat-live')?.textContent).toContain('Its link works until'));
  });
});
