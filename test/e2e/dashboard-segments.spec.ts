// Segments in Chromium against the real server on the demo data: a marketer builds "bought at least twice in the
// last 90 days, with an email", sees the live count the API gives for the same tree, saves it, opens its members
// and downloads the CSV, whose rows are the members counted. Axe-clean and screenshotted.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPage, type DashboardEnv, startDashboard } from '../support/dashboard.ts';

let env: DashboardEnv;

beforeAll(async () => {
  env = await startDashboard({ customers: 60, days: 60 });
}, 180_000);

afterAll(async () => {
  await env?.stop();
});

/** The same tree the builder should send. */
const RULES = {
  type: 'and',
  rules: [
    { type: 'did', event: 'Order Completed', atLeast: 2, withinDays: 90, where: [] },
    { type: 'trait', key: 'email', op: 'contains', value: '@' },
  ],
};

/** Calls the API with the page's own session, as the dashboard does. */
async function api<T>(page: Page, method: string, path: string, body?: unknown): Promise<T> {
  return page.evaluate(
    async ({ method, path, body, site }) => {
      const res = await fetch(path, {
        method,
        headers: { 'content-type': 'application/json', 'x-fideliza-csrf': '1', 'x-fideliza-site': site },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return (await res.json()) as T;
    },
    { method, path, body, site: env.demo.siteId },
  );
}

/** The condition fieldset with this legend. */
const condition = (page: Page, n: number) =>
  page.locator('fieldset.rule-leaf', { has: page.locator(`legend:text-is("Condition ${n}")`) });

/** The live count once it has settled on a number. */
async function liveCount(page: Page): Promise<number> {
  const output = page.locator('.live-count output[data-count]');
  await output.waitFor();
  return Number(await output.getAttribute('data-count'));
}

describe('dashboard segments', () => {
  it('builds a segment with a live count, saves it, lists its members and exports them', async () => {
    const page = await env.login('marketer');
    await page.click('nav[aria-label] a[href="/dashboard/segments"]');
    await page.waitForSelector('table tbody tr');
    // Built-ins are listed with their counts.
    await page.waitForSelector('tbody [data-count]');
    expect(await page.textContent('tbody')).toContain('Premium customers');
    expect(await checkPage(page, 'segments-list')).toEqual([]);

    await page.click('a[href="/dashboard/segments/new"]');
    const adder = page.locator('.group-add').first();
    await adder.getByLabel('Condition type').selectOption('did');
    await adder.getByRole('button', { name: 'Add condition' }).click();
    const did = condition(page, 1);
    await did.getByLabel('Event').fill('Order Completed');
    await did.getByLabel('At least (times)').fill('2');
    await did.getByLabel('In the last (days)').fill('90');
    await adder.getByLabel('Condition type').selectOption('trait');
    await adder.getByRole('button', { name: 'Add condition' }).click();
    const trait = condition(page, 2);
    await trait.getByLabel('Trait', { exact: true }).fill('email');
    await trait.getByLabel('Comparison').selectOption('contains');
    await trait.getByLabel('Value', { exact: true }).fill('@');

    // The count settles on what the API answers for the same tree.
    const expected = (await api<{ count: number }>(page, 'POST', '/api/segments/preview/count', { rules: RULES }))
      .count;
    expect(expected).toBeGreaterThan(0);
    await page.waitForFunction(
      (n) => document.querySelector('.live-count output')?.getAttribute('data-count') === String(n),
      expected,
    );
    expect(await liveCount(page)).toBe(expected);
    expect(await checkPage(page, 'segments-builder')).toEqual([]);

    await page.getByLabel('Name', { exact: true }).fill('Repeat buyers (90 days)');
    await page.getByRole('button', { name: 'Save segment' }).click();
    await page.getByText('Segment saved.').waitFor();
    const id = decodeURIComponent(new URL(page.url()).pathname.split('/').at(-1) ?? '');
    const stored = await api<{ name: string; rules: unknown }>(page, 'GET', `/api/segments/${id}`);
    expect(stored).toMatchObject({ name: 'Repeat buyers (90 days)', rules: RULES });

    await page.getByRole('link', { name: 'Members', exact: true }).click();
    await page.waitForSelector('.member-count[data-count]');
    expect(Number(await page.getAttribute('.member-count', 'data-count'))).toBe(expected);
    await page.waitForSelector('tbody tr');
    expect(await page.locator('tbody tr').count()).toBe(Math.min(expected, 50));
    expect(await checkPage(page, 'segments-members')).toEqual([]);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`segment-${id}.csv`);
    const lines = readFileSync(await download.path(), 'utf8').split('\r\n');
    expect(lines.pop()).toBe('');
    expect(lines[0]).toBe('profile_id,user_id,email,name,sessions,page_views,orders,revenue,last_seen,last_order_at');
    expect(lines.length - 1).toBe(expected);
    await page.getByText(`Downloaded ${expected} customers.`).waitFor();
  });
});
