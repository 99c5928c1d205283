// @vitest-environment happy-dom
// The shared pieces: axis bounds, date ranges from the URL, formatting per language, the latest load winning.
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { formatDate, formatMoney, formatPercent } from '../i18n/format.ts';
import { BarChart, LineChart, niceMax } from './charts.tsx';
import { lastDays, rangeFromQuery } from './date-range.tsx';
import { useLoad } from './load.ts';

afterEach(() => document.body.replaceChildren());

describe('charts', () => {
  it('rounds the axis up to 1, 2 or 5 times a power of ten', () => {
    expect([0, 0.3, 1, 7, 12, 180, 2001].map(niceMax)).toEqual([1, 0.5, 1, 10, 20, 200, 5000]);
  });

  const points = [
    { label: 'lun', value: 5 },
    { label: 'mar', value: 10 },
  ];

  it('draws a bar per point, the tallest reaching the axis top, each titled with its value', () => {
    const root = document.createElement('div');
    render(<BarChart caption="Pedidos" points={points} />, root);
    const bars = [...root.querySelectorAll('rect')];
    expect(bars.map((b) => b.querySelector('title')?.textContent)).toEqual(['lun: 5', 'mar: 10']);
    expect(bars.map((b) => Number(b.getAttribute('height')))).toEqual([83, 166]);
    expect(root.querySelector('svg')?.getAttribute('aria-label')).toBe('Pedidos');
  });

  it('draws a line through the points', () => {
    const root = document.createElement('div');
    render(<LineChart caption="Visitas" points={points} />, root);
    expect(root.querySelector('path')?.getAttribute('d')).toBe('M64.0,93.0L630.0,10.0');
  });
});

describe('date ranges', () => {
  const today = new Date('2026-11-23T22:30:00Z');
  it('counts the last days including today', () => {
    expect(lastDays(7, today)).toEqual({ from: '2026-11-17', to: '2026-11-23' });
  });
  it('reads a range from the query and falls back on a bad one', () => {
    expect(rangeFromQuery(new URLSearchParams('from=2026-01-01&to=2026-01-31'), 30, today)).toEqual({
      from: '2026-01-01',
      to: '2026-01-31',
    });
    for (const bad of ['from=2026-02-01&to=2026-01-01', 'from=yesterday&to=2026-01-01', 'to=2026-01-01']) {
      expect(rangeFromQuery(new URLSearchParams(bad), 30, today)).toEqual(lastDays(30, today));
    }
  });
});

describe('formatting', () => {
  it('prints money, shares and days in each language', () => {
    expect(formatMoney('1234.5', 'EUR', 'es')).toBe('1234,50\u00a0€');
    expect(formatMoney(1234.5, 'EUR', 'en')).toBe('€1,234.50');
    expect(formatMoney(3, null, 'en')).toBe('3.00');
    expect(formatPercent(0.256, 1, 'en')).toBe('25.6%');
    expect(formatDate('2026-11-23', 'es')).toBe('23 nov 2026');
  });
});

describe('useLoad', () => {
  it('shows the answer to the latest request, not a slower earlier one', async () => {
    const resolvers: ((v: string) => void)[] = [];
    let shown: string | undefined;
    function Probe({ n }: { n: number }) {
      const load = useLoad(() => new Promise<string>((r) => resolvers.push(r)), [n]);
      shown = load.data;
      return null;
    }
    const root = document.createElement('div');
    await act(() => render(<Probe n={1} />, root));
    await act(() => render(<Probe n={2} />, root));
    await act(async () => resolvers[1]?.('second'));
    await act(async () => resolvers[0]?.('first'));
    expect(shown).toBe('second');
  });
});
