// The overview in Chromium against the real server on the demo data: a marketer lands on it and sees the key
// figures and funnel the API gives for the same days (asked here with the site's secret key), switches to the
// last 7 days and a custom range (kept in the URL across a reload), in English and Spanish. Axe-clean, screenshotted.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Overview } from '../../server/src/analytics/index.ts';
import { checkPage, type DashboardEnv, startDashboard } from '../support/dashboard.ts';

let env: DashboardEnv;

beforeAll(async () => {
  env = await startDashboard({ customers: 40, days: 30 });
}, 180_000);

afterAll(async () => {
  await env?.stop();
});

const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

interface Shown {
  figures: Record<string, string>;
  funnel: string[];
}

/** What the page shows: each key figure by its label, and each funnel step's people, with plain spaces. */
async function shown(page: Page): Promise<Shown> {
  await page.waitForSelector('.overview-kpis');
  await page.waitForFunction(() => document.querySelector('.overview')?.getAttribute('aria-busy') === 'false');
  return page.evaluate(() => {
    const text = (el: Element | null) => (el?.textContent ?? '').replace(/[\u00a0\u202f]/g, ' ');
    const figures = Object.fromEntries(
      [...document.querySelectorAll('.overview-kpis .kpi')].map((k) => [
        text(k.querySelector('.label')),
        text(k.querySelector('.value')),
      ]),
    );
    const funnel = [...document.querySelectorAll('.funnel li .funnel-figures')].map(
      (f) => text(f).split(' · ')[0] ?? '',
    );
    return { figures, funnel };
  });
}

/** The same days from the API, formatted as the page formats them. */
async function expected(page: Page, locale: 'en' | 'es', labels: Record<string, string>): Promise<Shown> {
  const url = new URL(page.url());
  const tz =
    url.searchParams.get('tz') ?? (await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone));
  const from = url.searchParams.get('from') ?? isoDay(Date.now() - 29 * DAY_MS);
  const to = url.searchParams.get('to') ?? isoDay(Date.now());
  const res = await fetch(`${env.base}/api/overview?from=${from}&to=${to}&tz=${encodeURIComponent(tz)}`, {
    headers: { authorization: `Bearer ${env.demo.secretKey}` },
  });
  expect(res.status).toBe(200);
  const o = (await res.json()) as Overview;
  const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
  const number = (n: number) => plain(new Intl.NumberFormat(locale).format(n));
  const money = (v: string) =>
    plain(new Intl.NumberFormat(locale, { style: 'currency', currency: o.currency ?? 'EUR' }).format(Number(v)));
  const totals = o.current.totals;
  return {
    figures: {
      [labels.visitors as string]: number(totals.visitors),
      [labels.sessions as string]: number(totals.sessions),
      [labels.orders as string]: number(totals.orders),
      [labels.revenue as string]: money(totals.revenue),
    },
    funnel: o.current.funnel.map((s) => number(s.visitors)),
  };
}

const en = { visitors: 'Visitors', sessions: 'Sessions', orders: 'Orders', revenue: 'Revenue' };
const es = { visitors: 'Visitantes', sessions: 'Sesiones', orders: 'Pedidos', revenue: 'Ingresos' };

describe('dashboard overview', () => {
  it('shows a marketer the figures and funnel of the demo, for the days chosen', async () => {
    const page = await env.login('marketer');
    const first = await shown(page);
    const wanted = await expected(page, 'en', en);
    expect(first.figures).toMatchObject(wanted.figures);
    expect(first.funnel).toEqual(wanted.funnel);
    // The demo had visitors, buyers and every funnel step in the last 30 days.
    expect(first.figures.Orders).not.toBe('0');
    expect(first.funnel).toHaveLength(4);
    expect(first.funnel.every((n) => n !== '0')).toBe(true);
    expect(await page.textContent('main h2')).toBe('Overview');
    expect(await page.locator('main figure.chart').count()).toBe(3);
    expect(await checkPage(page, 'overview-en')).toEqual([]);

    const weekFrom = isoDay(Date.now() - 6 * DAY_MS);
    const answered = page.waitForResponse(
      (r) => new URL(r.url()).pathname === '/api/overview' && new URL(r.url()).searchParams.get('from') === weekFrom,
    );
    await page.getByRole('button', { name: 'Last 7 days' }).click();
    await answered;
    expect(new URL(page.url()).searchParams.get('from')).toBe(weekFrom);
    const lastWeek = await shown(page);
    const wantedWeek = await expected(page, 'en', en);
    expect(lastWeek.figures).toMatchObject(wantedWeek.figures);
    expect(lastWeek.funnel).toEqual(wantedWeek.funnel);
    expect(await page.getAttribute('.date-range button[aria-pressed="true"]', 'aria-pressed')).toBe('true');
    expect(await page.textContent('.date-range button[aria-pressed="true"]')).toBe('Last 7 days');

    // A custom range: the first ten days of the history, kept across a reload.
    const from = isoDay(Date.now() - 29 * DAY_MS);
    const to = isoDay(Date.now() - 20 * DAY_MS);
    await page.getByLabel('From', { exact: true }).fill(from);
    await page.waitForURL(new RegExp(`from=${from}`));
    await page.getByLabel('To', { exact: true }).fill(to);
    await page.waitForURL(new RegExp(`from=${from}&to=${to}`));
    await page.reload();
    const custom = await shown(page);
    expect(await page.getByLabel('From', { exact: true }).inputValue()).toBe(from);
    expect(await page.getByLabel('To', { exact: true }).inputValue()).toBe(to);
    const wantedCustom = await expected(page, 'en', en);
    expect(custom.funnel).toEqual(wantedCustom.funnel);
    expect(custom.figures).toMatchObject(wantedCustom.figures);
  }, 120_000);

  it('speaks Spanish', async () => {
    const page = await env.login('marketer', { locale: 'es' });
    await page.selectOption('.shell-header select', 'es');
    const seen = await shown(page);
    expect(await page.textContent('main h2')).toBe('Resumen');
    const wanted = await expected(page, 'es', es);
    expect(seen.figures).toMatchObject(wanted.figures);
    expect(seen.funnel).toEqual(wanted.funnel);
    expect(await page.textContent('main')).toContain('Embudo de compra');
    expect(await checkPage(page, 'overview-es')).toEqual([]);
  }, 90_000);
});
