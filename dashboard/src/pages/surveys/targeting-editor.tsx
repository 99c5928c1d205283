// Who sees a survey and where: path patterns, an event done (with conditions on its properties), a segment,
// the delay, the share of visitors, and how often one visitor may see it.
import type { FilterOperator } from '@fideliza/server/protocol';
import { useMessages } from '../../i18n/index.ts';
import { Field } from '../../ui/field.tsx';
import { type Draft, type FilterDraft, newFilter, type ValueType } from './draft.ts';
import { messages } from './messages.ts';
import { NumberField } from './number-field.tsx';
import type { ErrorAt } from './question-editor.tsx';

const OPERATORS: readonly FilterOperator[] = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'contains'];
const VALUE_TYPES: readonly ValueType[] = ['text', 'number', 'boolean'];
/** Offered while typing an event name: Segment's e-commerce names, which the shop most likely sends. */
const KNOWN_EVENTS = [
  'Product Viewed',
  'Product Added',
  'Cart Viewed',
  'Checkout Started',
  'Order Completed',
  'Order Refunded',
];

export interface SegmentOption {
  id: string;
  name: string;
}

interface Props {
  draft: Draft;
  segments: SegmentOption[] | undefined;
  errorAt: ErrorAt;
  onChange: (patch: Partial<Draft>) => void;
}

function FilterRow({
  filter,
  index,
  errorAt,
  onChange,
  onRemove,
}: {
  filter: FilterDraft;
  index: number;
  errorAt: ErrorAt;
  onChange: (f: FilterDraft) => void;
  onRemove: () => void;
}) {
  const t = useMessages(messages);
  const set = (patch: Partial<FilterDraft>) => onChange({ ...filter, ...patch });
  const at = (field: string) => errorAt(`targeting.event.filters.${index}.${field}`);
  const name = t.filterN(index + 1);
  return (
    <fieldset class="survey-row survey-filter">
      <legend class="visually-hidden">{name}</legend>
      <span class="survey-row-name" aria-hidden="true">
        {name}
      </span>
      <Field label={t.property} hint={index === 0 ? t.propertyHint : undefined} error={at('property')}>
        {(ids) => <input {...ids} value={filter.property} onInput={(e) => set({ property: e.currentTarget.value })} />}
      </Field>
      <Field label={t.operator} error={at('op')}>
        {(ids) => (
          <select {...ids} value={filter.op} onChange={(e) => set({ op: e.currentTarget.value as FilterOperator })}>
            {OPERATORS.map((op) => (
              <option key={op} value={op}>
                {t.operators[op]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t.valueType}>
        {(ids) => (
          <select
            {...ids}
            value={filter.type}
            onChange={(e) => {
              const type = e.currentTarget.value as ValueType;
              set({ type, value: type === 'boolean' ? 'true' : filter.value });
            }}
          >
            {VALUE_TYPES.map((v) => (
              <option key={v} value={v}>
                {t.types[v]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t.value} error={at('value')}>
        {(ids) =>
          filter.type === 'boolean' ? (
            <select {...ids} value={filter.value} onChange={(e) => set({ value: e.currentTarget.value })}>
              <option value="true">{t.yes}</option>
              <option value="false">{t.no}</option>
            </select>
          ) : filter.type === 'number' ? (
            <input
              {...ids}
              type="number"
              step="any"
              value={filter.value}
              onInput={(e) => set({ value: e.currentTarget.value })}
            />
          ) : (
            <input {...ids} value={filter.value} onInput={(e) => set({ value: e.currentTarget.value })} />
          )
        }
      </Field>
      <button type="button" class="survey-remove" aria-label={`${t.remove}: ${name}`} onClick={onRemove}>
        {t.remove}
      </button>
    </fieldset>
  );
}

export function TargetingEditor({ draft, segments, errorAt, onChange }: Props) {
  const t = useMessages(messages);
  const segmentKnown = !draft.segmentId || segments?.some((s) => s.id === draft.segmentId);
  return (
    <>
      <fieldset class="card survey-section">
        <legend>{t.targeting}</legend>
        <div class="survey-columns">
          <Field label={t.urls} hint={t.urlsHint} error={errorAt('targeting.urls', true)}>
            {(ids) => (
              <textarea
                {...ids}
                rows={3}
                value={draft.urls}
                onInput={(e) => onChange({ urls: e.currentTarget.value })}
              />
            )}
          </Field>
          <Field label={t.excludeUrls} hint={t.excludeUrlsHint} error={errorAt('targeting.excludeUrls', true)}>
            {(ids) => (
              <textarea
                {...ids}
                rows={3}
                value={draft.excludeUrls}
                onInput={(e) => onChange({ excludeUrls: e.currentTarget.value })}
              />
            )}
          </Field>
        </div>

        <label class="survey-check">
          <input
            type="checkbox"
            checked={draft.byEvent}
            onChange={(e) => onChange({ byEvent: e.currentTarget.checked })}
          />{' '}
          {t.byEvent}
        </label>
        {draft.byEvent && (
          <div class="survey-event">
            <div class="survey-row">
              <Field label={t.eventName} error={errorAt('targeting.event.name')}>
                {(ids) => (
                  <>
                    <input
                      {...ids}
                      list="survey-known-events"
                      value={draft.eventName}
                      onInput={(e) => onChange({ eventName: e.currentTarget.value })}
                    />
                    <datalist id="survey-known-events">
                      {KNOWN_EVENTS.map((e) => (
                        <option key={e} value={e} />
                      ))}
                    </datalist>
                  </>
                )}
              </Field>
              <NumberField
                label={t.withinDays}
                error={errorAt('targeting.event.withinDays')}
                min={1}
                max={3650}
                value={draft.withinDays}
                onInput={(v) => onChange({ withinDays: v })}
              />
            </div>
            {draft.filters.map((f, i) => (
              <FilterRow
                key={f.key}
                filter={f}
                index={i}
                errorAt={errorAt}
                onChange={(next) => onChange({ filters: draft.filters.map((x, k) => (k === i ? next : x)) })}
                onRemove={() => onChange({ filters: draft.filters.filter((_, k) => k !== i) })}
              />
            ))}
            <button type="button" onClick={() => onChange({ filters: [...draft.filters, newFilter()] })}>
              {t.addFilter}
            </button>
          </div>
        )}

        <div class="survey-row">
          <Field
            label={t.segment}
            hint={segments === undefined ? t.segmentsUnavailable : undefined}
            error={errorAt('targeting.segmentId')}
          >
            {(ids) => (
              <select {...ids} value={draft.segmentId} onChange={(e) => onChange({ segmentId: e.currentTarget.value })}>
                <option value="">{t.everyone}</option>
                {!segmentKnown && <option value={draft.segmentId}>{draft.segmentId}</option>}
                {segments?.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <NumberField
            label={t.delay}
            error={errorAt('targeting.delaySeconds')}
            min={0}
            max={3600}
            value={draft.delaySeconds}
            onInput={(v) => onChange({ delaySeconds: v })}
          />
          <NumberField
            label={t.share}
            hint={t.shareHint}
            error={errorAt('targeting.sharePercent')}
            min={0}
            max={100}
            step="any"
            value={draft.sharePercent}
            onInput={(v) => onChange({ sharePercent: v })}
          />
        </div>
      </fieldset>

      <fieldset class="card survey-section">
        <legend>{t.frequency}</legend>
        <label class="survey-check">
          <input
            type="radio"
            name="survey-frequency"
            checked={draft.frequency === 'once'}
            onChange={() => onChange({ frequency: 'once' })}
          />{' '}
          {t.once}
        </label>
        <label class="survey-check">
          <input
            type="radio"
            name="survey-frequency"
            checked={draft.frequency === 'every'}
            onChange={() => onChange({ frequency: 'every' })}
          />{' '}
          {t.every}
        </label>
        {draft.frequency === 'every' && (
          <NumberField
            label={t.everyDays}
            error={errorAt('frequency.days')}
            min={1}
            max={3650}
            value={draft.everyDays}
            onInput={(v) => onChange({ everyDays: v })}
          />
        )}
      </fieldset>
    </>
  );
}
