// The dashboard's language (Spanish or English): chosen from the browser, switchable, remembered.
// Each area keeps its own texts next to it (`pages/<area>/messages.ts` as `{ en, es }`) and reads them
// with useMessages, so no file holds every string of the product.
import { signal } from '@preact/signals';

export type Locale = 'es' | 'en';
export const locales: readonly Locale[] = ['es', 'en'];

/** Texts of one area in both languages, the same shape in each. */
export type Translations<T> = Record<Locale, T>;

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

/** The language the dashboard speaks now; setting it re-renders every text. */
export const locale = signal<Locale>('en');

/** This area's texts in the current language (re-renders the caller when the language changes). */
export function useMessages<T>(translations: Translations<T>): T {
  return translations[locale.value];
}
