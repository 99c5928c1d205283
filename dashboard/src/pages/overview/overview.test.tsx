// @vitest-environment happy-dom
// The overview page against a fake server: key figures with their change, the funnel, the day-by-day charts,
// the range kept in the query, both languages, and the loading, empty and error states.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeServer, json, mountPage, refusal, unmountAll } from '../../testing.tsx';
import OverviewPage from './index.tsx';
import type { OverviewData } from './types.ts';

afterEach(unmountAll);

const totals = (t: Partial<OverviewData['current']['totals']>): OverviewData['current']['totals'] => ({
  visitors: 0,
  sessions: 0,
  pageViews: 0,
  orders: 0,
  revenue: '0',
  refunds: '0',
  averageOrderValue: null,
  conversionRate: null,
  ...t,
});

const funnel = (reached: number[]): OverviewData['current']['funnel'] =>
  (['Product Viewed', 'Product Added', 'Checkout Started', 'Order Completed'] as const).map((event, i) => ({
    event,
    visitors: reached[i] as number,
    fromPrevious: i === 0 || !reached[i - 1] ? null : (reached[i] as number) / (reached[i - 1] as number),
    fromFirst: reached[0] ? (reached[i] as number) / reached[0] : null,
  }));

const answer: OverviewData = {
  timeZone: 'Europe/Madrid',
  currency: 'EUR',
  current: {
    from: '2026-11-02',
    to: '2026-11-04',
    totals: totals({
      visitors: 1500,
      sessions: 2000,
      pageViews: 9000,
      orders: 50,
      revenue: '2500.5',
      refunds: '100',
      averageOrderValue: '50.01',
      conversionRate: 0.025,
    }),
    funnel: funnel([800, 400, 100, 50]),
  },
  previous: {
    from: '2026-10-30',
    to: '2026-11-01',
    totals: totals({
      visitors: 1000,
      sessions: 2000,
      pageViews: 10000,
      orders: 0,
      revenue: '0',
      averageOrderValue: null,
      conversionRate: 0,
    }),
    funnel: funnel([500, 200, 50, 25]),
  },
  days: [
    { day: '2026-11-02', visitors: 500, sessions: 700, pageViews: 3000, orders: 20, revenue: '1000.5' },
    { day: '2026-11-03', visitors: 600, sessions: 800, pageViews: 3500, orders: 30, revenue: '1500' },
    { day: '2026-11-04', visitors: 400, sessions: 500, pageViews: 2500, orders: 0, revenue: '0' },
  ],
};

const HREF = '/?from=2026-11-02&to=2026-11-04&tz=Europe/Madrid';

/** Text with Intl's no-break spaces (Spanish "50 %", "2500,50 €") as plain ones. */
const text = (el: Element | null | undefined) => el?.textContent?.replace(/[\u00a0\u202f]/g, ' ');
const kpis = (root: Element) =>
  [...root.querySelectorAll('.overview-kpis .kpi')].map((k) => [
    text(k.querySelector('.label')),
    text(k.querySelector('.value')),
    text(k.querySelector('.change')),
  ]);
const funnelRows = (root: Element) =>
  [...root.querySelectorAll('.funnel li')].map((li) => [
    text(li.querySelector('.funnel-label')),
    text(li.querySelector('.funnel-figures')),
  ]);

describe('overview page', () => {
  it('shows the key figures against the period before, the funnel and a chart per figure by day', async () => {
    const server = fakeServer({ 'GET /api/overview': () => json(answer) });
    const page = mountPage(OverviewPage, server.fetch, { href: HREF });
    expect(page.root.querySelector('[role="status"]')?.textContent).toBe('Loading…');
    await vi.waitFor(() => expect(page.root.querySelector('.overview-kpis')).not.toBeNull());

    expect(Object.fromEntries(server.requests[0]?.query ?? [])).toEqual({
      from: '2026-11-02',
      to: '2026-11-04',
      tz: 'Europe/Madrid',
    });
    expect(page.root.querySelector('h2')?.textContent).toBe('Overview');
    expect(page.root.textContent).toContain('Nov 2, 2026 – Nov 4, 2026, days in Europe/Madrid time.');
    expect(page.root.textContent).toContain('Changes compare with Oct 30, 2026 – Nov 1, 2026.');
    expect(kpis(page.root)).toEqual([
      ['Visitors', '1,500', '▲ +50% on the previous period'],
      ['Sessions', '2,000', 'Same as the previous period'],
      ['Page views', '9,000', '▼ -10% on the previous period'],
      ['Orders', '50', 'Nothing in the previous period to compare with'],
      ['Revenue', '€2,500.50', 'Nothing in the previous period to compare with'],
      ['Average order value', '€50.01', 'Nothing in the previous period to compare with'],
      ['Conversion rate', '2.5%', 'Nothing in the previous period to compare with'],
    ]);
    expect(page.root.textContent).toContain('After €100.00 refunded.');

    expect(funnelRows(page.root)).toEqual([
      ['Viewed a product', '800'],
      ['Added to cart', '400 · 50%'],
      ['Started checkout', '100 · 25%'],
      ['Ordered', '50 · 50%'],
    ]);
    expect(page.root.textContent).toContain('6.3% of the people who viewed a product went on to order.');
    expect(page.root.textContent).toContain('Previous period: 5%.');

    const charts = [...page.root.querySelectorAll('.chart')];
    expect(charts.map((c) => c.querySelector('figcaption')?.textContent)).toEqual([
      'Visitors per day',
      'Orders per day',
      'Revenue per day (EUR)',
    ]);
    expect([...(charts[1]?.querySelectorAll('.bar title') ?? [])].map((x) => x.textContent)).toEqual([
      'Nov 2, 2026: 20',
      'Nov 3, 2026: 30',
      'Nov 4, 2026: 0',
    ]);
    expect([...(charts[2]?.querySelectorAll('.dot-mark title') ?? [])].map((x) => x.textContent)).toEqual([
      'Nov 2, 2026: 1,001',
      'Nov 3, 2026: 1,500',
      'Nov 4, 2026: 0',
    ]);
  });

  it('keeps a chosen range in the query and asks for it', async () => {
    const server = fakeServer({ 'GET /api/overview': () => json(answer) });
    const page = mountPage(OverviewPage, server.fetch, { href: HREF });
    await vi.waitFor(() => expect(page.root.querySelector('.overview-kpis')).not.toBeNull());
    const preset = [...page.root.querySelectorAll('.date-range button')].find((b) => b.textContent === 'Last 7 days');
    (preset as HTMLButtonElement).click();
    const href = page.navigations.at(-1) ?? '';
    const asked = new URL(href, 'http://dashboard.invalid').searchParams;
    expect(href.startsWith('/?')).toBe(true);
    expect(asked.get('tz')).toBe('Europe/Madrid');
    expect((Date.parse(asked.get('to') ?? '') - Date.parse(asked.get('from') ?? '')) / 86_400_000).toBe(6);
    await vi.waitFor(() => expect(server.requests.at(-1)?.query.get('from')).toBe(asked.get('from')));
    expect(server.requests.at(-1)?.query.get('to')).toBe(asked.get('to'));
    expect(page.root.querySelector('.date-range button[aria-pressed="true"]')?.textContent).toBe('Last 7 days');
  });

  it('speaks Spanish', async () => {
    const server = fakeServer({ 'GET /api/overview': () => json(answer) });
    const page = mountPage(OverviewPage, server.fetch, { href: HREF, lang: 'es' });
    await vi.waitFor(() => expect(page.root.querySelector('.overview-kpis')).not.toBeNull());
    expect(page.root.querySelector('h2')?.textContent).toBe('Resumen');
    expect(kpis(page.root).slice(0, 3)).toEqual([
      ['Visitantes', '1500', '▲ +50 % respecto al periodo anterior'],
      ['Sesiones', '2000', 'Igual que en el periodo anterior'],
      ['Páginas vistas', '9000', '▼ -10 % respecto al periodo anterior'],
    ]);
    expect(kpis(page.root)[4]?.[1]).toBe('2500,50 €');
    expect(funnelRows(page.root)[1]).toEqual(['Añadieron al carrito', '400 · 50 %']);
    expect(text(page.root)).toContain('2 nov 2026 – 4 nov 2026, días en hora de Europe/Madrid.');
  });

  it('says so when the days hold nothing', async () => {
    const empty: OverviewData = {
      ...answer,
      currency: null,
      current: { ...answer.current, totals: totals({}), funnel: funnel([0, 0, 0, 0]) },
      days: answer.days.map((d) => ({ ...d, visitors: 0, sessions: 0, pageViews: 0, orders: 0, revenue: '0' })),
    };
    const server = fakeServer({ 'GET /api/overview': () => json(empty) });
    const page = mountPage(OverviewPage, server.fetch, { href: HREF });
    await vi.waitFor(() => expect(page.root.querySelector('.notice-empty')).not.toBeNull());
    expect(page.root.querySelector('.notice-empty')?.textContent).toContain('No visits and no orders on these days.');
    expect(page.root.querySelector('.overview-kpis')).toBeNull();
  });

  it("shows the server's refusal and asks again on retry", async () => {
    let fail = true;
    const server = fakeServer({
      'GET /api/overview': () =>
        fail ? refusal(400, 'invalid_query', 'tz: an IANA time zone like Europe/Madrid', 'tz') : json(answer),
    });
    const page = mountPage(OverviewPage, server.fetch, { href: HREF });
    await vi.waitFor(() =>
      expect(page.root.querySelector('[role="alert"]')?.textContent).toContain(
        'tz: an IANA time zone like Europe/Madrid',
      ),
    );
    fail = false;
    (page.root.querySelector('[role="alert"] button') as HTMLButtonElement).click();
    await vi.waitFor(() => expect(page.root.querySelector('.overview-kpis')).not.toBeNull());
    expect(page.root.querySelector('[role="alert"]')).toBeNull();
  });
});
