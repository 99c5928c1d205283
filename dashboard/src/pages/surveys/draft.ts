// The survey editor's model: a survey as form fields (texts as typed, lists of patterns as lines), to and from
// the wire definition. The server validates; this only shapes what was typed.
import type {
  FilterOperator,
  LocalizedText,
  SurveyDefinitionInput,
  SurveyQuestionKind,
  SurveyStatus,
  WireSurvey,
} from '@fideliza/server/protocol';

export interface ChoiceDraft {
  /** Local key for rendering; not sent. */
  key: number;
  id: string;
  es: string;
  en: string;
}

export interface QuestionDraft {
  key: number;
  id: string;
  kind: SurveyQuestionKind;
  es: string;
  en: string;
  required: boolean;
  choices: ChoiceDraft[];
  minSelected: string;
  maxSelected: string;
  maxLength: string;
}

export type ValueType = 'text' | 'number' | 'boolean';

export interface FilterDraft {
  key: number;
  property: string;
  op: FilterOperator;
  type: ValueType;
  value: string;
}

export interface Draft {
  name: string;
  status: SurveyStatus;
  questions: QuestionDraft[];
  /** Path patterns, one a line. */
  urls: string;
  excludeUrls: string;
  byEvent: boolean;
  eventName: string;
  withinDays: string;
  filters: FilterDraft[];
  segmentId: string;
  delaySeconds: string;
  sharePercent: string;
  frequency: 'once' | 'every';
  everyDays: string;
}

let nextKey = 1;
/** A key unique in this page's life, so reordering keeps each row's inputs. */
export const newKey = () => nextKey++;

export const QUESTION_KINDS: readonly SurveyQuestionKind[] = [
  'nps',
  'csat',
  'single_choice',
  'multiple_choice',
  'text',
];

const hasChoices = (kind: SurveyQuestionKind) => kind === 'single_choice' || kind === 'multiple_choice';

export const newChoice = (n: number): ChoiceDraft => ({ key: newKey(), id: `c${n}`, es: '', en: '' });

/** A question of this kind with an id no other question has (`q1`, `q2`, …). */
export function newQuestion(kind: SurveyQuestionKind, taken: readonly QuestionDraft[]): QuestionDraft {
  let n = taken.length + 1;
  while (taken.some((q) => q.id === `q${n}`)) n++;
  return {
    key: newKey(),
    id: `q${n}`,
    kind,
    es: '',
    en: '',
    required: kind !== 'text',
    choices: hasChoices(kind) ? [newChoice(1), newChoice(2)] : [],
    minSelected: '',
    maxSelected: '',
    maxLength: kind === 'text' ? '1000' : '',
  };
}

export const emptyDraft = (): Draft => ({
  name: '',
  status: 'draft',
  questions: [newQuestion('nps', [])],
  urls: '',
  excludeUrls: '',
  byEvent: false,
  eventName: '',
  withinDays: '30',
  filters: [],
  segmentId: '',
  delaySeconds: '0',
  sharePercent: '100',
  frequency: 'once',
  everyDays: '30',
});

export const newFilter = (): FilterDraft => ({ key: newKey(), property: '', op: 'eq', type: 'text', value: '' });

const lines = (list: readonly string[]) => list.join('\n');

export function draftOf(s: WireSurvey): Draft {
  const event = s.targeting.event;
  return {
    name: s.name,
    status: s.status,
    questions: s.questions.map((q) => ({
      key: newKey(),
      id: q.id,
      kind: q.kind,
      es: q.title.es ?? '',
      en: q.title.en ?? '',
      required: q.required,
      choices:
        q.kind === 'single_choice' || q.kind === 'multiple_choice'
          ? q.choices.map((c) => ({ key: newKey(), id: c.id, es: c.label.es ?? '', en: c.label.en ?? '' }))
          : [],
      minSelected: q.kind === 'multiple_choice' && q.minSelected !== undefined ? String(q.minSelected) : '',
      maxSelected: q.kind === 'multiple_choice' && q.maxSelected !== undefined ? String(q.maxSelected) : '',
      maxLength: q.kind === 'text' ? String(q.maxLength) : '',
    })),
    urls: lines(s.targeting.urls),
    excludeUrls: lines(s.targeting.excludeUrls),
    byEvent: event !== undefined,
    eventName: event?.name ?? '',
    withinDays: String(event?.withinDays ?? 30),
    filters: (event?.filters ?? []).map((f) => ({
      key: newKey(),
      property: f.property,
      op: f.op,
      type: typeof f.value === 'number' ? 'number' : typeof f.value === 'boolean' ? 'boolean' : 'text',
      value: String(f.value),
    })),
    segmentId: s.targeting.segmentId ?? '',
    delaySeconds: String(s.targeting.delaySeconds),
    sharePercent: String(s.targeting.sharePercent),
    frequency: s.frequency.mode,
    everyDays: s.frequency.mode === 'every' ? String(s.frequency.days) : '30',
  };
}

const text = (es: string, en: string): LocalizedText => ({
  ...(es.trim() ? { es: es.trim() } : {}),
  ...(en.trim() ? { en: en.trim() } : {}),
});

/** A number field: empty stays empty (the server's default applies); anything else is sent as typed, as a number. */
const num = (s: string): number | undefined => (s.trim() === '' ? undefined : Number(s));

const patterns = (s: string) =>
  s
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

type QuestionInput = SurveyDefinitionInput['questions'][number];

function questionOf(q: QuestionDraft): QuestionInput {
  const base = { id: q.id.trim(), title: text(q.es, q.en), required: q.required };
  const choices = q.choices.map((c) => ({ id: c.id.trim(), label: text(c.es, c.en) }));
  switch (q.kind) {
    case 'nps':
    case 'csat':
      return { ...base, kind: q.kind };
    case 'single_choice':
      return { ...base, kind: q.kind, choices };
    case 'multiple_choice': {
      const min = num(q.minSelected);
      const max = num(q.maxSelected);
      return {
        ...base,
        kind: q.kind,
        choices,
        ...(min === undefined ? {} : { minSelected: min }),
        ...(max === undefined ? {} : { maxSelected: max }),
      };
    }
    case 'text': {
      const max = num(q.maxLength);
      return { ...base, kind: q.kind, ...(max === undefined ? {} : { maxLength: max }) };
    }
  }
}

const filterValue = (f: FilterDraft): string | number | boolean =>
  f.type === 'number' ? Number(f.value) : f.type === 'boolean' ? f.value === 'true' : f.value;

/** The definition to send; anything malformed is left for the server to name. */
export function definitionOf(d: Draft): SurveyDefinitionInput {
  const delay = num(d.delaySeconds);
  const share = num(d.sharePercent);
  return {
    name: d.name.trim(),
    status: d.status,
    questions: d.questions.map(questionOf),
    targeting: {
      urls: patterns(d.urls),
      excludeUrls: patterns(d.excludeUrls),
      ...(d.byEvent
        ? {
            event: {
              name: d.eventName.trim(),
              withinDays: num(d.withinDays) ?? 30,
              filters: d.filters.map((f) => ({ property: f.property.trim(), op: f.op, value: filterValue(f) })),
            },
          }
        : {}),
      ...(d.segmentId ? { segmentId: d.segmentId } : {}),
      ...(delay === undefined ? {} : { delaySeconds: delay }),
      ...(share === undefined ? {} : { sharePercent: share }),
    },
    frequency: d.frequency === 'once' ? { mode: 'once' } : { mode: 'every', days: num(d.everyDays) ?? 0 },
  };
}

/** The definition of a stored survey with another status (start, pause). */
export const withStatus = (s: WireSurvey, status: SurveyStatus): SurveyDefinitionInput => ({
  name: s.name,
  status,
  questions: s.questions,
  targeting: s.targeting,
  frequency: s.frequency,
});

/** A localized text in the dashboard's language, else the other one. */
export const localized = (t: LocalizedText, lang: 'es' | 'en'): string =>
  t[lang] ?? t[lang === 'es' ? 'en' : 'es'] ?? '';
