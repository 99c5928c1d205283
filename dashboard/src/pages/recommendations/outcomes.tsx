// What followed the recommendations shown: impressions, clicks, orders and revenue within the window, the order
// rate of people who saw them against those who did not, per day and per product.
import { call } from '../../api.ts';
import { useDashboard } from '../../context.ts';
import { formatDate, formatMoney, formatNumber, formatPercent } from '../../i18n/format.ts';
import { useMessages } from '../../i18n/index.ts';
import { LineChart, type Point } from '../../ui/charts.tsx';
import { DateRange, type DayRange } from '../../ui/date-range.tsx';
import { Field } from '../../ui/field.tsx';
import { useLoad } from '../../ui/load.ts';
import { Empty, Loaded } from '../../ui/notice.tsx';
import { DataTable } from '../../ui/table.tsx';
import { messages } from './messages.ts';

export type OutcomeSort = 'impressions' | 'clicks' | 'orders' | 'revenue';
export const WINDOWS = [1, 3, 7, 14, 30] as const;
export const OUTCOME_SORTS: readonly OutcomeSort[] = ['impressions', 'clicks', 'orders', 'revenue'];

export interface OutcomesView {
  range: DayRange;
  windowDays: number;
  sort: OutcomeSort;
}

const DAY_MS = 86_400_000;

/** One point per day of the range, zero on days without data. */
function perDay(range: DayRange, days: { day: string; value: number }[]): Point[] {
  const byDay = new Map(days.map((d) => [d.day, d.value]));
  const points: Point[] = [];
  for (let t = Date.parse(range.from); t <= Date.parse(range.to); t += DAY_MS) {
    const day = new Date(t).toISOString().slice(0, 10);
    points.push({ label: formatDate(day), value: byDay.get(day) ?? 0 });
  }
  return points;
}

function Kpi({ label, value }: { label: string; value: string }) {
  return (
    <div class="card kpi">
      <span class="value">{value}</span>
      <span class="label">{label}</span>
    </div>
  );
}

const rate = (r: number | null) => (r === null ? '—' : formatPercent(r));

export function OutcomesPanel({ view, onChange }: { view: OutcomesView; onChange: (v: OutcomesView) => void }) {
  const t = useMessages(messages);
  const { api } = useDashboard();
  const query = { ...view.range, windowDays: String(view.windowDays), sort: view.sort, limit: '50' };
  const load = useLoad(
    () => call(api.api.recommendations.outcomes.$get({ query })),
    [view.range.from, view.range.to, view.windowDays, view.sort],
  );
  return (
    <section class="card rec-section" aria-labelledby="outcomes-title">
      <h3 id="outcomes-title">{t.outcomes}</h3>
      <p class="hint">{t.outcomesHelp}</p>
      <div class="rec-toolbar">
        <DateRange value={view.range} onChange={(range) => onChange({ ...view, range })} />
        <Field label={t.window}>
          {(ids) => (
            <select
              {...ids}
              value={String(view.windowDays)}
              onChange={(e) => onChange({ ...view, windowDays: Number(e.currentTarget.value) })}
            >
              {WINDOWS.map((n) => (
                <option key={n} value={String(n)}>
                  {t.windowDays(n)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <Loaded load={load}>
        {(o) =>
          o.listViews === 0 && o.clicks === 0 ? (
            <Empty>{t.noOutcomes}</Empty>
          ) : (
            <>
              <div class="grid">
                <Kpi label={t.listViews} value={formatNumber(o.listViews)} />
                <Kpi label={t.impressions} value={formatNumber(o.impressions)} />
                <Kpi label={t.clicks} value={formatNumber(o.clicks)} />
                <Kpi label={t.ctr} value={rate(o.ctr)} />
                <Kpi label={t.orders} value={formatNumber(o.orders)} />
                <Kpi label={t.revenue} value={formatMoney(o.revenue, o.currency)} />
              </div>
              <p class="hint">{t.ordersHelp(o.windowDays)}</p>

              <h4>{t.baseline}</h4>
              <div class="grid">
                <Kpi
                  label={`${t.exposed} · ${t.ofPeople(formatNumber(o.baseline.exposed.buyers), formatNumber(o.baseline.exposed.people))}`}
                  value={rate(o.baseline.exposed.orderRate)}
                />
                <Kpi
                  label={`${t.unexposed} · ${t.ofPeople(formatNumber(o.baseline.unexposed.buyers), formatNumber(o.baseline.unexposed.people))}`}
                  value={rate(o.baseline.unexposed.orderRate)}
                />
              </div>
              <p class="hint">{t.baselineHelp}</p>

              <div class="rec-charts">
                <LineChart
                  caption={t.shownPerDay}
                  points={perDay(
                    view.range,
                    o.days.map((d) => ({ day: d.day, value: d.impressions })),
                  )}
                />
                <LineChart
                  caption={t.clicksPerDay}
                  points={perDay(
                    view.range,
                    o.days.map((d) => ({ day: d.day, value: d.clicks })),
                  )}
                />
              </div>

              <h4>{t.byProduct}</h4>
              <DataTable
                caption={t.byProductCaption}
                rows={o.products}
                rowKey={(p) => p.productId}
                columns={[
                  { label: t.product, cell: (p) => p.name ?? p.productId },
                  {
                    label: t.impressions,
                    numeric: true,
                    cell: (p) => formatNumber(p.impressions),
                    sort: sortBy(view, onChange, 'impressions'),
                  },
                  {
                    label: t.clicks,
                    numeric: true,
                    cell: (p) => formatNumber(p.clicks),
                    sort: sortBy(view, onChange, 'clicks'),
                  },
                  { label: t.ctr, numeric: true, cell: (p) => rate(p.ctr) },
                  {
                    label: t.orders,
                    numeric: true,
                    cell: (p) => formatNumber(p.orders),
                    sort: sortBy(view, onChange, 'orders'),
                  },
                  { label: t.units, numeric: true, cell: (p) => formatNumber(p.units) },
                  {
                    label: t.revenue,
                    numeric: true,
                    cell: (p) => formatMoney(p.revenue, o.currency),
                    sort: sortBy(view, onChange, 'revenue'),
                  },
                ]}
              />
              {o.productCount > o.products.length && (
                <p class="hint">{t.showingProducts(formatNumber(o.products.length), formatNumber(o.productCount))}</p>
              )}
            </>
          )
        }
      </Loaded>
    </section>
  );
}

const sortBy = (view: OutcomesView, onChange: (v: OutcomesView) => void, sort: OutcomeSort) => ({
  active: view.sort === sort,
  onSort: () => onChange({ ...view, sort }),
});
