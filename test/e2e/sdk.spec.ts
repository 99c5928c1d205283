// The tracking SDK end to end: the built script tag on a demo shop in Debian's Chromium, sending through a
// recording proxy to the real server, with every assertion made on the rows the server stored.
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STUB } from '../../sdk/src/stub.ts';
import { createSite } from '../../server/src/sites/index.ts';
import { launchChromium } from '../support/browser.ts';
import { buildSdk, type Fideliza, startFideliza } from '../support/fideliza.ts';
import { type Recorder, startRecorder } from '../support/recorder.ts';
import { type Shop, startShop } from '../support/shop.ts';

/** What the page sees as window.fideliza (the SDK's Client, as far as these tests use it). */
interface Sdk {
  track(event: string, properties?: Record<string, unknown>): void;
  flush(): Promise<void>;
  getAnonymousId(): string;
}

declare global {
  interface Window {
    fideliza: Sdk;
    violations: string[];
    widgetMounted?: { host: string; writeKey: string; anonymousId: string };
  }
}

interface Row {
  type: string;
  event: string | null;
  message_id: string;
  url_path: string | null;
  selector: string | null;
  x: number | null;
  y: number | null;
  viewport_width: number | null;
  user_id: string | null;
  properties: Record<string, unknown> | null;
  context: Record<string, unknown> | null;
}

let browser: Browser;
let fideliza: Fideliza;
let shop: Shop;
let recorder: Recorder;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  buildSdk();
  shop = await startShop();
  fideliza = await startFideliza(shop.origin);
  recorder = await startRecorder(fideliza.url);
  shop.host = recorder.url;
  shop.writeKey = fideliza.writeKey;
  browser = await launchChromium();
});

afterAll(async () => {
  await Promise.all(contexts.map((c) => c.close().catch(() => {})));
  await browser?.close();
  await recorder?.stop();
  await fideliza?.stop();
  await shop?.stop();
});

/** The rows stored for one visitor, in the order the server stored them. */
async function rowsOf(anonymousId: string): Promise<Row[]> {
  return (await fideliza.db.kysely
    .selectFrom('events')
    .select(['type', 'event', 'message_id', 'url_path', 'selector', 'x', 'y', 'viewport_width', 'user_id'])
    .select(['properties', 'context'])
    .where('site_id', '=', fideliza.siteId)
    .where('anonymous_id', '=', anonymousId)
    .orderBy('seq')
    .execute()) as Row[];
}

/** Polls the server-side state until `check` passes (no fixed sleeps); the last failure is reported. */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => void, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    try {
      check(value);
      return value;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  contexts.push(context);
  return { context, page: await context.newPage() };
}

/** Lets the page run one task: the SDK starts autocapture, and records a navigation, on the next task. */
const nextTask = (page: Page) => page.evaluate(() => new Promise((resolve) => setTimeout(resolve)));

/** Opens a shop page and waits until the SDK has replaced the stub and started. */
async function open(page: Page, path: string): Promise<string> {
  await page.goto(shop.origin + path);
  await page.waitForFunction(() => typeof window.fideliza?.getAnonymousId === 'function');
  await nextTask(page);
  return page.evaluate(() => window.fideliza.getAnonymousId());
}

const outbox = (page: Page) =>
  page.evaluate(() =>
    Object.keys(localStorage)
      .filter((k) => k.includes(':q'))
      .flatMap((k) => JSON.parse(localStorage.getItem(k) ?? '[]') as { event?: string; messageId: string }[]),
  );

/** Requests that reached the server carrying this messageId. */
const deliveries = (messageId: string) =>
  recorder.requests.filter((r) => r.method === 'POST' && r.status === 200 && r.body.includes(messageId));

describe('SDK in Chromium against the real server', () => {
  it('stores page views, SPA navigations, heatmap clicks, scroll depth and cart events with the right fields', async () => {
    const { page } = await newPage();
    const anonymousId = await open(page, '/shop/');
    const button = page.locator('li[data-product-id="p2"] button');
    const box = (await button.boundingBox())!;
    await button.click();
    await page.click('#account');
    await page.click('#email');
    await page.evaluate(
      () =>
        new Promise((resolve) => {
          addEventListener('scroll', resolve, { once: true });
          scrollTo(0, 1500);
        }),
    );
    await page.evaluate(() => scrollTo(0, 0));
    await page.click('#cart-link');
    await nextTask(page);
    await page.evaluate(() => history.back());
    await page.waitForFunction(() => location.pathname === '/shop/');
    await nextTask(page);
    await page.evaluate(() => window.fideliza.flush());

    const rows = await eventually(
      () => rowsOf(anonymousId),
      (r) => expect(r.filter((row) => row.type === 'page')).toHaveLength(3),
    );
    const pages = rows.filter((r) => r.type === 'page');
    const pageContext = (row: Row) => row.context!.page as { referrer: string; title: string };
    expect(pages.map((p) => p.url_path)).toEqual(['/shop/', '/shop/cart', '/shop/']);
    expect(pages.map((p) => pageContext(p).referrer)).toEqual(['', `${shop.origin}/shop/`, `${shop.origin}/shop/cart`]);
    expect(pageContext(pages[1]!).title).toBe('Carrito · Tienda demo');

    const clicks = rows.filter((r) => r.event === '$click');
    expect(clicks.map((c) => c.selector)).toEqual([
      'li[data-product-id="p2"]>button',
      '#account',
      '#email',
      '#cart-link',
    ]);
    const [product, masked, input, link] = clicks;
    expect(product!.x).toBeCloseTo(box.x + box.width / 2, -1);
    expect(product!.y).toBeCloseTo(box.y + box.height / 2, -1);
    expect(product!.viewport_width).toBe(1280);
    expect(product!.url_path).toBe('/shop/');
    expect(product!.properties).toMatchObject({ vh: 720, text: 'Añadir al carrito' });
    for (const k of ['rx', 'ry'] as const) {
      expect(product!.properties![k]).toBeGreaterThan(0.3);
      expect(product!.properties![k]).toBeLessThan(0.7);
    }
    expect(product!.properties!.dh).toBeGreaterThan(2400);
    expect(masked!.properties!.text).toBeUndefined();
    expect(input!.properties!.text).toBeUndefined();
    expect(JSON.stringify(rows)).not.toMatch(/ana@example|Ana García|Mayor/);
    expect(link!.properties).toMatchObject({ href: `${shop.origin}/shop/cart`, text: 'Carrito (1)' });

    const added = rows.find((r) => r.event === 'Product Added')!;
    expect(added.properties).toMatchObject({ product_id: 'p2', price: 89, currency: 'EUR', quantity: 1 });
    expect(rows.find((r) => r.event === 'Cart Viewed')!.url_path).toBe('/shop/cart');

    // The first page view ended with the SPA navigation: its deepest point (not where it ended) was reported.
    const scroll = rows.find((r) => r.event === '$scroll')!;
    expect(scroll.url_path).toBe('/shop/');
    expect(scroll.properties!.y).toBe(1500 + 720);
    expect(scroll.properties!.depth).toBeGreaterThan(50);
    expect(scroll.viewport_width).toBe(1280);
    expect(new Set(rows.map((r) => r.message_id)).size).toBe(rows.length);
  });

  it('delivers an event tracked while offline exactly once, after a reload and reconnect', async () => {
    const { context, page } = await newPage();
    const anonymousId = await open(page, '/shop/');
    await page.evaluate(() => window.fideliza.flush());
    recorder.down = true;
    await context.setOffline(true);
    await page.evaluate(async () => {
      window.fideliza.track('Order Completed', { order_id: 'offline-1', total: 59.9, currency: 'EUR' });
      await window.fideliza.flush();
    });
    const [queued] = (await outbox(page)).filter((m) => m.event === 'Order Completed');
    expect(queued).toBeDefined();

    // Back online, but the server is still out of reach; the page is reloaded meanwhile.
    await context.setOffline(false);
    await page.reload();
    await page.waitForFunction(() => typeof window.fideliza?.getAnonymousId === 'function');
    expect(await page.evaluate(() => window.fideliza.getAnonymousId())).toBe(anonymousId);
    await page.evaluate(() => window.fideliza.flush());
    expect(deliveries(queued!.messageId)).toHaveLength(0);
    expect((await outbox(page)).map((m) => m.messageId)).toContain(queued!.messageId);

    recorder.down = false;
    await page.evaluate(() => window.fideliza.flush());
    const rows = await eventually(
      () => rowsOf(anonymousId),
      (r) => expect(r.filter((row) => row.event === 'Order Completed')).toHaveLength(1),
    );
    expect(rows.find((r) => r.event === 'Order Completed')!.message_id).toBe(queued!.messageId);
    await eventually(
      () => outbox(page),
      (left) => expect(left).toEqual([]),
    );
    // Reload once more: nothing is left to send, and the message reached the server exactly once.
    await page.reload();
    await page.waitForFunction(() => typeof window.fideliza?.getAnonymousId === 'function');
    await page.evaluate(() => window.fideliza.flush());
    expect(deliveries(queued!.messageId)).toHaveLength(1);
    expect((await rowsOf(anonymousId)).filter((r) => r.event === 'Order Completed')).toHaveLength(1);
  });

  it('delivers an event tracked right before leaving the page, with no CORS preflight', async () => {
    const { page } = await newPage();
    const anonymousId = await open(page, '/shop/');
    await page.evaluate(() => window.fideliza.flush());
    const from = recorder.requests.length;
    await page.evaluate(() => window.fideliza.track('Checkout Started', { order_id: 'leaving-1', total: 89 }));
    await page.goto('about:blank');
    const rows = await eventually(
      () => rowsOf(anonymousId),
      (r) => expect(r.filter((row) => row.event === 'Checkout Started')).toHaveLength(1),
    );
    const messageId = rows.find((r) => r.event === 'Checkout Started')!.message_id;
    const carrying = recorder.requests.slice(from).filter((r) => r.body.includes(messageId));
    expect(carrying.length).toBeGreaterThan(0);
    for (const r of carrying) {
      expect(r.method).toBe('POST');
      expect(r.headers['content-type']).toMatch(/^text\/plain/);
      expect(r.headers.authorization).toBeUndefined();
    }
    // Not one preflight in this whole run: every request the SDK makes is a CORS simple request.
    expect(recorder.requests.filter((r) => r.method === 'OPTIONS')).toEqual([]);
  });

  it('runs under a strict nonce-based Content-Security-Policy without a violation, widget included', async () => {
    const site = await createSite(fideliza.db.kysely, {
      name: 'E2E shop with widget',
      origins: [shop.origin],
      settings: { widget: { enabled: true } },
    });
    // A stand-in widget bundle (the real one is tested with the widget): records what mount() was given.
    recorder.overrides.set('/widget.js', (res) => {
      res.writeHead(200, { 'Content-Type': 'text/javascript', 'Access-Control-Allow-Origin': '*' });
      res.end(
        'export function mount(o){window.widgetMounted={host:o.host,writeKey:o.writeKey,anonymousId:o.client.getAnonymousId()}}',
      );
    });
    shop.writeKey = site.writeKey;
    try {
      const { page } = await newPage();
      const console: string[] = [];
      page.on('console', (m) => console.push(`${m.type()}: ${m.text()}`));
      page.on('pageerror', (e) => console.push(`pageerror: ${e.message}`));
      const response = await page.goto(`${shop.origin}/csp/`);
      expect(response!.headers()['content-security-policy']).toContain("'strict-dynamic'");
      await page.waitForFunction(() => typeof window.fideliza?.getAnonymousId === 'function');
      await nextTask(page);
      const anonymousId = await page.evaluate(() => window.fideliza.getAnonymousId());
      await page.click('li[data-product-id="p1"] button');
      await page.click('#cart-link');
      await nextTask(page);
      await page.waitForFunction(() => window.widgetMounted !== undefined);
      expect(await page.evaluate(() => window.widgetMounted)).toEqual({
        host: recorder.url,
        writeKey: site.writeKey,
        anonymousId,
      });
      await page.evaluate(() => window.fideliza.flush());
      const rows = await eventually(
        () =>
          fideliza.db.kysely
            .selectFrom('events')
            .select(['event', 'type'])
            .where('site_id', '=', site.siteId)
            .where('anonymous_id', '=', anonymousId)
            .execute(),
        (r) =>
          expect(r.map((row) => row.event ?? row.type).sort()).toEqual(
            ['$click', '$click', '$scroll', 'Cart Viewed', 'Product Added', 'page', 'page'].sort(),
          ),
      );
      expect(rows).toHaveLength(7);
      expect(await page.evaluate(() => window.violations)).toEqual([]);
      expect(console.filter((line) => /Content.Security.Policy|Refused to/i.test(line))).toEqual([]);
    } finally {
      shop.writeKey = fideliza.writeKey;
      recorder.overrides.delete('/widget.js');
    }
  });

  it('never sends one message from two open tabs; a closed tab’s outbox is delivered by the other', async () => {
    const { context, page: a } = await newPage();
    const anonymousId = await open(a, '/shop/');
    const b = await context.newPage();
    await open(b, '/shop/cart');
    await Promise.all([a.evaluate(() => window.fideliza.flush()), b.evaluate(() => window.fideliza.flush())]);
    const from = recorder.requests.length;
    const track = (page: Page, ids: string[]) =>
      page.evaluate(async (list) => {
        for (const id of list) window.fideliza.track('Product Viewed', { product_id: id });
        await window.fideliza.flush();
      }, ids);
    const viewed = async () => (await rowsOf(anonymousId)).filter((r) => r.event === 'Product Viewed');

    // Both tabs queue while the server is unreachable, then both flush at once when it is back.
    recorder.down = true;
    await track(a, ['a0', 'a1', 'a2']);
    await track(b, ['b0', 'b1']);
    recorder.down = false;
    await Promise.all([a.evaluate(() => window.fideliza.flush()), b.evaluate(() => window.fideliza.flush())]);
    const first = await eventually(viewed, (r) => expect(r).toHaveLength(5));
    // Each message reached the server once: no tab sent what the other one holds.
    const attemptsOf = (messageId: string) =>
      recorder.requests
        .slice(from)
        .filter((r) => r.body.includes(messageId))
        .map((r) => r.status);
    // (A row is stored before the server answers: wait for the answers to pass the proxy.)
    const answered = (messageId: string) => attemptsOf(messageId).filter((status) => status === 200);
    await eventually(
      async () => first.map((row) => answered(row.message_id)),
      (each) => expect(each).toEqual(first.map(() => [200])),
    );

    // A queues one more while the server is unreachable and is closed (its last attempt, at unload, fails too);
    // B, still open, takes over A's outbox and delivers it. (Had A's unload request got through, B would send
    // it again and the server would keep one: at least once, deduplicated.)
    recorder.down = true;
    await track(a, ['a3']);
    const attempts = () => recorder.requests.filter((r) => r.body.includes('"a3"')).length;
    const before = attempts();
    await a.close({ runBeforeUnload: true });
    await eventually(
      async () => attempts(),
      (n) => expect(n).toBeGreaterThan(before),
    );
    recorder.down = false;
    await b.evaluate(() => window.fideliza.flush());
    const rows = await eventually(viewed, (r) => expect(r).toHaveLength(6));
    expect(rows.map((r) => r.properties!.product_id).sort()).toEqual(['a0', 'a1', 'a2', 'a3', 'b0', 'b1']);
    const a3 = rows.find((r) => r.properties!.product_id === 'a3')!;
    await eventually(
      async () => answered(a3.message_id),
      (each) => expect(each).toEqual([200]),
    );
  });

  it('documents the very stub the shop runs', () => {
    const readme = readFileSync(new URL('../../sdk/README.md', import.meta.url), 'utf8');
    expect(readme).toContain(STUB);
  });
});
