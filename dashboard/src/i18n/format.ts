// Numbers, money, percentages and dates in the dashboard's language (Intl, cached per locale and style).
import { type Locale, locale } from './index.ts';

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

function numberFormat(key: string, options: Intl.NumberFormatOptions, lang: Locale): Intl.NumberFormat {
  const id = `${lang}\0n\0${key}`;
  const format = (cache.get(id) as Intl.NumberFormat | undefined) ?? new Intl.NumberFormat(lang, options);
  cache.set(id, format);
  return format;
}

function dateFormat(key: string, options: Intl.DateTimeFormatOptions, lang: Locale): Intl.DateTimeFormat {
  const id = `${lang}\0d\0${key}`;
  const format = (cache.get(id) as Intl.DateTimeFormat | undefined) ?? new Intl.DateTimeFormat(lang, options);
  cache.set(id, format);
  return format;
}

/** Accepts the server's decimals as strings (money columns) as well as numbers. */
const toNumber = (value: number | string) => (typeof value === 'number' ? value : Number(value));

export function formatNumber(value: number | string, maximumFractionDigits = 0, lang = locale.value): string {
  return numberFormat(`n${maximumFractionDigits}`, { maximumFractionDigits }, lang).format(toNumber(value));
}

/** `currency` is an ISO 4217 code; an unknown or missing one prints the amount with two decimals. */
export function formatMoney(value: number | string, currency: string | null | undefined, lang = locale.value): string {
  if (currency && /^[A-Z]{3}$/.test(currency)) {
    return numberFormat(`c${currency}`, { style: 'currency', currency }, lang).format(toNumber(value));
  }
  return numberFormat('m', { minimumFractionDigits: 2, maximumFractionDigits: 2 }, lang).format(toNumber(value));
}

/** `ratio` is a fraction (0.25 → 25 %). */
export function formatPercent(ratio: number, maximumFractionDigits = 1, lang = locale.value): string {
  return numberFormat(`p${maximumFractionDigits}`, { style: 'percent', maximumFractionDigits }, lang).format(ratio);
}

/** A day (`2026-11-23`, read as that calendar day, not shifted by time zone) or an instant. */
export function formatDate(value: string | Date, lang = locale.value): string {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    return dateFormat('day', { dateStyle: 'medium', timeZone: 'UTC' }, lang).format(new Date(`${value}T00:00:00Z`));
  }
  return dateFormat('day-local', { dateStyle: 'medium' }, lang).format(new Date(value));
}

export function formatDateTime(value: string | Date, lang = locale.value): string {
  return dateFormat('dt', { dateStyle: 'medium', timeStyle: 'short' }, lang).format(new Date(value));
}
