// The dashboard in real Chromium: the real server with a small demo history (on Postgres when DATABASE_URL is set,
// so the pages are checked on both databases across the suite's runs), one signed-in browser context per role,
// and a check for every page: axe-core finds no violations, and a screenshot is kept as a test artifact.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { loadConfig } from '../../server/src/config/index.ts';
import type { DialectName } from '../../server/src/db/index.ts';
import { openTestDatabase, type TestDb } from '../../server/src/db/testing.ts';
import { type DemoSetup, setupDemo } from '../../server/src/demo/index.ts';
import { type RunningServer, startServer } from '../../server/src/http/server.ts';
import { launchChromium } from './browser.ts';
import { buildSdk } from './fideliza.ts';

export type Role = 'admin' | 'marketer' | 'agent' | 'validator';

export interface DashboardEnv {
  /** The server's origin, e.g. http://127.0.0.1:41234 (the dashboard is at /dashboard/, the demo shop at /demo). */
  base: string;
  db: TestDb;
  demo: Extract<DemoSetup, { created: true }>;
  browser: Browser;
  /** A new browser context signed in as the demo's user with this role, on a page at /dashboard/. */
  login(role: Role, options?: { locale?: 'es' | 'en' }): Promise<Page>;
  stop(): Promise<void>;
}

const SCREENSHOTS = fileURLToPath(new URL('../artifacts/screenshots/', import.meta.url));
const DASHBOARD_INDEX = fileURLToPath(new URL('../../dashboard/dist/index.html', import.meta.url));
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** A port free right now: the demo site's allowed origins are fixed before the server listens. */
export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });

export async function startDashboard(
  history: { customers?: number; days?: number; dialect?: DialectName } = {},
): Promise<DashboardEnv> {
  // `pnpm test` builds every package first; a stale or missing build here would test old pages.
  if (!existsSync(DASHBOARD_INDEX)) {
    throw new Error('dashboard/dist is missing: run `pnpm --filter @fideliza/dashboard build` first');
  }
  buildSdk();
  const port = await freePort();
  const db = await openTestDatabase(history.dialect ?? (process.env.DATABASE_URL ? 'postgres' : 'pglite'));
  const contexts: BrowserContext[] = [];
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  try {
    const demo = await setupDemo(db, {
      port,
      customers: history.customers ?? 60,
      days: history.days ?? 30,
      chats: 4,
      complaintsPerState: 1,
      surveyResponses: 20,
    });
    if (!demo.created) throw new Error('the test database already had a demo site');
    server = await startServer(loadConfig({ PORT: String(port), HOST: '127.0.0.1' }), db, { demo: true });
    browser = await launchChromium();
    const base = `http://127.0.0.1:${port}`;
    const running = server;
    const chromium = browser;
    return {
      base,
      db,
      demo,
      browser: chromium,
      async login(role, { locale = 'en' } = {}) {
        const staff = demo.staff.find((s) => s.role === role);
        if (!staff) throw new Error(`the demo has no ${role}`);
        const context = await chromium.newContext({ viewport: { width: 1280, height: 900 }, locale });
        contexts.push(context);
        const page = await context.newPage();
        await page.goto(`${base}/dashboard/`);
        await page.fill('#login-email', staff.email);
        await page.fill('#login-password', staff.password);
        await page.click('form button[type="submit"]');
        await page.waitForSelector('nav[aria-label] a');
        return page;
      },
      async stop() {
        await Promise.all(contexts.map((c) => c.close().catch(() => {})));
        await chromium.close();
        await running.stop();
      },
    };
  } catch (error) {
    await browser?.close();
    await (server ? server.stop() : db.close());
    throw error;
  }
}

interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  nodes: { target: unknown[] }[];
}

/**
 * Checks the page as it is now: no axe-core violations (the list is the failure message, so a red run says
 * what to fix), and a full-page screenshot saved as test/artifacts/screenshots/<name>.png.
 */
export async function checkPage(page: Page, name: string): Promise<AxeViolation[]> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true });
  await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(c: Document, o: object): Promise<{ violations: AxeViolation[] }> } })
      .axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target })),
    }));
  });
  return violations;
}
