// The customer pages in Chromium against the real server on the demo data: a marketer searches a demo customer,
// opens their file and finds their orders on the timeline, with the privacy actions; an agent sees the same file
// without them. Axe-clean and screenshotted.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPage, type DashboardEnv, startDashboard } from '../support/dashboard.ts';

let env: DashboardEnv;
let customer: { id: string; name: string; email: string; orders: string[] };

/** The profile API with the site's secret key (the integration's way in). */
async function api<T>(path: string): Promise<T> {
  const res = await fetch(`${env.base}${path}`, { headers: { authorization: `Bearer ${env.demo.secretKey}` } });
  if (!res.ok) throw new Error(`${path}: ${res.status}`);
  return (await res.json()) as T;
}

beforeAll(async () => {
  env = await startDashboard({ customers: 30, days: 30 });
  // A demo customer with a name, an email and at least two orders.
  const list = await api<{ items: { id: string; name: string | null; email: string | null; orders: number }[] }>(
    '/api/profiles?limit=200',
  );
  const found = list.items.find((p) => p.name && p.email && p.orders >= 2);
  if (!found?.name || !found.email) throw new Error('the demo has no named customer with two orders');
  const file = await api<{ orders: { id: string }[] }>(`/api/profiles/${found.id}`);
  customer = { id: found.id, name: found.name, email: found.email, orders: file.orders.map((o) => o.id) };
}, 180_000);

afterAll(async () => {
  await env?.stop();
});

const timelineTexts = (page: Page) => page.$$eval('.timeline .tl-text', (els) => els.map((e) => e.textContent ?? ''));

/** Reads the timeline down to its end ("Show older" until it is gone). */
async function wholeTimeline(page: Page): Promise<string[]> {
  await page.waitForSelector('.timeline li');
  for (;;) {
    const older = page.getByRole('button', { name: 'Show older' });
    if ((await older.count()) === 0) return timelineTexts(page);
    const before = (await timelineTexts(page)).length;
    await older.click();
    await page.waitForFunction((n) => document.querySelectorAll('.timeline li').length > n, before);
  }
}

describe('dashboard customers', () => {
  it('finds a demo customer by email and shows their file with their orders on the timeline', async () => {
    const page = await env.login('marketer');
    await page.click('nav[aria-label] a[href="/dashboard/profiles"]');
    await page.waitForSelector('table tbody tr');
    expect(await checkPage(page, 'profiles-list')).toEqual([]);

    await page.getByLabel('Search customers').fill(customer.email.slice(0, 12).toUpperCase());
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForURL(/\?q=/);
    const link = page.getByRole('link', { name: customer.name, exact: true });
    await link.waitFor();
    await link.click();

    await page.waitForFunction((name) => document.querySelector('main h2')?.textContent === name, customer.name);
    expect(await page.textContent('[aria-labelledby="profile-traits"]')).toContain(customer.email);
    expect(await page.textContent('.kpi')).toContain(String(customer.orders.length));
    const texts = await wholeTimeline(page);
    for (const order of customer.orders) expect(texts).toContain(`Placed order ${order}`);
    // Clicks and scrolls are left out unless asked for.
    expect(texts.some((t) => t.includes('$click'))).toBe(false);
    await page.waitForSelector('.for-you li, [aria-labelledby="profile-for-you"] .notice-empty');
    await page.evaluate(() => window.scrollTo(0, 0));
    expect(await page.getByRole('button', { name: 'Export data (JSON)' }).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Delete customer' }).count()).toBe(1);
    expect(await checkPage(page, 'profiles-file')).toEqual([]);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export data (JSON)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`profile-${customer.id}.json`);
  });

  it('shows an agent the file without the privacy actions', async () => {
    const page = await env.login('agent');
    await page.goto(`${env.base}/dashboard/profiles/${encodeURIComponent(customer.id)}`);
    await page.waitForFunction((name) => document.querySelector('main h2')?.textContent === name, customer.name);
    const texts = await wholeTimeline(page);
    expect(texts).toContain(`Placed order ${customer.orders[0]}`);
    expect(await page.getByRole('button', { name: 'Export data (JSON)' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Delete customer' }).count()).toBe(0);
    expect(await page.locator('[aria-labelledby="profile-privacy"]').count()).toBe(0);
    expect(await checkPage(page, 'profiles-file-agent')).toEqual([]);
  });
});
