// The survey card above the launcher: one question group per question (0–10, 1–5, one or several choices, text),
// then thanks. Closing it unanswered (its button or Escape) dismisses it.
import { useEffect, useRef } from 'preact/hooks';
import type { LocalizedText, SurveyQuestion } from '../../api/client.ts';
import { fill, type Locale, type Messages } from '../../i18n/index.ts';
import { Cross } from '../../ui/cross.tsx';
import { Problem } from '../../ui/problem.tsx';
import type { SurveyState } from './survey-state.ts';

interface Props {
  survey: SurveyState;
  t: Messages;
  locale: Locale;
  onClose(): void;
}

const range = (from: number, to: number): [number, string][] =>
  Array.from({ length: to - from + 1 }, (_, i) => [from + i, String(from + i)]);

export function SurveyCard({ survey, t, locale, onClose }: Props) {
  const current = survey.current.value;
  const sent = survey.sent.value;
  const done = useRef<HTMLParagraphElement>(null);
  useEffect(() => survey.seen(), [current, survey]);
  // The form disappears on success: focus goes to the thanks so keyboard and screen-reader users land on it.
  useEffect(() => {
    if (sent) done.current?.focus();
  }, [sent]);
  if (!current) return null;
  const text = (l: LocalizedText) => l[locale] ?? l.en ?? l.es;
  const error = survey.error.value;
  return (
    <section
      class="panel"
      aria-labelledby="fz-survey-heading"
      onKeyDown={(e) => {
        if (e.key !== 'Escape') return;
        e.stopPropagation();
        onClose();
      }}
    >
      <div class="head">
        <h2 id="fz-survey-heading">{t.surveyHeading}</h2>
        <button type="button" class="close" aria-label={t.closeSurvey} onClick={onClose}>
          <Cross size={16} />
        </button>
      </div>
      <div class="view">
        {sent ? (
          <p class="done" ref={done} tabIndex={-1} role="status">
            {t.thanks}
          </p>
        ) : (
          <form
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              void survey.submit();
            }}
          >
            {current.questions.map((q) => (
              <Question key={q.id} q={q} survey={survey} t={t} title={text(q.title)} text={text} />
            ))}
            {error && !survey.invalid.value ? <Problem text={t[error]} /> : null}
            <button type="submit" class="primary" aria-disabled={survey.busy.value}>
              {survey.busy.value ? t.sending : t.send}
            </button>
          </form>
        )}
      </div>
    </section>
  );
}

interface QuestionProps {
  q: SurveyQuestion;
  survey: SurveyState;
  t: Messages;
  title: string | undefined;
  text(l: LocalizedText): string | undefined;
}

function Question({ q, survey, t, title, text }: QuestionProps) {
  const value = survey.answers.value[q.id];
  const error = survey.invalid.value === q.id ? survey.error.value : null;
  const multi = q.kind === 'multiple_choice';
  const picks = multi ? { min: q.minSelected ?? 1, max: q.maxSelected ?? q.choices.length } : null;
  const hintId = `fz-hint-${q.id}`;
  const optional = q.required ? null : <span class="hint"> {t.optional}</span>;
  const problem = error ? <Problem text={fill(t[error], picks ?? {})} /> : null;
  if (q.kind === 'text') {
    return (
      <div class="question">
        <label>
          <span>
            {title}
            {optional}
          </span>
          <textarea
            rows={3}
            maxLength={q.maxLength}
            aria-invalid={!!error}
            value={typeof value === 'string' ? value : ''}
            onInput={(e) => survey.set(q.id, e.currentTarget.value)}
          />
        </label>
        {problem}
      </div>
    );
  }
  const options: [string | number, string | undefined][] =
    q.kind === 'nps' ? range(0, 10) : q.kind === 'csat' ? range(1, 5) : q.choices.map((c) => [c.id, text(c.label)]);
  // The ends of a scale, and how many choices to pick when the shop set a range other than "any".
  const hint =
    q.kind === 'nps'
      ? t.npsEnds
      : q.kind === 'csat'
        ? t.csatEnds
        : picks && (picks.min > 1 || picks.max < options.length)
          ? fill(t.pickRange, picks)
          : null;
  return (
    <div class="question">
      <fieldset
        class={multi || q.kind === 'single_choice' ? 'choices' : 'scale'}
        aria-describedby={hint ? hintId : undefined}
      >
        <legend>
          {title}
          {optional}
        </legend>
        {options.map(([v, label]) => {
          const on = Array.isArray(value) ? value.includes(String(v)) : value === v;
          return (
            <label key={v} class={on ? 'on' : ''}>
              <input
                type={multi ? 'checkbox' : 'radio'}
                name={`fz-q-${q.id}`}
                checked={on}
                onChange={() => (multi ? survey.toggle(q.id, String(v)) : survey.set(q.id, v))}
              />
              <span>{label}</span>
            </label>
          );
        })}
        {hint ? (
          <p class="hint" id={hintId}>
            {hint}
          </p>
        ) : null}
      </fieldset>
      {problem}
    </div>
  );
}
