// @vitest-environment happy-dom
// The recommendations page against a fake server: rules with product names, sorting and paging on the server,
// filters sent as fractions, the outcomes panel's figures, and both languages.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeServer, json, mountPage, refusal, unmountAll } from '../../testing.tsx';
import RecommendationsPage from './index.tsx';

afterEach(unmountAll);

const rule = (lhs: string[], rhs: string, lift: number) => ({
  lhs,
  rhs,
  count: 12,
  support: 0.0123,
  confidence: 0.456,
  lift,
});

const rulesAnswer = (offset: number) => ({
  baskets: 1234,
  source: 'pairs',
  storedMinSupport: 0.0001,
  total: 30,
  rules: offset === 0 ? [rule(['p1'], 'p2', 3.21), rule(['p2'], 'p9', 1.5)] : [rule(['p3'], 'p1', 1.1)],
  names: { p1: 'Zapatillas Brisa', p2: 'Calcetines', p3: 'Mallas' },
});

const outcomes = {
  from: '2026-11-01',
  to: '2026-11-03',
  windowDays: 7,
  currency: 'EUR',
  listViews: 100,
  impressions: 400,
  clicks: 12,
  ctr: 0.03,
  orders: 5,
  units: 6,
  revenue: '150.5',
  baseline: {
    exposed: { people: 80, buyers: 20, orderRate: 0.25 },
    unexposed: { people: 40, buyers: 4, orderRate: 0.1 },
  },
  days: [{ day: '2026-11-02', impressions: 400, clicks: 12 }],
  productCount: 3,
  products: [
    {
      productId: 'p2',
      name: 'Calcetines',
      impressions: 300,
      clicks: 10,
      ctr: 1 / 30,
      orders: 4,
      units: 5,
      revenue: '74.5',
    },
  ],
};

const routes = () =>
  fakeServer({
    'GET /api/recommendations/rules': (req) => json(rulesAnswer(Number(new URL(req.url).searchParams.get('offset')))),
    'GET /api/recommendations/outcomes': () => json(outcomes),
  });

const HREF = '/recommendations?from=2026-11-01&to=2026-11-03';
const cells = (root: Element, caption: string) => {
  const table = [...root.querySelectorAll('table')].find((t) => t.querySelector('caption')?.textContent === caption);
  return [...(table?.querySelectorAll('tbody tr') ?? [])].map((tr) =>
    [...tr.querySelectorAll('td')].map((td) => td.textContent),
  );
};

describe('recommendations page', () => {
  it('shows rules with catalogue names, and sorts and pages them on the server', async () => {
    const server = routes();
    const page = mountPage(RecommendationsPage, server.fetch, { href: HREF });
    await vi.waitFor(() =>
      expect(cells(page.root, 'Association rules')).toEqual([
        ['Zapatillas Brisa', 'Calcetines', '12', '1.23%', '45.6%', '3.21'],
        ['Calcetines', 'p9', '12', '1.23%', '45.6%', '1.5'],
      ]),
    );
    expect(page.root.textContent).toContain('From 1,234 orders.');
    expect(page.root.textContent).toContain('Rules 1–2 of 30');
    const first = server.requests.find((r) => r.path === '/api/recommendations/rules');
    expect(Object.fromEntries(first?.query ?? [])).toEqual({
      minSupport: '0.001',
      minConfidence: '0.1',
      minLift: '0',
      maxLen: '2',
      sort: 'lift',
      offset: '0',
      limit: '25',
    });

    const header = [...page.root.querySelectorAll('th')].find((th) => th.textContent?.startsWith('Confidence'));
    expect(header?.getAttribute('aria-sort')).toBeNull();
    header?.querySelector('button')?.click();
    expect(page.navigations.at(-1)).toContain('sort=confidence');
    await vi.waitFor(() => expect(server.requests.at(-1)?.query.get('sort')).toBe('confidence'));
    await vi.waitFor(() =>
      expect(
        [...page.root.querySelectorAll('th')]
          .find((th) => th.textContent?.startsWith('Confidence'))
          ?.getAttribute('aria-sort'),
      ).toBe('descending'),
    );

    [...page.root.querySelectorAll('button')].find((b) => b.textContent === 'Next page')?.click();
    await vi.waitFor(() => expect(server.requests.at(-1)?.query.get('offset')).toBe('25'));
    await vi.waitFor(() =>
      expect(cells(page.root, 'Association rules')).toEqual([
        ['Mallas', 'Zapatillas Brisa', '12', '1.23%', '45.6%', '1.1'],
      ]),
    );
    expect(page.root.textContent).toContain('Rules 26–26 of 30');
  });

  it('sends the filters as fractions and shows the server refusing them', async () => {
    const server = fakeServer({
      'GET /api/recommendations/rules': (req) =>
        new URL(req.url).searchParams.get('maxLen') === '3'
          ? refusal(400, 'invalid_query', 'minSupport: must be at least 0.001 when maxLen > 2', 'minSupport')
          : json(rulesAnswer(0)),
      'GET /api/recommendations/outcomes': () => json(outcomes),
    });
    const page = mountPage(RecommendationsPage, server.fetch, { href: HREF });
    await vi.waitFor(() => expect(page.root.querySelector('form[aria-label="Rule filters"]')).not.toBeNull());
    const form = page.root.querySelector('form[aria-label="Rule filters"]') as HTMLFormElement;
    const input = (label: string) => {
      const l = [...form.querySelectorAll('label')].find((x) => x.textContent === label);
      return form.querySelector(`#${CSS.escape(l?.getAttribute('for') ?? '')}`) as HTMLInputElement | HTMLSelectElement;
    };
    const set = (label: string, value: string) => {
      const el = input(label);
      el.value = value;
      el.dispatchEvent(new Event(el instanceof HTMLSelectElement ? 'change' : 'input'));
    };
    set('Minimum support (%)', '0.05');
    set('Minimum confidence (%)', '20');
    set('Minimum lift', '1.2');
    set('Products on the left', '3');
    form.dispatchEvent(new Event('submit', { cancelable: true }));
    await vi.waitFor(() => expect(server.requests.at(-1)?.query.get('maxLen')).toBe('3'));
    const q = server.requests.at(-1)?.query;
    expect([q?.get('minSupport'), q?.get('minConfidence'), q?.get('minLift'), q?.get('offset')]).toEqual([
      '0.0005',
      '0.2',
      '1.2',
      '0',
    ]);
    await vi.waitFor(() =>
      expect(page.root.querySelector('[role="alert"]')?.textContent).toContain(
        'must be at least 0.001 when maxLen > 2',
      ),
    );
  });

  it('shows what followed the recommendations, in Spanish', async () => {
    const server = routes();
    const page = mountPage(RecommendationsPage, server.fetch, { href: HREF, lang: 'es' });
    await vi.waitFor(() => expect(page.root.querySelectorAll('.kpi').length).toBe(8));
    const kpis = [...page.root.querySelectorAll('.kpi')].map((k) => [
      k.querySelector('.label')?.textContent,
      k.querySelector('.value')?.textContent?.replace(/\s/g, ' '),
    ]);
    expect(kpis).toEqual([
      ['Listas mostradas', '100'],
      ['Productos mostrados', '400'],
      ['Clics', '12'],
      ['Tasa de clics', '3 %'],
      ['Pedidos tras una recomendación', '5'],
      ['Ingresos de productos recomendados', '150,50 €'],
      ['Vieron recomendaciones · 20 de 80', '25 %'],
      ['No vieron ninguna · 4 de 40', '10 %'],
    ]);
    const outcomesRequest = server.requests.find((r) => r.path === '/api/recommendations/outcomes');
    expect(Object.fromEntries(outcomesRequest?.query ?? [])).toEqual({
      from: '2026-11-01',
      to: '2026-11-03',
      windowDays: '7',
      sort: 'impressions',
      limit: '50',
    });
    expect(cells(page.root, 'Resultados por producto recomendado')[0]?.map((c) => c?.replace(/\s/g, ' '))).toEqual([
      'Calcetines',
      '300',
      '10',
      '3,3 %',
      '4',
      '5',
      '74,50 €',
    ]);
    expect(page.root.textContent).toContain('Se muestran 1 de 3 productos.');
    // One point per day of the range, the days without data at zero.
    expect(page.root.querySelectorAll('figure.chart')[0]?.querySelectorAll('circle').length).toBe(3);

    const window = [...page.root.querySelectorAll('select')].find((s) => s.querySelector('option[value="14"]'));
    if (!window) throw new Error('no window select');
    window.value = '14';
    window.dispatchEvent(new Event('change'));
    await vi.waitFor(() => expect(server.requests.at(-1)?.query.get('windowDays')).toBe('14'));
  });

  it('explains how to report recommendations when none were shown', async () => {
    const server = fakeServer({
      'GET /api/recommendations/rules': () => json({ ...rulesAnswer(0), total: 0, rules: [], names: {} }),
      'GET /api/recommendations/outcomes': () =>
        json({ ...outcomes, listViews: 0, impressions: 0, clicks: 0, ctr: null, products: [], productCount: 0 }),
    });
    const page = mountPage(RecommendationsPage, server.fetch, { href: HREF });
    await vi.waitFor(() => expect(page.root.textContent).toContain('No recommendations were shown in this period.'));
    await vi.waitFor(() => expect(page.root.textContent).toContain('No rules reach these thresholds.'));
  });
});
