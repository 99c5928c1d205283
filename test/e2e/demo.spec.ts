// The demo shop in Debian's Chromium, served by the real server started as `start --demo` starts it: a visitor's
// clicks and e-commerce events are stored for the demo site, with the selectors the generated history uses.
import { createServer } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../server/src/config/index.ts';
import { openTestDatabase, type TestDb } from '../../server/src/db/testing.ts';
import { type DemoSetup, setupDemo } from '../../server/src/demo/index.ts';
import { type RunningServer, startServer } from '../../server/src/http/server.ts';
import { launchChromium } from '../support/browser.ts';
import { buildSdk } from '../support/fideliza.ts';

/** A port free right now: the demo site's allowed origins are fixed before the server listens. */
const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });

let browser: Browser;
let db: TestDb;
let server: RunningServer;
let demo: DemoSetup;
let base: string;

beforeAll(async () => {
  buildSdk();
  const port = await freePort();
  db = await openTestDatabase('pglite');
  demo = await setupDemo(db, { port, customers: 20, days: 14, chats: 1, complaintsPerState: 1, surveyResponses: 1 });
  server = await startServer(loadConfig({ PORT: String(port), HOST: '127.0.0.1' }), db, { demo: true });
  base = `http://127.0.0.1:${port}`;
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

it('stores the clicks and e-commerce events of a visitor of the demo shop', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${base}/demo/p/p-101`);
  await page.waitForFunction(
    () => typeof (window as { fideliza?: { flush?: unknown } }).fideliza?.flush === 'function',
  );
  await page.click('button[data-size-id="41"]');
  await page.click('#add-to-cart');
  const anonymousId = await page.evaluate(async () => {
    const sdk = (window as unknown as { fideliza: { flush(): Promise<void>; getAnonymousId(): string } }).fideliza;
    await sdk.flush();
    return sdk.getAnonymousId();
  });
  const rows = await db.kysely
    .selectFrom('events')
    .select(['type', 'event', 'url_path', 'selector', 'x', 'viewport_width'])
    .where('site_id', '=', demo.siteId)
    .where('url_path', '=', '/demo/p/p-101')
    .where('anonymous_id', '=', anonymousId)
    .orderBy('seq')
    .execute();
  const clicks = rows.filter((r) => r.event === '$click');
  expect(clicks.map((c) => c.selector)).toEqual(['button[data-size-id="41"]', '#add-to-cart']);
  for (const c of clicks) expect(c.viewport_width).toBe(1280);
  expect(rows.map((r) => r.event)).toEqual(expect.arrayContaining(['Product Viewed', 'Product Added']));
  await page.close();
});
