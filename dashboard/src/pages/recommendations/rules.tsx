// Association rules of the shop's baskets: thresholds as a form, the server's page of rules in a sortable table.
import { call } from '../../api.ts';
import { useDashboard } from '../../context.ts';
import { formatNumber, formatPercent } from '../../i18n/format.ts';
import { useMessages } from '../../i18n/index.ts';
import { Field } from '../../ui/field.tsx';
import { useLoad } from '../../ui/load.ts';
import { messages as uiMessages } from '../../ui/messages.ts';
import { Empty, Loaded } from '../../ui/notice.tsx';
import { DataTable } from '../../ui/table.tsx';
import { messages } from './messages.ts';

export type RuleSort = 'lift' | 'confidence' | 'support';

export interface RulesFilter {
  /** Fractions, as the API takes them. */
  minSupport: number;
  minConfidence: number;
  minLift: number;
  /** Items in a rule: 2 reads the stored pairs, more mines the baskets. */
  maxLen: number;
  sort: RuleSort;
  offset: number;
}

export const PAGE_SIZE = 25;
const SORTS: readonly RuleSort[] = ['lift', 'confidence', 'support'];

const number = (raw: string | null, fallback: number, min: number, max: number) => {
  const n = raw === null || raw === '' ? Number.NaN : Number(raw);
  return Number.isFinite(n) && n >= min && n <= max ? n : fallback;
};

/** The filter in the page's query string (`minSupport`, `minConfidence`, `minLift`, `maxLen`, `sort`, `offset`). */
export function rulesFilterOf(query: URLSearchParams): RulesFilter {
  const sort = query.get('sort') as RuleSort;
  return {
    minSupport: number(query.get('minSupport'), 0.001, 0.000001, 1),
    minConfidence: number(query.get('minConfidence'), 0.1, 0, 1),
    minLift: number(query.get('minLift'), 0, 0, 1e6),
    maxLen: Math.round(number(query.get('maxLen'), 2, 2, 4)),
    sort: SORTS.includes(sort) ? sort : 'lift',
    offset: Math.round(number(query.get('offset'), 0, 0, 100_000)),
  };
}

export function rulesQueryOf(f: RulesFilter): Record<string, string> {
  return {
    minSupport: String(f.minSupport),
    minConfidence: String(f.minConfidence),
    minLift: String(f.minLift),
    maxLen: String(f.maxLen),
    sort: f.sort,
    offset: String(f.offset),
  };
}

/** Percent in a form field ↔ the fraction the API takes (rounded so 0.1 % does not come back as 0.1000000001). */
const toPercentText = (fraction: number) => String(Number((fraction * 100).toPrecision(6)));

/** Uncontrolled fields read on submit: the form is remounted (keyed) whenever the applied filter changes. */
function Filters({ filter, onChange }: { filter: RulesFilter; onChange: (f: RulesFilter) => void }) {
  const t = useMessages(messages);
  return (
    <form
      class="rec-filters"
      aria-label={t.filters}
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        const field = (name: string) => String(data.get(name) ?? '');
        onChange({
          ...filter,
          minSupport: number(field('minSupport'), filter.minSupport * 100, 0.0001, 100) / 100,
          minConfidence: number(field('minConfidence'), filter.minConfidence * 100, 0, 100) / 100,
          minLift: number(field('minLift'), filter.minLift, 0, 1e6),
          maxLen: Math.round(number(field('maxLen'), filter.maxLen, 2, 4)),
          offset: 0,
        });
      }}
    >
      <Field label={t.minSupport} hint={t.supportHelp}>
        {(ids) => (
          <input
            {...ids}
            name="minSupport"
            type="number"
            min="0.0001"
            max="100"
            step="any"
            defaultValue={toPercentText(filter.minSupport)}
          />
        )}
      </Field>
      <Field label={t.minConfidence} hint={t.confidenceHelp}>
        {(ids) => (
          <input
            {...ids}
            name="minConfidence"
            type="number"
            min="0"
            max="100"
            step="any"
            defaultValue={toPercentText(filter.minConfidence)}
          />
        )}
      </Field>
      <Field label={t.minLift} hint={t.liftHelp}>
        {(ids) => (
          <input {...ids} name="minLift" type="number" min="0" step="any" defaultValue={String(filter.minLift)} />
        )}
      </Field>
      <Field label={t.leftSide}>
        {(ids) => (
          <select {...ids} name="maxLen">
            {[2, 3, 4].map((n) => (
              <option key={n} value={String(n)} selected={filter.maxLen === n}>
                {n === 2 ? t.leftOne : t.leftUpTo(n - 1)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <button type="submit" class="primary">
        {t.apply}
      </button>
    </form>
  );
}

export function RulesPanel({ filter, onChange }: { filter: RulesFilter; onChange: (f: RulesFilter) => void }) {
  const t = useMessages(messages);
  const { api } = useDashboard();
  const query = rulesQueryOf(filter);
  const load = useLoad(
    () => call(api.api.recommendations.rules.$get({ query: { ...query, limit: String(PAGE_SIZE) } })),
    [JSON.stringify(query)],
  );
  const sortBy = (sort: RuleSort) => ({
    active: filter.sort === sort,
    onSort: () => onChange({ ...filter, sort, offset: 0 }),
  });
  return (
    <section class="card rec-section" aria-labelledby="rules-title">
      <h3 id="rules-title">{t.rules}</h3>
      <p class="hint">{t.rulesHelp}</p>
      {/* Keyed by the filter, so going back in history shows that filter's values. */}
      <Filters key={JSON.stringify(query)} filter={filter} onChange={onChange} />
      <Loaded load={load}>
        {(answer) => {
          const name = (id: string) => answer.names[id] ?? id;
          const last = Math.min(filter.offset + answer.rules.length, answer.total);
          return (
            <>
              <p class="hint">
                {t.fromBaskets(formatNumber(answer.baskets))}{' '}
                {answer.storedMinSupport !== null &&
                  filter.minSupport < answer.storedMinSupport &&
                  t.belowStored(formatPercent(answer.storedMinSupport, 3))}
              </p>
              {answer.rules.length === 0 ? (
                <Empty>{t.noRules}</Empty>
              ) : (
                <>
                  <DataTable
                    caption={t.rulesCaption}
                    rows={answer.rules}
                    rowKey={(r) => `${r.lhs.join('\u0000')}\u0001${r.rhs}`}
                    columns={[
                      { label: t.ifBought, cell: (r) => r.lhs.map(name).join(' + ') },
                      { label: t.thenBought, cell: (r) => name(r.rhs) },
                      { label: t.baskets, numeric: true, cell: (r) => formatNumber(r.count) },
                      {
                        label: t.support,
                        numeric: true,
                        cell: (r) => formatPercent(r.support, 2),
                        sort: sortBy('support'),
                      },
                      {
                        label: t.confidence,
                        numeric: true,
                        cell: (r) => formatPercent(r.confidence, 1),
                        sort: sortBy('confidence'),
                      },
                      { label: t.lift, numeric: true, cell: (r) => formatNumber(r.lift, 2), sort: sortBy('lift') },
                    ]}
                  />
                  <OffsetPager
                    label={t.range(formatNumber(filter.offset + 1), formatNumber(last), formatNumber(answer.total))}
                    previous={
                      filter.offset > 0
                        ? () => onChange({ ...filter, offset: Math.max(0, filter.offset - PAGE_SIZE) })
                        : undefined
                    }
                    next={
                      last < answer.total ? () => onChange({ ...filter, offset: filter.offset + PAGE_SIZE }) : undefined
                    }
                  />
                </>
              )}
            </>
          );
        }}
      </Loaded>
    </section>
  );
}

function OffsetPager({ label, previous, next }: { label: string; previous?: () => void; next?: () => void }) {
  const t = useMessages(uiMessages);
  return (
    <nav class="pager" aria-label={t.pages}>
      <button type="button" disabled={!previous} onClick={previous}>
        {t.previous}
      </button>
      <span aria-live="polite">{label}</span>
      <button type="button" disabled={!next} onClick={next}>
        {t.next}
      </button>
    </nav>
  );
}
