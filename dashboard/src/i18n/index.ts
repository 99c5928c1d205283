// Picks the dashboard's language (Spanish or English) from the browser's preferred languages.
import type { ServerStatus } from '../api.ts';
import { en } from './en.ts';
import { es } from './es.ts';

export interface Messages {
  productName: string;
  tagline: string;
  status: Record<ServerStatus | 'checking', string>;
}

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
