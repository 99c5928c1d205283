// The scroll-depth curve: the share of page views that reached each depth of the page, with the gist in words.
import { formatNumber, formatPercent } from '../../i18n/format.ts';
import { useMessages } from '../../i18n/index.ts';
import { LineChart } from '../../ui/charts.tsx';
import { Empty } from '../../ui/notice.tsx';
import { messages } from './messages.ts';

export interface ScrollDistribution {
  views: number;
  buckets: { depth: number; views: number; reach: number }[];
}

/** The deepest point at least half of the views reached (0 when none), and the share that reached the end. */
export function scrollGist(d: ScrollDistribution): { half: number; bottom: number } {
  const half = d.buckets.reduce((deepest, b) => (b.reach >= 0.5 ? Math.max(deepest, b.depth) : deepest), 0);
  return { half, bottom: d.buckets.find((b) => b.depth === 100)?.reach ?? 0 };
}

export function ScrollCurve({ data }: { data: ScrollDistribution }) {
  const t = useMessages(messages);
  if (data.views === 0) return <Empty>{t.noScroll}</Empty>;
  const { half, bottom } = scrollGist(data);
  return (
    <>
      <p>{t.scrollSummary(t.depth(half), formatPercent(bottom, 0))}</p>
      <LineChart
        caption={t.scrollCaption(formatNumber(data.views))}
        points={data.buckets.map((b) => ({ label: t.depth(b.depth), value: b.reach }))}
        format={(v) => formatPercent(v, 0)}
      />
    </>
  );
}
