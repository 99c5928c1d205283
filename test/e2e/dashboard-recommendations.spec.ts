// Recommendations in Chromium against the real server on the demo data: a marketer sees the association rules
// with product names and the outcomes of the recommendations the demo shop showed, both equal to what the API
// answers (asked here with the site's secret key), sorts the rules on the server, and reads it all in Spanish.
// Axe-clean and screenshotted.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Outcomes } from '../../server/src/recommend/index.ts';
import { checkPage, type DashboardEnv, startDashboard } from '../support/dashboard.ts';

let env: DashboardEnv;

/** Until every event is projected and the recommendation tables were refreshed after the last change. */
async function settled(): Promise<void> {
  for (;;) {
    const ready = (await (await fetch(`${env.base}/readyz`)).json()) as { projectorLag?: number };
    const state = await env.db.kysely
      .selectFrom('recommend_state')
      .select(['changes', 'refreshed_changes', 'baskets'])
      .where('site_id', '=', env.demo.siteId)
      .executeTakeFirst();
    if (ready.projectorLag === 0 && state && state.baskets > 0 && state.changes === state.refreshed_changes) return;
    await new Promise((r) => setTimeout(r, 500));
  }
}

beforeAll(async () => {
  env = await startDashboard({ customers: 120, days: 30 });
  await settled();
}, 180_000);

afterAll(async () => {
  await env?.stop();
});

interface Rules {
  total: number;
  rules: { lhs: string[]; rhs: string; count: number }[];
  names: Record<string, string>;
}

async function apiGet<T>(path: string): Promise<T> {
  const res = await fetch(`${env.base}${path}`, { headers: { authorization: `Bearer ${env.demo.secretKey}` } });
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}

const plain = (s: string | null) => (s ?? '').replace(/[\u00a0\u202f]/g, ' ');

/** The rows of the table with this caption, cell texts with plain spaces. */
const rows = (page: Page, caption: string) =>
  page.evaluate((caption) => {
    const table = [...document.querySelectorAll('table')].find((t) => t.caption?.textContent === caption);
    return [...(table?.querySelectorAll('tbody tr') ?? [])].map((tr) =>
      [...tr.querySelectorAll('td')].map((td) => (td.textContent ?? '').replace(/[\u00a0\u202f]/g, ' ')),
    );
  }, caption);

async function kpis(page: Page): Promise<Record<string, string>> {
  const pairs = await page.$$eval('.rec-section .kpi', (els) =>
    els.map((k) => [k.querySelector('.label')?.textContent ?? '', k.querySelector('.value')?.textContent ?? '']),
  );
  return Object.fromEntries(pairs.map(([label, value]) => [label, plain(value ?? '')]));
}

describe('dashboard recommendations', () => {
  it('shows the rules and what followed the recommendations the demo shop showed', async () => {
    const page = await env.login('marketer');
    await page.click('nav[aria-label] a[href="/dashboard/recommendations"]');
    await page.waitForSelector('table tbody tr');
    await page.waitForSelector('.rec-section .kpi');
    expect(await page.textContent('main h2')).toBe('Recommendations');

    // The rules the API lists with the page's defaults, with catalogue names in place of ids.
    const api = await apiGet<Rules>(
      '/api/recommendations/rules?minSupport=0.001&minConfidence=0.1&minLift=0&maxLen=2&sort=lift&offset=0&limit=25',
    );
    expect(api.rules.length).toBeGreaterThan(0);
    const name = (id: string) => api.names[id] ?? id;
    const shownRules = await rows(page, 'Association rules');
    expect(shownRules.map((r) => [r[0], r[1], r[2]])).toEqual(
      api.rules.map((r) => [r.lhs.map(name).join(' + '), name(r.rhs), String(r.count)]),
    );
    expect(Object.keys(api.names).length).toBeGreaterThan(0);
    expect(shownRules[0]?.[0]).not.toMatch(/^p-\d+$/);

    // Outcomes for the page's range (the last 30 days, UTC), as the API counts them.
    const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const from = isoDay(Date.now() - 29 * 86_400_000);
    const to = isoDay(Date.now());
    const o = await apiGet<Outcomes>(`/api/recommendations/outcomes?from=${from}&to=${to}&windowDays=7`);
    expect(o.impressions).toBeGreaterThan(0);
    expect(o.clicks).toBeGreaterThan(0);
    expect(o.orders).toBeGreaterThan(0);
    const n = (v: number) => new Intl.NumberFormat('en').format(v);
    expect(await kpis(page)).toMatchObject({
      'Lists shown': n(o.listViews),
      'Products shown': n(o.impressions),
      Clicks: n(o.clicks),
      'Orders after a recommendation': n(o.orders),
      'Revenue from recommended products': plain(
        new Intl.NumberFormat('en', { style: 'currency', currency: o.currency ?? 'EUR' }).format(Number(o.revenue)),
      ),
    });
    const products = await rows(page, 'Outcomes by recommended product');
    expect(products.map((r) => r[0])).toEqual(o.products.map((p) => p.name ?? p.productId));
    expect(await checkPage(page, 'recommendations')).toEqual([]);

    // Sorting asks the server again and marks the column.
    const sorted = page.waitForResponse(
      (r) =>
        new URL(r.url()).pathname === '/api/recommendations/rules' &&
        new URL(r.url()).searchParams.get('sort') === 'support',
    );
    await page.getByRole('button', { name: /^Support/ }).click();
    await sorted;
    await page.waitForSelector('th[aria-sort="descending"] >> text=Support');
    const bySupport = await apiGet<Rules>(
      '/api/recommendations/rules?minSupport=0.001&minConfidence=0.1&minLift=0&maxLen=2&sort=support&offset=0&limit=25',
    );
    await page.waitForFunction(
      (first) =>
        [...document.querySelectorAll('table')]
          .find((t) => t.caption?.textContent === 'Association rules')
          ?.querySelector('tbody tr td:nth-child(3)')?.textContent === first,
      String(bySupport.rules[0]?.count),
    );
    expect((await rows(page, 'Association rules')).map((r) => r[2])).toEqual(
      bySupport.rules.map((r) => String(r.count)),
    );
  }, 120_000);

  it('has the demo shop report the recommendations it shows and the one clicked', async () => {
    const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const page = await context.newPage();
      await page.goto(`${env.base}/demo/p/p-101`);
      const card = page.locator('#recs:not([hidden]) a.card').first();
      await card.scrollIntoViewIfNeeded();
      const clicked = await card.getAttribute('data-product-id');
      await card.click();
      await page.waitForURL(`${env.base}/demo/p/${clicked}`);
      const anonymousId = await page.evaluate(() =>
        (window as unknown as { fideliza: { getAnonymousId(): string } }).fideliza.getAnonymousId(),
      );
      // The events arrive through the SDK's batches (the click's from the outbox, sent by the next page).
      let events: { event: string | null; properties: Record<string, unknown> | null }[] = [];
      for (let i = 0; i < 60 && events.length < 2; i++) {
        events = await env.db.kysely
          .selectFrom('events')
          .select(['event', 'properties'])
          .where('site_id', '=', env.demo.siteId)
          .where('anonymous_id', '=', anonymousId)
          // The product page the click leads to shows (and reports) recommendations of its own.
          .where('url_path', '=', '/demo/p/p-101')
          .where('event', 'in', ['Product List Viewed', 'Product Clicked'])
          .orderBy('timestamp')
          .execute();
        if (events.length < 2) await new Promise((r) => setTimeout(r, 250));
      }
      expect(events.map((e) => [e.event, e.properties?.list_id])).toEqual([
        ['Product List Viewed', 'fideliza-recommendations'],
        ['Product Clicked', 'fideliza-recommendations'],
      ]);
      const shown = (events[0]?.properties?.products ?? []) as { product_id: string; position: number }[];
      expect(shown.length).toBeGreaterThan(0);
      expect(events[1]?.properties).toMatchObject({ product_id: clicked, position: 1 });
      expect(shown[0]?.product_id).toBe(clicked);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('speaks Spanish', async () => {
    const page = await env.login('marketer', { locale: 'es' });
    await page.selectOption('.shell-header select', 'es');
    await page.click('nav[aria-label] a[href="/dashboard/recommendations"]');
    await page.waitForSelector('.rec-section .kpi');
    await page.waitForSelector('table tbody tr');
    expect(await page.textContent('main h2')).toBe('Recomendaciones');
    expect(Object.keys(await kpis(page))).toContain('Tasa de clics');
    expect(await page.textContent('main')).toContain('Reglas de asociación');
    expect(await checkPage(page, 'recommendations-es')).toEqual([]);
  }, 90_000);
});
