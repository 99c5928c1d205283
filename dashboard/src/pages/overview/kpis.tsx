// The key figures of the period, each with its change on the period before.
import { formatMoney, formatNumber, formatPercent } from '../../i18n/format.ts';
import { useMessages } from '../../i18n/index.ts';
import { messages } from './messages.ts';
import type { OverviewData } from './types.ts';

type Totals = OverviewData['current']['totals'];

/** Relative change; null when the previous period had nothing to compare with. */
export const changeOf = (now: number, before: number): number | null => (before > 0 ? (now - before) / before : null);

function Change({ now, before }: { now: number; before: number }) {
  const t = useMessages(messages);
  const change = changeOf(now, before);
  if (change === null) return <span class="change">{t.noComparison}</span>;
  if (change === 0) return <span class="change">{t.noChange}</span>;
  const up = change > 0;
  return (
    <span class={`change ${up ? 'change-up' : 'change-down'}`}>
      <span aria-hidden="true">{up ? '▲ ' : '▼ '}</span>
      {t.change(`${up ? '+' : ''}${formatPercent(change)}`)}
    </span>
  );
}

function Kpi({
  label,
  value,
  now,
  before,
  help,
}: {
  label: string;
  value: string;
  now: number;
  before: number;
  help?: string;
}) {
  return (
    <div class="card kpi">
      <span class="label">{label}</span>
      <span class="value">{value}</span>
      <Change now={now} before={before} />
      {help && <span class="hint">{help}</span>}
    </div>
  );
}

export function Kpis({ now, before, currency }: { now: Totals; before: Totals; currency: string | null }) {
  const t = useMessages(messages);
  const money = (v: string | null) => (v === null ? '—' : formatMoney(v, currency));
  const count = (key: 'visitors' | 'sessions' | 'pageViews' | 'orders', label: string) => (
    <Kpi label={label} value={formatNumber(now[key])} now={now[key]} before={before[key]} />
  );
  return (
    <section aria-labelledby="overview-figures">
      <h3 id="overview-figures" class="visually-hidden">
        {t.figures}
      </h3>
      <div class="grid overview-kpis">
        {count('visitors', t.visitors)}
        {count('sessions', t.sessions)}
        {count('pageViews', t.pageViews)}
        {count('orders', t.orders)}
        <Kpi
          label={t.revenue}
          value={money(now.revenue)}
          now={Number(now.revenue)}
          before={Number(before.revenue)}
          help={Number(now.refunds) > 0 ? t.revenueHelp(money(now.refunds)) : undefined}
        />
        <Kpi
          label={t.averageOrderValue}
          value={money(now.averageOrderValue)}
          now={Number(now.averageOrderValue ?? 0)}
          before={Number(before.averageOrderValue ?? 0)}
        />
        <Kpi
          label={t.conversionRate}
          value={now.conversionRate === null ? '—' : formatPercent(now.conversionRate)}
          now={now.conversionRate ?? 0}
          before={before.conversionRate ?? 0}
          help={t.conversionHelp}
        />
      </div>
    </section>
  );
}
