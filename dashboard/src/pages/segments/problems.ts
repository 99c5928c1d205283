// The server's refusals of a rule tree, placed next to the condition they concern and said in the page's language.
import { ApiError } from '../../api.ts';
import { locale } from '../../i18n/index.ts';
import { messages as uiMessages } from '../../ui/messages.ts';
import { errorText } from '../../ui/notice.tsx';
import type { SegmentsMessages } from './messages.ts';
import { type FormNode, locate } from './rule-form.ts';

export interface Problem {
  /** The node it concerns; undefined for the form as a whole (the name, a network failure). */
  nodeId?: number;
  /** The request field the server named (`name`, `rules.rules.0.value`). */
  field?: string;
  text: string;
}

/** The server's words without the field path it puts in front (`rules.rules.1.value: …`). */
function serverWords(error: ApiError): string {
  const prefix = error.field ? `${error.field}: ` : '';
  return prefix && error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
}

/** A sentence for a person: what to check (by the field's last named part), then the server's precise words. */
export function problemOf(error: unknown, root: FormNode, t: SegmentsMessages): Problem {
  if (!(error instanceof ApiError) || error.status === 0 || !error.field) {
    return { text: errorText(error, uiMessages[locale.value]) };
  }
  const found = locate(root, error.field);
  const rest = found ? found.rest : error.field;
  const named = rest
    .split('.')
    .filter((p) => p !== '' && !/^\d+$/.test(p))
    .at(-1);
  const lead = (named && t.fieldProblems[named]) || t.problem;
  return { nodeId: found?.node.id, field: error.field, text: `${lead}: ${serverWords(error)}` };
}
