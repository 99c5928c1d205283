import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDb, testDialects } from '../db/testing.ts';
import { createApp } from '../http/app.ts';
import { createSite } from '../sites/index.ts';
import { applyHeatmapEvents } from './index.ts';
import { click, scroll } from './test-events.ts';

const config = { TRUST_PROXY: false, RATE_LIMIT_RPS: 100, RATE_LIMIT_BURST: 100 };
const at = (day: string) => ({ timestamp: new Date(`${day}T10:00:00Z`) });

describe.each(testDialects)('heatmap API on %s', (dialect) => {
  let db: TestDb;
  let app: ReturnType<typeof createApp>;
  let site: Awaited<ReturnType<typeof createSite>>;
  let other: Awaited<ReturnType<typeof createSite>>;

  const get = async (url: string, key = site.secretKey) => {
    const res = await app.app.request(url, { headers: { authorization: `Bearer ${key}` } });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    site = await createSite(db.kysely, { name: 'Tienda', origins: [] });
    other = await createSite(db.kysely, { name: 'Otra', origins: [] });
    app = createApp({ db, config });
    const s = site.siteId;
    await applyHeatmapEvents(db.kysely, [
      // /p, desktop: three days; 20 px cells (dw 1000).
      click(s, 10, 10, { ...at('2026-03-01'), selector: '#buy' }),
      click(s, 10, 10, { ...at('2026-03-02'), selector: '#buy' }),
      click(s, 11, 12, { ...at('2026-03-02'), selector: '#buy', properties: { rage: true } }),
      click(s, 500, 40, { ...at('2026-03-02'), selector: '#menu' }),
      click(s, 500, 40, { ...at('2026-03-03'), selector: '#menu', properties: { rage: true } }),
      // /p, mobile (dw 1000 as well, for easy numbers).
      click(s, 990, 0, { ...at('2026-03-02'), viewport_width: 390, selector: '#burger' }),
      // /q: more clicks than /p on 03-02 only in the mobile class.
      ...Array.from({ length: 4 }, () => click(s, 1, 1, { ...at('2026-03-02'), url_path: '/q', viewport_width: 390 })),
      scroll(s, 10, at('2026-03-02')),
      scroll(s, 50, at('2026-03-02')),
      scroll(s, 52, at('2026-03-02')),
      scroll(s, 100, at('2026-03-02')),
      scroll(s, 100, at('2026-03-05')),
    ]);
    // Another site's rows on the same page must never show.
    await applyHeatmapEvents(db.kysely, [click(other.siteId, 10, 10, at('2026-03-02')), scroll(other.siteId, 5)]);
  });
  afterAll(() => db.close());

  const range = 'from=2026-03-02&to=2026-03-02';

  it('answers 401 without a secret key, with an unknown one and with a write key', async () => {
    const none = await app.app.request(`/api/heatmaps/pages?${range}`);
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ error: { code: 'missing_secret_key' } });
    expect((await get(`/api/heatmaps/pages?${range}`, 'sk_nope')).status).toBe(401);
    expect((await get(`/api/heatmaps/pages?${range}`, site.writeKey)).status).toBe(401);
  });

  it('returns the click grid of a page and device for the range', async () => {
    const { status, body } = await get(`/api/heatmaps/clicks?path=/p&device=desktop&${range}`);
    expect(status).toBe(200);
    expect(body).toEqual({
      columns: 50,
      clicks: 3,
      rage: 1,
      cells: [
        { x: 0, y: 0, clicks: 2, rage: 1 },
        { x: 25, y: 2, clicks: 1, rage: 0 },
      ],
    });
    const all = await get('/api/heatmaps/clicks?path=/p&device=desktop&from=2026-03-01&to=2026-03-03');
    expect(all.body).toMatchObject({
      clicks: 5,
      rage: 2,
      cells: [
        { x: 0, y: 0, clicks: 3, rage: 1 },
        { x: 25, y: 2, clicks: 2, rage: 1 },
      ],
    });
    const mobile = await get(`/api/heatmaps/clicks?path=/p&device=mobile&${range}`);
    expect(mobile.body).toMatchObject({ clicks: 1, cells: [{ x: 49, y: 0, clicks: 1, rage: 0 }] });
    const empty = await get('/api/heatmaps/clicks?path=/p&device=tablet&from=2026-01-01&to=2026-12-31');
    expect(empty.body).toEqual({ columns: 50, clicks: 0, rage: 0, cells: [] });
  });

  it('ranks the selectors of a page by clicks or rage clicks', async () => {
    const all = await get('/api/heatmaps/selectors?path=/p&from=2026-03-01&to=2026-03-03');
    expect(all.body).toEqual({
      selectors: [
        { selector: '#buy', clicks: 3, rage: 1 },
        { selector: '#menu', clicks: 2, rage: 1 },
        { selector: '#burger', clicks: 1, rage: 0 },
      ],
    });
    const desktop = await get(`/api/heatmaps/selectors?path=/p&device=desktop&${range}&limit=1`);
    expect(desktop.body).toEqual({ selectors: [{ selector: '#buy', clicks: 2, rage: 1 }] });
    const byRage = await get('/api/heatmaps/selectors?path=/p&from=2026-03-03&to=2026-03-03&order=rage');
    expect(byRage.body).toEqual({ selectors: [{ selector: '#menu', clicks: 1, rage: 1 }] });
  });

  it('returns the scroll distribution and the share of views reaching each depth', async () => {
    const { body } = await get(`/api/heatmaps/scroll?path=/p&device=desktop&${range}`);
    const buckets = body.buckets as { depth: number; views: number; reach: number }[];
    expect(body.views).toBe(4);
    expect(buckets).toHaveLength(21);
    expect(buckets.filter((b) => b.views > 0)).toEqual([
      { depth: 10, views: 1, reach: 1 },
      { depth: 50, views: 2, reach: 0.75 },
      { depth: 100, views: 1, reach: 0.25 },
    ]);
    expect(buckets.find((b) => b.depth === 55)).toEqual({ depth: 55, views: 0, reach: 0.25 });
    expect(buckets[0]).toEqual({ depth: 0, views: 0, reach: 1 });
    const later = await get('/api/heatmaps/scroll?path=/p&from=2026-03-03&to=2026-03-31');
    expect(later.body.views).toBe(1);
    const none = await get('/api/heatmaps/scroll?path=/nowhere&from=2026-03-03&to=2026-03-31');
    expect(none.body.views).toBe(0);
    expect((none.body.buckets as { reach: number }[]).every((b) => b.reach === 0)).toBe(true);
  });

  it('lists the pages with the most clicks', async () => {
    expect((await get(`/api/heatmaps/pages?${range}`)).body).toEqual({
      // Tied on clicks: the page with more scroll reports first.
      pages: [
        { path: '/p', clicks: 4, rage: 1, scrolls: 4 },
        { path: '/q', clicks: 4, rage: 0, scrolls: 0 },
      ],
    });
    expect((await get(`/api/heatmaps/pages?${range}&device=desktop`)).body).toEqual({
      pages: [{ path: '/p', clicks: 3, rage: 1, scrolls: 4 }],
    });
    expect((await get('/api/heatmaps/pages?from=2026-03-04&to=2026-03-05')).body).toEqual({
      pages: [{ path: '/p', clicks: 0, rage: 0, scrolls: 1 }],
    });
    // The other site sees only its own page.
    expect((await get(`/api/heatmaps/pages?${range}`, other.secretKey)).body).toEqual({
      pages: [{ path: '/p', clicks: 1, rage: 0, scrolls: 0 }],
    });
  });

  it.each([
    ['clicks?device=desktop&from=2026-03-01&to=2026-03-02', 'path'],
    ['clicks?path=p&device=desktop&from=2026-03-01&to=2026-03-02', 'path'],
    ['clicks?path=/p&from=2026-03-01&to=2026-03-02', 'device'],
    ['clicks?path=/p&device=phone&from=2026-03-01&to=2026-03-02', 'device'],
    ['scroll?path=/p&from=2026-3-1&to=2026-03-02', 'from'],
    ['scroll?path=/p&from=2026-02-30&to=2026-03-02', 'from'],
    ['scroll?path=/p&from=2026-03-01', 'to'],
    ['pages?from=2026-03-02&to=2026-03-01', 'to'],
    ['pages?from=2025-01-01&to=2026-01-02', 'to'],
    ['selectors?path=/p&from=2026-03-01&to=2026-03-02&limit=0', 'limit'],
    ['selectors?path=/p&from=2026-03-01&to=2026-03-02&limit=abc', 'limit'],
    ['selectors?path=/p&from=2026-03-01&to=2026-03-02&order=views', 'order'],
  ])('answers 400 naming the field for /api/heatmaps/%s', async (url, field) => {
    const { status, body } = await get(`/api/heatmaps/${url}`);
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: { code: 'invalid_query', field } });
  });

  it('accepts a range of exactly 366 days', async () => {
    expect((await get('/api/heatmaps/pages?from=2024-01-01&to=2024-12-31')).status).toBe(200);
    expect((await get('/api/heatmaps/pages?from=2025-01-01&to=2026-01-01')).status).toBe(200);
  });
});
