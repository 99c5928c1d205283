// The controls of one condition, per rule type; every choice (fields, operators, values) comes from the server's
// catalog, so a field or operator the server adds shows up here (named by its id until it gets a translation).
import type { WireClassField, WireLeafType, WireSegmentCatalog } from '@fideliza/server/protocol';
import { classificationNames } from '../../i18n/classification.ts';
import { useMessages } from '../../i18n/index.ts';
import { Choice, TextInput } from './controls.tsx';
import { messages, type SegmentsMessages } from './messages.ts';
import { ParamsEditor } from './params-editor.tsx';
import {
  type ConditionForm,
  type CounterMode,
  type LeafForm,
  type PropertyFilterForm,
  takesValue,
  type ValueKind,
} from './rule-form.ts';

/** The datalists of names seen on the site (rendered once by the builder). */
export const SUGGESTIONS = { traits: 'segment-traits', events: 'segment-events', paths: 'segment-paths' } as const;

const name = (labels: Record<string, string>, id: string) => labels[id] ?? id;

const VALUE_KINDS: ValueKind[] = ['text', 'number', 'boolean'];

/** Operator, value and the value's type: trait conditions and event-property filters share it. */
function ConditionControls<C extends ConditionForm>({
  condition,
  operators,
  onChange,
}: {
  condition: C;
  operators: ConditionForm['op'][];
  onChange: (c: C) => void;
}) {
  const t = useMessages(messages);
  const kinds = condition.op === 'starts_with' ? (['text'] as ValueKind[]) : VALUE_KINDS;
  return (
    <>
      <Choice
        label={t.operator}
        value={condition.op}
        options={operators}
        text={(o) => name(t.operators, o)}
        onChange={(op) => onChange({ ...condition, op })}
      />
      {takesValue(condition.op) && (
        <>
          {condition.valueKind === 'boolean' ? (
            <Choice
              label={t.value}
              value={condition.value === 'true' ? 'true' : 'false'}
              options={['true', 'false']}
              text={(v) => (v === 'true' ? t.yes : t.no)}
              onChange={(value) => onChange({ ...condition, value })}
            />
          ) : (
            <TextInput
              label={t.value}
              type={condition.valueKind === 'number' ? 'number' : 'text'}
              value={condition.value}
              onInput={(value) => onChange({ ...condition, value })}
            />
          )}
          <Choice
            label={t.valueKind}
            value={condition.valueKind}
            options={kinds}
            text={(k) => name(t.valueKinds, k)}
            onChange={(valueKind) =>
              onChange({ ...condition, valueKind, value: valueKind === 'boolean' ? 'true' : condition.value })
            }
          />
        </>
      )}
    </>
  );
}

function PropertyFilters({
  filters,
  operators,
  max,
  onChange,
}: {
  filters: PropertyFilterForm[];
  operators: ConditionForm['op'][];
  max: number;
  onChange: (filters: PropertyFilterForm[]) => void;
}) {
  const t = useMessages(messages);
  const set = (i: number, f: PropertyFilterForm) => onChange(filters.map((x, j) => (j === i ? f : x)));
  return (
    <div class="filters">
      {filters.map((f, i) => (
        <fieldset class="filter" key={i}>
          <legend class="filter-where">{`${t.where} (${i + 1})`}</legend>
          <TextInput label={t.property} value={f.property} onInput={(property) => set(i, { ...f, property })} />
          <ConditionControls condition={f} operators={operators} onChange={(c) => set(i, c)} />
          <button type="button" class="link-button" onClick={() => onChange(filters.filter((_, j) => j !== i))}>
            {t.removeFilter(i + 1)}
          </button>
        </fieldset>
      ))}
      {filters.length < max && (
        <button
          type="button"
          class="link-button"
          onClick={() => onChange([...filters, { property: '', op: 'eq', value: '', valueKind: 'text' }])}
        >
          {t.addFilter}
        </button>
      )}
    </div>
  );
}

type Of<T extends LeafForm['type']> = Extract<LeafForm, { type: T }>;
type TypeOf<T extends WireLeafType['type']> = Extract<WireLeafType, { type: T }>;

function classValueControl(
  t: SegmentsMessages,
  classNames: Record<string, string>,
  field: WireClassField,
  value: Of<'class'>['value'],
  onChange: (value: Of<'class'>['value']) => void,
) {
  const v = field.values;
  if (v.kind === 'names')
    return (
      <Choice
        label={t.value}
        value={String(value)}
        options={v.names}
        text={(n) => name(classNames, n)}
        onChange={onChange}
      />
    );
  if (v.kind === 'boolean')
    return (
      <Choice
        label={t.value}
        value={value === true ? 'true' : 'false'}
        options={['true', 'false']}
        text={(b) => (b === 'true' ? t.yes : t.no)}
        onChange={(b) => onChange(b === 'true')}
      />
    );
  const scores = Array.from({ length: v.max - v.min + 1 }, (_, i) => v.min + i);
  return <Choice label={t.value} value={Number(value)} options={scores} text={(s) => String(s)} onChange={onChange} />;
}

/** The first value a class field takes, for when the field changes. */
function firstValue(field: WireClassField): Of<'class'>['value'] {
  const v = field.values;
  return v.kind === 'names' ? (v.names[0] ?? '') : v.kind === 'boolean' ? true : v.max;
}

export function LeafControls({
  leaf,
  catalog,
  onChange,
}: {
  leaf: LeafForm;
  catalog: WireSegmentCatalog;
  onChange: (leaf: LeafForm) => void;
}) {
  const t = useMessages(messages);
  const classNames = useMessages(classificationNames);
  const typeOf = <T extends WireLeafType['type']>(type: T) =>
    catalog.leaves.find((l) => l.type === type) as TypeOf<T> | undefined;

  switch (leaf.type) {
    case 'trait': {
      const type = typeOf('trait');
      return (
        <>
          <TextInput
            label={t.traitKey}
            value={leaf.key}
            list={SUGGESTIONS.traits}
            onInput={(key) => onChange({ ...leaf, key })}
          />
          <ConditionControls condition={leaf} operators={type?.operators ?? [leaf.op]} onChange={onChange} />
        </>
      );
    }
    case 'counter': {
      const type = typeOf('counter');
      const fields = [...(type?.numberFields ?? []), ...(type?.dateFields ?? [])];
      const isDate = (f: string) => (type?.dateFields as string[] | undefined)?.includes(f) ?? false;
      const modes: CounterMode[] = ['daysAgo', 'at'];
      return (
        <>
          <Choice
            label={t.field}
            value={leaf.field}
            options={fields.length ? fields : [leaf.field]}
            text={(f) => name(t.counterFields, f)}
            onChange={(field) => {
              // Switching between a number and a date field changes what the value means: start it afresh.
              if (isDate(field) === isDate(leaf.field)) onChange({ ...leaf, field });
              else
                onChange({
                  ...leaf,
                  field,
                  ...(isDate(field) ? { mode: 'daysAgo', value: '30' } : { mode: 'number', value: '1' }),
                });
            }}
          />
          <Choice
            label={t.operator}
            value={leaf.op}
            options={type?.operators ?? [leaf.op]}
            text={(o) => name(leaf.mode === 'number' ? t.operators : t.dateOperators, o)}
            onChange={(op) => onChange({ ...leaf, op })}
          />
          {leaf.mode !== 'number' && (
            <Choice
              label={t.dateMode}
              value={leaf.mode}
              options={modes}
              text={(m) => name(t.dateModes, m)}
              onChange={(mode) => onChange({ ...leaf, mode, value: mode === 'daysAgo' ? '30' : '' })}
            />
          )}
          {leaf.mode === 'at' ? (
            <TextInput
              label={t.date}
              type="date"
              value={leaf.value.slice(0, 10)}
              onInput={(day) => onChange({ ...leaf, value: day ? `${day}T00:00:00Z` : '' })}
            />
          ) : (
            <TextInput
              label={leaf.mode === 'daysAgo' ? t.daysAgo : t.value}
              type="number"
              value={leaf.value}
              onInput={(value) => onChange({ ...leaf, value })}
            />
          )}
        </>
      );
    }
    case 'class': {
      const fields = typeOf('class')?.fields ?? [];
      const field = fields.find((f) => f.field === leaf.field);
      return (
        <>
          <Choice
            label={t.field}
            value={leaf.field}
            options={fields.map((f) => f.field)}
            text={(f) => name(t.classFields, f)}
            onChange={(picked) => {
              const next = fields.find((f) => f.field === picked);
              if (next) onChange({ type: 'class', field: next.field, op: 'eq', value: firstValue(next) });
            }}
          />
          {field && (
            <>
              <Choice
                label={t.operator}
                value={leaf.op}
                options={field.operators}
                text={(o) => name(t.operators, o)}
                onChange={(op) => onChange({ ...leaf, op })}
              />
              {classValueControl(t, classNames, field, leaf.value, (value) => onChange({ ...leaf, value }))}
            </>
          )}
        </>
      );
    }
    case 'did':
    case 'did_not':
      return (
        <>
          <TextInput
            label={t.event}
            value={leaf.event}
            list={SUGGESTIONS.events}
            onInput={(event) => onChange({ ...leaf, event })}
          />
          {leaf.type === 'did' && (
            <TextInput
              label={t.atLeast}
              type="number"
              value={leaf.atLeast}
              onInput={(atLeast) => onChange({ ...leaf, atLeast })}
            />
          )}
          <TextInput
            label={t.withinDays}
            type="number"
            value={leaf.withinDays}
            onInput={(withinDays) => onChange({ ...leaf, withinDays })}
          />
        </>
      );
    case 'visited': {
      const type = typeOf('visited');
      return (
        <>
          <Choice
            label={t.match}
            value={leaf.match}
            options={type?.matches ?? [leaf.match]}
            text={(m) => name(t.matches, m)}
            onChange={(match) => onChange({ ...leaf, match })}
          />
          <TextInput
            label={t.path}
            value={leaf.path}
            list={SUGGESTIONS.paths}
            onInput={(path) => onChange({ ...leaf, path })}
          />
          <TextInput
            label={t.withinDays}
            type="number"
            value={leaf.withinDays}
            onInput={(withinDays) => onChange({ ...leaf, withinDays })}
          />
          {leaf.match === 'glob' && <small class="hint path-hint">{t.pathHint}</small>}
        </>
      );
    }
    case 'ext': {
      const kind = catalog.extensions.find((k) => k.kind === leaf.kind);
      return (
        <ParamsEditor
          schema={kind?.params ?? null}
          params={leaf.params}
          onChange={(params) => onChange({ ...leaf, params })}
        />
      );
    }
  }
}

/** The property filters of an event condition (shown below its row), or nothing for other rule types. */
export function LeafFilters({
  leaf,
  catalog,
  onChange,
}: {
  leaf: LeafForm;
  catalog: WireSegmentCatalog;
  onChange: (leaf: LeafForm) => void;
}) {
  if (leaf.type !== 'did' && leaf.type !== 'did_not') return null;
  const type = catalog.leaves.find((l) => l.type === leaf.type);
  return (
    <PropertyFilters
      filters={leaf.where}
      operators={type && 'operators' in type ? type.operators : ['eq']}
      max={catalog.limits.propertyFilters}
      onChange={(where) => onChange({ ...leaf, where })}
    />
  );
}
