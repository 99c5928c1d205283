// A date range as two calendar days (YYYY-MM-DD, inclusive), with presets for the usual look-backs.
import { useId } from 'preact/hooks';
import { useMessages } from '../i18n/index.ts';
import { messages } from './messages.ts';

export interface DayRange {
  from: string;
  to: string;
}

const PRESETS = [7, 30, 90] as const;

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/** The last `days` days up to and including `today` (UTC calendar days). */
export function lastDays(days: number, today = new Date()): DayRange {
  const to = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()));
  const from = new Date(to.getTime() - (days - 1) * 86_400_000);
  return { from: isoDay(from), to: isoDay(to) };
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The range in a URL query (`from`, `to`), or the last `fallbackDays` days when absent or malformed. */
export function rangeFromQuery(query: URLSearchParams, fallbackDays = 30, today = new Date()): DayRange {
  const from = query.get('from') ?? '';
  const to = query.get('to') ?? '';
  return DAY.test(from) && DAY.test(to) && from <= to ? { from, to } : lastDays(fallbackDays, today);
}

export function DateRange({
  value,
  onChange,
  today = new Date(),
}: {
  value: DayRange;
  onChange: (range: DayRange) => void;
  today?: Date;
}) {
  const t = useMessages(messages);
  const id = useId();
  const preset = PRESETS.find((n) => {
    const r = lastDays(n, today);
    return r.from === value.from && r.to === value.to;
  });
  return (
    <fieldset class="date-range">
      <legend class="visually-hidden">{t.range}</legend>
      <div class="segmented">
        {PRESETS.map((n) => (
          <button key={n} type="button" aria-pressed={preset === n} onClick={() => onChange(lastDays(n, today))}>
            {t.lastDays(n)}
          </button>
        ))}
      </div>
      <label for={`${id}-from`}>{t.from}</label>
      <input
        id={`${id}-from`}
        type="date"
        value={value.from}
        max={value.to}
        onChange={(e) => {
          const from = e.currentTarget.value;
          if (DAY.test(from) && from <= value.to) onChange({ ...value, from });
        }}
      />
      <label for={`${id}-to`}>{t.to}</label>
      <input
        id={`${id}-to`}
        type="date"
        value={value.to}
        min={value.from}
        onChange={(e) => {
          const to = e.currentTarget.value;
          if (DAY.test(to) && to >= value.from) onChange({ ...value, to });
        }}
      />
    </fieldset>
  );
}
