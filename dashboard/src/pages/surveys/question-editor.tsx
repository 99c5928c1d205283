// One question of the survey editor: its id, title in both languages, whether it is required, and what its
// kind adds (choices, how many may be picked, the longest text).
import { useMessages } from '../../i18n/index.ts';
import { Field } from '../../ui/field.tsx';
import { type ChoiceDraft, newChoice, type QuestionDraft } from './draft.ts';
import { messages } from './messages.ts';
import { NumberField } from './number-field.tsx';

/** The server's message for a field path when it names this one (or, with `prefix`, one below it). */
export type ErrorAt = (path: string, prefix?: boolean) => string | undefined;

interface Props {
  question: QuestionDraft;
  index: number;
  count: number;
  errorAt: ErrorAt;
  onChange: (q: QuestionDraft) => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
}

function Choices({
  question,
  at,
  onChange,
}: Pick<Props, 'question' | 'onChange'> & { at: (field: string) => string | undefined }) {
  const t = useMessages(messages);
  const setChoice = (i: number, patch: Partial<ChoiceDraft>) =>
    onChange({ ...question, choices: question.choices.map((c, k) => (k === i ? { ...c, ...patch } : c)) });
  return (
    <fieldset class="survey-choices">
      <legend>{t.choices}</legend>
      {question.choices.map((c, i) => (
        <div class="survey-row" key={c.key}>
          <span class="survey-row-name">{t.choiceN(i + 1)}</span>
          <Field label={t.choiceId} error={at(`choices.${i}.id`)}>
            {(ids) => <input {...ids} value={c.id} onInput={(e) => setChoice(i, { id: e.currentTarget.value })} />}
          </Field>
          <Field label={t.labelEs} error={at(`choices.${i}.label`) ?? at(`choices.${i}.label.es`)}>
            {(ids) => <input {...ids} value={c.es} onInput={(e) => setChoice(i, { es: e.currentTarget.value })} />}
          </Field>
          <Field label={t.labelEn}>
            {(ids) => <input {...ids} value={c.en} onInput={(e) => setChoice(i, { en: e.currentTarget.value })} />}
          </Field>
          <button
            type="button"
            class="survey-remove"
            aria-label={`${t.remove}: ${t.choiceN(i + 1)}`}
            disabled={question.choices.length <= 2}
            onClick={() => onChange({ ...question, choices: question.choices.filter((_, k) => k !== i) })}
          >
            {t.remove}
          </button>
        </div>
      ))}
      <button
        type="button"
        onClick={() =>
          onChange({ ...question, choices: [...question.choices, newChoice(question.choices.length + 1)] })
        }
      >
        {t.addChoice}
      </button>
    </fieldset>
  );
}

export function QuestionEditor({ question, index, count, errorAt, onChange, onMove, onRemove }: Props) {
  const t = useMessages(messages);
  const set = (patch: Partial<QuestionDraft>) => onChange({ ...question, ...patch });
  // The server names fields by position: questions.<index>.<field>.
  const at = (field: string) => errorAt(`questions.${index}${field ? `.${field}` : ''}`);
  const label = t.questionN(index + 1);
  return (
    <fieldset class="card survey-question">
      <legend>
        {label} · {t.kinds[question.kind]}
      </legend>
      {(at('') ?? at('choices')) && <p class="error-text">{at('') ?? at('choices')}</p>}
      <div class="survey-row">
        <Field label={t.questionId} hint={t.questionIdHint} error={at('id')}>
          {(ids) => <input {...ids} value={question.id} onInput={(e) => set({ id: e.currentTarget.value })} />}
        </Field>
        <label class="survey-check">
          <input
            type="checkbox"
            checked={question.required}
            onChange={(e) => set({ required: e.currentTarget.checked })}
          />{' '}
          {t.required}
        </label>
      </div>
      <Field label={t.titleEs} hint={t.titleHint} error={at('title') ?? at('title.es')}>
        {(ids) => (
          <input {...ids} class="wide" value={question.es} onInput={(e) => set({ es: e.currentTarget.value })} />
        )}
      </Field>
      <Field label={t.titleEn} error={at('title.en')}>
        {(ids) => (
          <input {...ids} class="wide" value={question.en} onInput={(e) => set({ en: e.currentTarget.value })} />
        )}
      </Field>
      {(question.kind === 'single_choice' || question.kind === 'multiple_choice') && (
        <Choices question={question} onChange={onChange} at={at} />
      )}
      {question.kind === 'multiple_choice' && (
        <div class="survey-row">
          <NumberField
            label={t.minSelected}
            error={at('minSelected')}
            min={1}
            max={20}
            value={question.minSelected}
            onInput={(v) => set({ minSelected: v })}
          />
          <NumberField
            label={t.maxSelected}
            error={at('maxSelected')}
            min={1}
            max={20}
            value={question.maxSelected}
            onInput={(v) => set({ maxSelected: v })}
          />
        </div>
      )}
      {question.kind === 'text' && (
        <NumberField
          label={t.maxLength}
          error={at('maxLength')}
          min={1}
          max={4000}
          value={question.maxLength}
          onInput={(v) => set({ maxLength: v })}
        />
      )}
      <div class="survey-question-actions">
        <button type="button" aria-label={`${t.moveUp}: ${label}`} disabled={index === 0} onClick={() => onMove(-1)}>
          {t.moveUp}
        </button>
        <button
          type="button"
          aria-label={`${t.moveDown}: ${label}`}
          disabled={index === count - 1}
          onClick={() => onMove(1)}
        >
          {t.moveDown}
        </button>
        <button
          type="button"
          class="danger"
          aria-label={`${t.remove}: ${label}`}
          disabled={count <= 1}
          onClick={onRemove}
        >
          {t.remove}
        </button>
      </div>
    </fieldset>
  );
}
