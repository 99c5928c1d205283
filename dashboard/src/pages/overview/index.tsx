// The overview: the shop's key figures, purchase funnel and day-by-day charts for a range of days, against
// the period just before. The range and time zone live in the query string, so a link shows the same figures.
import './overview.css';
import { call } from '../../api.ts';
import { type PageProps, useDashboard } from '../../context.ts';
import { formatDate, formatNumber, formatPercent } from '../../i18n/format.ts';
import { useMessages } from '../../i18n/index.ts';
import { BarChart, Funnel, LineChart } from '../../ui/charts.tsx';
import { DateRange, type DayRange, rangeFromQuery } from '../../ui/date-range.tsx';
import { useLoad } from '../../ui/load.ts';
import { Empty, Loaded } from '../../ui/notice.tsx';
import { PageHeader } from '../../ui/page-header.tsx';
import { Kpis } from './kpis.tsx';
import { messages } from './messages.ts';
import type { OverviewData } from './types.ts';

const ZONE = /^[A-Za-z][A-Za-z0-9_+\-/]*$/;

/** The zone of the link, else the browser's: its days are the days the user means. */
function zoneOf(query: URLSearchParams): string {
  const asked = query.get('tz');
  return asked && ZONE.test(asked) ? asked : Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

const isEmpty = (o: OverviewData) =>
  o.current.totals.sessions === 0 && o.current.totals.orders === 0 && (o.current.funnel[0]?.visitors ?? 0) === 0;

function FunnelSection({ o }: { o: OverviewData }) {
  const t = useMessages(messages);
  const overall = (funnel: OverviewData['current']['funnel']) => funnel.at(-1)?.fromFirst ?? null;
  const now = overall(o.current.funnel);
  const before = overall(o.previous.funnel);
  return (
    <section class="card overview-section" aria-labelledby="overview-funnel">
      <h3 id="overview-funnel">{t.funnel}</h3>
      <Funnel
        caption={t.funnelHelp}
        steps={o.current.funnel.map((s) => ({ label: t.steps[s.event], value: s.visitors }))}
        formatShare={(share) => formatPercent(share)}
      />
      {now !== null && <p>{t.funnelOverall(formatPercent(now))}</p>}
      {before !== null && <p class="hint">{t.funnelPrevious(formatPercent(before))}</p>}
    </section>
  );
}

function DailyCharts({ o }: { o: OverviewData }) {
  const t = useMessages(messages);
  const points = (value: (d: OverviewData['days'][number]) => number) =>
    o.days.map((d) => ({ label: formatDate(d.day), value: value(d) }));
  return (
    <section class="card overview-section" aria-labelledby="overview-days">
      <h3 id="overview-days">{t.perDay}</h3>
      <div class="overview-charts">
        <LineChart caption={t.visitorsPerDay} points={points((d) => d.visitors)} />
        <BarChart caption={t.ordersPerDay} points={points((d) => d.orders)} />
        {/* Whole units: cents would not fit the axis; the cards above give the exact amounts. */}
        <LineChart
          caption={o.currency ? t.revenuePerDayIn(o.currency) : t.revenuePerDay}
          points={points((d) => Number(d.revenue))}
          format={(v) => formatNumber(v)}
        />
      </div>
    </section>
  );
}

export default function OverviewPage({ query }: PageProps) {
  const t = useMessages(messages);
  const { api, navigate } = useDashboard();
  const range = rangeFromQuery(query);
  const tz = zoneOf(query);
  const load = useLoad(
    () => call(api.api.overview.$get({ query: { from: range.from, to: range.to, tz } })),
    [range.from, range.to, tz],
  );
  const show = (r: DayRange) => navigate(`/?${new URLSearchParams({ from: r.from, to: r.to, tz })}`, { replace: true });
  return (
    <div class="overview" aria-busy={load.loading}>
      <PageHeader title={t.title}>
        <DateRange value={range} onChange={show} />
      </PageHeader>
      <Loaded load={load}>
        {(o) => (
          <>
            <p class="hint">
              {t.period(formatDate(o.current.from), formatDate(o.current.to), o.timeZone)}{' '}
              {t.comparedWith(formatDate(o.previous.from), formatDate(o.previous.to))}
            </p>
            {isEmpty(o) ? (
              <Empty>{t.empty}</Empty>
            ) : (
              <>
                <Kpis now={o.current.totals} before={o.previous.totals} currency={o.currency} />
                <FunnelSection o={o} />
                <DailyCharts o={o} />
              </>
            )}
          </>
        )}
      </Loaded>
    </div>
  );
}
