// The API's refusals in the page's language: the field they concern and a sentence for a person.
import { ApiError } from '../../api.ts';
import { locale } from '../../i18n/index.ts';
import { messages as uiMessages } from '../../ui/messages.ts';
import { errorText } from '../../ui/notice.tsx';
import type { SettingsMessages } from './messages.ts';

export interface FormError {
  /** The request field the server named (`origins.2`, `settings.widget.color`), if any. */
  field?: string;
  text: string;
}

/** `origins` lets an origin error quote what was typed. */
export function formError(error: unknown, t: SettingsMessages, origins: readonly string[] = []): FormError {
  const general = () => errorText(error, uiMessages[locale.value]);
  if (!(error instanceof ApiError)) return { text: general() };
  const field = error.field;
  const known = t.errors[error.code as 'last_admin' | 'already_member'];
  if (typeof known === 'string') return { field, text: known };
  if (field === 'name') return { field, text: t.errors.name };
  if (field === 'email') return { field, text: t.errors.email };
  if (field?.startsWith('origins.')) {
    return { field, text: t.errors.origin(origins[Number(field.slice(8))] ?? '') };
  }
  if (field === 'settings.widget.color') return { field, text: t.errors.color };
  if (field === 'settings.conversations.timezone') return { field, text: t.errors.timezone };
  if (field?.startsWith('settings.conversations.hours')) return { field, text: t.errors.hours };
  return { field, text: general() };
}

/** The error's text when it concerns `field` (or a field below it). */
export const errorFor = (error: FormError | null, field: string): string | undefined =>
  error?.field === field || error?.field?.startsWith(`${field}.`) ? error.text : undefined;
