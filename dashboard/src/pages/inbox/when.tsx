// When something happened, as an inbox shows it: today's as a clock time, older ones as a date; both in full on hover.
import { formatDate, formatDateTime } from '../../i18n/format.ts';
import { type Locale, locale } from '../../i18n/index.ts';

const clocks = new Map<Locale, Intl.DateTimeFormat>();

function clock(lang: Locale): Intl.DateTimeFormat {
  const format = clocks.get(lang) ?? new Intl.DateTimeFormat(lang, { timeStyle: 'short' });
  clocks.set(lang, format);
  return format;
}

export function When({ at, now = new Date() }: { at: string; now?: Date }) {
  const date = new Date(at);
  const today = date.toDateString() === now.toDateString();
  return (
    <time dateTime={at} title={formatDateTime(at)}>
      {today ? clock(locale.value).format(date) : formatDate(at)}
    </time>
  );
}
