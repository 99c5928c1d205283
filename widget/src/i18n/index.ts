// The widget's dictionary: Spanish or English, picked from the browser's preferred languages unless a locale is given.
import { en } from './en.ts';
import { es } from './es.ts';

/** Every text of the widget; en.ts gives the shape, so a key missing in es.ts fails the type check. */
export type Messages = typeof en;

export type Locale = 'es' | 'en';

export const messages: Record<Locale, Messages> = { es, en };

/** The first of the browser's languages that we speak; English when none is. */
export function pickLocale(languages: readonly string[]): Locale {
  for (const tag of languages) {
    const primary = tag.toLowerCase().split('-')[0];
    if (primary === 'es' || primary === 'en') return primary;
  }
  return 'en';
}

/** The browser's languages, most preferred first (`navigator.languages` can be empty). */
export function browserLanguages(nav: Pick<Navigator, 'language' | 'languages'> = navigator): readonly string[] {
  return nav.languages?.length ? nav.languages : [nav.language];
}

/** Fills `{name}` placeholders. */
export const fill = (text: string, values: Record<string, string | number>) =>
  text.replace(/\{(\w+)\}/g, (whole, key: string) => String(values[key] ?? whole));
