// Heatmaps in Chromium against the real server: a visitor clicks around the demo shop; a marketer finds those
// clicks on the dashboard's heatmap (element counts, rage clicks, heat drawn where the click was) and opens the
// same heatmap as an overlay on the live page. Axe-clean and screenshotted.
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topSelectors } from '../../server/src/heatmaps/queries.ts';
import { checkPage, type DashboardEnv, startDashboard } from '../support/dashboard.ts';

const PATH = '/demo/p/p-101';
const SCREENSHOTS = fileURLToPath(new URL('../artifacts/screenshots/', import.meta.url));

let env: DashboardEnv;
/** Where the visitor clicked "add to cart", in page coordinates of a 1280 px wide desktop page. */
let clickedAt: { x: number; y: number };
/** The counts the dashboard must show once the visitor's clicks are projected. */
let expected: { addToCart: number; photoRage: number };

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const range = { from: day(-29), to: day(0) };

const countsOf = async () => {
  const rows = await topSelectors(env.db.kysely, env.demo.siteId, {
    path: PATH,
    device: 'desktop',
    limit: 100,
    order: 'clicks',
    ...range,
  });
  const of = (selector: string) => rows.find((r) => r.selector === selector) ?? { clicks: 0, rage: 0 };
  return { addToCart: of('#add-to-cart').clicks, photoRage: of('#photo').rage };
};

/** The projector works in the background: wait until the aggregates reach the counts. */
async function projected(target: typeof expected) {
  for (let i = 0; i < 600; i++) {
    const now = await countsOf();
    if (now.addToCart >= target.addToCart && now.photoRage >= target.photoRage) return now;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the clicks were not projected: ${JSON.stringify(await countsOf())}`);
}

/** The alpha of a canvas pixel (0: nothing drawn there). */
const alphaAt = (page: Page, selector: string, at: { x: number; y: number }) =>
  page.$eval(
    selector,
    (canvas, p) => (canvas as HTMLCanvasElement).getContext('2d')?.getImageData(p.x, p.y, 1, 1).data[3] ?? 0,
    at,
  );

beforeAll(async () => {
  env = await startDashboard({ customers: 20, days: 7 });
  const before = await countsOf();

  const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const visitor = await context.newPage();
  await visitor.goto(`${env.base}${PATH}`);
  await visitor.waitForFunction(
    () => typeof (window as { fideliza?: { flush?: unknown } }).fideliza?.flush === 'function',
  );
  await visitor.click('button[data-size-id="41"]');
  await visitor.click('#add-to-cart');
  // Three quick clicks on the photo, which does nothing: a rage click.
  await visitor.click('#photo', { clickCount: 1 });
  await visitor.click('#photo', { clickCount: 1 });
  await visitor.click('#photo', { clickCount: 1 });
  const box = await visitor.$eval('#add-to-cart', (el) => {
    const r = el.getBoundingClientRect();
    return { x: Math.round(r.left + scrollX + r.width / 2), y: Math.round(r.top + scrollY + r.height / 2) };
  });
  clickedAt = box;
  await visitor.evaluate(() => (window as unknown as { fideliza: { flush(): Promise<void> } }).fideliza.flush());
  await context.close();

  expected = await projected({ addToCart: before.addToCart + 1, photoRage: before.photoRage + 1 });
}, 240_000);

afterAll(async () => {
  await env?.stop();
});

const cellsOf = (page: Page, heading: string) =>
  page.$$eval(
    'section.card',
    (sections, h) => {
      const section = sections.find((s) => s.querySelector('h4')?.textContent === h);
      return [...(section?.querySelectorAll('tbody tr') ?? [])].map((tr) =>
        [...tr.querySelectorAll('td')].map((td) => td.textContent ?? ''),
      );
    },
    heading,
  );

describe('heatmaps', () => {
  it('shows a marketer the visitor’s clicks on the page’s heatmap, elements and rage clicks', async () => {
    const page = await env.login('marketer');
    await page.goto(
      `${env.base}/dashboard/heatmaps?from=${range.from}&to=${range.to}&page=${encodeURIComponent(PATH)}&device=desktop`,
    );
    await page.waitForSelector('.heat-pages a[aria-current="true"]');
    expect(await page.textContent('.heat-pages a[aria-current="true"] .heat-path')).toBe(PATH);

    await page.waitForFunction(() => document.querySelectorAll('section.card tbody tr').length > 0);
    const top = await cellsOf(page, 'Top clicked elements');
    expect(top.find((row) => row[0] === '#add-to-cart')?.[1]).toBe(String(expected.addToCart));
    const rage = await cellsOf(page, 'Rage clicks');
    expect(rage.find((row) => row[0] === '#photo')?.[1]).toBe(String(expected.photoRage));

    // The framed layout is measured, and the heat is drawn where the visitor clicked (canvas pixels are the
    // page's pixels at 1280 px).
    await page.waitForFunction(() => {
      const frame = document.querySelector('iframe');
      return !!frame?.contentDocument?.querySelector('#add-to-cart');
    });
    expect(await page.getAttribute('iframe', 'src')).toBe(`${env.base}${PATH}`);
    await page.waitForFunction((at) => {
      const canvas = document.querySelector('.heat-stage canvas') as HTMLCanvasElement | null;
      return (canvas?.getContext('2d')?.getImageData(at.x, at.y, 1, 1).data[3] ?? 0) > 0;
    }, clickedAt);
    // Far from any click (the right edge, low on the page), nothing is drawn.
    expect(await alphaAt(page, '.heat-stage canvas', { x: 1279, y: 10 })).toBe(0);

    expect(await page.textContent('.heat-legend')).toContain('More (up to');
    expect(await checkPage(page, 'heatmaps')).toEqual([]);
  });

  it('speaks Spanish, and switches device and layer from the URL', async () => {
    const page = await env.login('marketer', { locale: 'es' });
    await page.goto(`${env.base}/dashboard/heatmaps?page=${encodeURIComponent(PATH)}&device=mobile&layer=rage`);
    await page.waitForSelector('.heat-stage canvas');
    expect(await page.textContent('h2')).toBe('Mapas de calor');
    expect(await page.getAttribute('.heat-stage canvas', 'width')).toBe('375');
    expect(await page.getAttribute('button[aria-pressed="true"]:has-text("Móvil")', 'aria-pressed')).toBe('true');
    await page.click('button:has-text("Escritorio")');
    await page.waitForFunction(() => location.search.includes('page=') && !location.search.includes('device='));
    await page.waitForFunction(
      () => (document.querySelector('.heat-stage canvas') as HTMLCanvasElement | null)?.width === 1280,
    );
    expect(await checkPage(page, 'heatmaps-es')).toEqual([]);
  });

  it('opens the heatmap as an overlay on the live page', async () => {
    const page = await env.login('marketer');
    await page.goto(`${env.base}/dashboard/heatmaps?page=${encodeURIComponent(PATH)}`);
    await page.waitForSelector('.heat-live button');
    const [live] = await Promise.all([page.context().waitForEvent('page'), page.click('.heat-live button')]);
    await live.waitForURL(/#fideliza-heatmap=hm1\./);
    expect(live.url().split('#')[0]).toBe(`${env.base}${PATH}`);
    await live.waitForFunction(() =>
      document.getElementById('fideliza-heatmap')?.shadowRoot?.querySelector('p')?.textContent?.includes('clicks on'),
    );
    const status = await live.evaluate(
      () => document.getElementById('fideliza-heatmap')?.shadowRoot?.querySelector('p')?.textContent,
    );
    expect(status).toMatch(new RegExp(`^${PATH} · \\d+ clicks on desktop`));
    // The heat lies over the very spot the visitor clicked.
    expect(await alphaAt(live, '#fideliza-heatmap-canvas', clickedAt)).toBeGreaterThan(0);
    await live.screenshot({ path: `${SCREENSHOTS}heatmaps-live-overlay.png`, fullPage: true });
    await page.waitForSelector('.heat-live .hint:has-text("Its link works until")');
  });
});
