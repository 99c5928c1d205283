// Clicks by element: the most clicked selectors with their share of the page's clicks, and the rage-clicked ones.
import { formatNumber, formatPercent } from '../../i18n/format.ts';
import { useMessages } from '../../i18n/index.ts';
import { Empty } from '../../ui/notice.tsx';
import { type Column, DataTable } from '../../ui/table.tsx';
import { messages } from './messages.ts';

export interface SelectorCount {
  selector: string;
  clicks: number;
  rage: number;
}

const selectorCell = (row: SelectorCount) => <code class="heat-selector">{row.selector}</code>;

export function TopElements({ rows, total }: { rows: readonly SelectorCount[]; total: number }) {
  const t = useMessages(messages);
  const columns: Column<SelectorCount>[] = [
    { label: t.element, cell: selectorCell },
    { label: t.clicks, cell: (r) => formatNumber(r.clicks), numeric: true },
    { label: t.share, cell: (r) => (total > 0 ? formatPercent(r.clicks / total) : '–'), numeric: true },
    { label: t.rage, cell: (r) => formatNumber(r.rage), numeric: true },
  ];
  return rows.length === 0 ? (
    <Empty />
  ) : (
    <DataTable caption={t.topElements} columns={columns} rows={rows} rowKey={(r) => r.selector} />
  );
}

export function RageClicks({ rows }: { rows: readonly SelectorCount[] }) {
  const t = useMessages(messages);
  const raged = rows.filter((r) => r.rage > 0);
  const columns: Column<SelectorCount>[] = [
    { label: t.element, cell: selectorCell },
    { label: t.rage, cell: (r) => formatNumber(r.rage), numeric: true },
    { label: t.clicks, cell: (r) => formatNumber(r.clicks), numeric: true },
  ];
  return raged.length === 0 ? (
    <Empty>{t.noRage}</Empty>
  ) : (
    <DataTable caption={t.rageClicks} columns={columns} rows={raged} rowKey={(r) => r.selector} />
  );
}
