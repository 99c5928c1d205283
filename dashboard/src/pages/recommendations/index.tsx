// The recommendations page: what followed the recommendations the shop showed, and the association rules they
// come from. Every choice lives in the query string, so a link or a reload shows the same view.
import { type PageProps, useDashboard } from '../../context.ts';
import { useMessages } from '../../i18n/index.ts';
import { rangeFromQuery } from '../../ui/date-range.tsx';
import { PageHeader } from '../../ui/page-header.tsx';
import { messages } from './messages.ts';
import { OUTCOME_SORTS, type OutcomeSort, OutcomesPanel, type OutcomesView, WINDOWS } from './outcomes.tsx';
import { type RulesFilter, RulesPanel, rulesFilterOf, rulesQueryOf } from './rules.tsx';
import './recommendations.css';

function outcomesViewOf(query: URLSearchParams): OutcomesView {
  const windowDays = Number(query.get('window'));
  const sort = query.get('by') as OutcomeSort;
  return {
    range: rangeFromQuery(query),
    windowDays: (WINDOWS as readonly number[]).includes(windowDays) ? windowDays : 7,
    sort: OUTCOME_SORTS.includes(sort) ? sort : 'impressions',
  };
}

export default function RecommendationsPage({ query }: PageProps) {
  const t = useMessages(messages);
  const { navigate } = useDashboard();
  const outcomes = outcomesViewOf(query);
  const rules = rulesFilterOf(query);
  const show = (o: OutcomesView, r: RulesFilter) => {
    const params = new URLSearchParams({
      from: o.range.from,
      to: o.range.to,
      window: String(o.windowDays),
      by: o.sort,
      ...rulesQueryOf(r),
    });
    navigate(`/recommendations?${params}`, { replace: true });
  };
  return (
    <>
      <PageHeader title={t.title} />
      <OutcomesPanel view={outcomes} onChange={(o) => show(o, rules)} />
      <RulesPanel filter={rules} onChange={(r) => show(outcomes, r)} />
    </>
  );
}
