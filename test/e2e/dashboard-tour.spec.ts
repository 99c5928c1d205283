// Every page of the dashboard on the demo data, on each database this run covers (PGlite, and Postgres when
// DATABASE_URL is set), in Spanish and English: no request fails, nothing shows an error, axe finds nothing.
import type { Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../../server/src/db/testing.ts';
import { checkPage, type DashboardEnv, startDashboard } from '../support/dashboard.ts';

const AREAS = ['', 'heatmaps', 'profiles', 'segments', 'inbox', 'surveys', 'recommendations', 'settings'];

/** Visits an area and waits until its requests settle; returns the failed /api and /v1 responses. */
async function visit(page: Page, base: string, area: string): Promise<string[]> {
  const failed: string[] = [];
  const record = (r: Response) => {
    const path = new URL(r.url()).pathname;
    if (r.status() >= 400 && /^\/(api|v1)\//.test(path)) failed.push(`${r.status()} ${path}`);
  };
  page.on('response', record);
  await page.goto(`${base}/dashboard/${area}`);
  await page.waitForSelector('main h2');
  await page.waitForLoadState('networkidle');
  await page.waitForFunction(() => !document.querySelector('main .notice-loading'));
  page.off('response', record);
  return failed;
}

describe.each(testDialects)('every dashboard page on %s', (dialect) => {
  let env: DashboardEnv;

  beforeAll(async () => {
    env = await startDashboard({ customers: 40, days: 30, dialect });
  }, 180_000);

  afterAll(async () => {
    await env?.stop();
  });

  it.each(['en', 'es'] as const)(
    'shows each page to an admin in %s',
    async (locale) => {
      const page = await env.login('admin', { locale });
      await page.selectOption('.shell-header select', locale);
      for (const area of AREAS) {
        expect(await visit(page, env.base, area), `requests of /${area}`).toEqual([]);
        expect(await page.$$eval('main [role="alert"]', (alerts) => alerts.map((a) => a.textContent))).toEqual([]);
        expect(await page.getAttribute('html', 'lang')).toBe(locale);
        expect(await checkPage(page, `tour-${dialect}-${locale}-${area || 'overview'}`), `axe on /${area}`).toEqual([]);
      }
    },
    240_000,
  );
});
