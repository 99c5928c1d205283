// Creating or editing a survey: name and status, the questions, targeting and frequency. The server checks the
// definition; a refusal is shown at the top and next to the field it names.
import type { WireSurvey } from '@fideliza/server/protocol';
import { useState } from 'preact/hooks';
import { ApiError, call } from '../../api.ts';
import { useDashboard } from '../../context.ts';
import { useMessages } from '../../i18n/index.ts';
import { Link } from '../../router.tsx';
import { Field } from '../../ui/field.tsx';
import { useLoad } from '../../ui/load.ts';
import { ErrorNote, Loaded } from '../../ui/notice.tsx';
import { PageHeader } from '../../ui/page-header.tsx';
import {
  type Draft,
  definitionOf,
  draftOf,
  emptyDraft,
  newQuestion,
  QUESTION_KINDS,
  type QuestionDraft,
} from './draft.ts';
import { messages } from './messages.ts';
import { type ErrorAt, QuestionEditor } from './question-editor.tsx';
import { STATUSES } from './status.tsx';
import { type SegmentOption, TargetingEditor } from './targeting-editor.tsx';

type Texts = (typeof messages)['en'];

/** `questions.2.choices.0.id` → "Question 3 · Choice 1 · id", for the summary at the top. */
function describe(path: string, t: Texts): string {
  return path
    .replace(/^questions\.(\d+)/, (_, n: string) => t.questionN(Number(n) + 1))
    .replace(/\.choices\.(\d+)/, (_, n: string) => ` · ${t.choiceN(Number(n) + 1)}`)
    .replace(/^targeting\.event\.filters\.(\d+)/, (_, n: string) => `${t.targeting} · ${t.filterN(Number(n) + 1)}`)
    .replace(/^targeting/, t.targeting)
    .replace(/\./g, ' · ');
}

/** The server's message without the `field: ` it starts with (the page names the field its own way). */
const bare = (e: ApiError) =>
  e.field && e.message.startsWith(`${e.field}: `) ? e.message.slice(e.field.length + 2) : e.message;

function Form({ survey, segments }: { survey?: WireSurvey; segments: SegmentOption[] | undefined }) {
  const t = useMessages(messages);
  const { api, navigate } = useDashboard();
  const [draft, setDraft] = useState<Draft>(() => (survey ? draftOf(survey) : emptyDraft()));
  const [kind, setKind] = useState<QuestionDraft['kind']>('csat');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<unknown>();
  const update = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const setQuestions = (change: (qs: QuestionDraft[]) => QuestionDraft[]) =>
    setDraft((d) => ({ ...d, questions: change(d.questions) }));

  const refusal = problem instanceof ApiError && problem.field ? problem : undefined;
  const errorAt: ErrorAt = (path, prefix) => {
    const field = refusal?.field;
    if (!refusal || !field) return undefined;
    return field === path || (prefix && field.startsWith(`${path}.`)) ? bare(refusal) : undefined;
  };

  const save = async () => {
    setBusy(true);
    setProblem(undefined);
    try {
      const json = definitionOf(draft);
      const saved = survey
        ? await call(api.api.surveys[':id'].$put({ param: { id: survey.id }, json }))
        : await call(api.api.surveys.$post({ json }));
      navigate(`/surveys/${encodeURIComponent(saved.id)}`);
    } catch (error) {
      setProblem(error);
      setBusy(false);
    }
  };

  return (
    <form
      class="survey-editor"
      aria-label={survey ? t.editTitle(survey.name) : t.createTitle}
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      {problem !== undefined &&
        (refusal ? (
          <div class="notice notice-error" role="alert">
            <p>{t.fixField(describe(refusal.field ?? '', t), bare(refusal))}</p>
          </div>
        ) : (
          <ErrorNote error={problem} />
        ))}

      <fieldset class="card survey-section">
        <legend>{t.general}</legend>
        <div class="survey-row">
          <Field label={t.name} hint={t.nameHint} error={errorAt('name')}>
            {(ids) => (
              <input
                {...ids}
                class="wide"
                value={draft.name}
                onInput={(e) => update({ name: e.currentTarget.value })}
              />
            )}
          </Field>
          <Field label={t.initialStatus} error={errorAt('status')}>
            {(ids) => (
              <select
                {...ids}
                value={draft.status}
                onChange={(e) => update({ status: e.currentTarget.value as Draft['status'] })}
              >
                {STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {t.statuses[s]}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
      </fieldset>

      <section class="survey-section" aria-labelledby="survey-questions-title">
        <h3 id="survey-questions-title">{t.questions}</h3>
        {errorAt('questions') && <p class="error-text">{errorAt('questions')}</p>}
        {draft.questions.map((q, i) => (
          <QuestionEditor
            key={q.key}
            question={q}
            index={i}
            count={draft.questions.length}
            errorAt={errorAt}
            onChange={(next) => setQuestions((qs) => qs.map((x, k) => (k === i ? next : x)))}
            onMove={(by) =>
              setQuestions((qs) => {
                const moved = [...qs];
                const [item] = moved.splice(i, 1);
                if (item) moved.splice(i + by, 0, item);
                return moved;
              })
            }
            onRemove={() => setQuestions((qs) => qs.filter((_, k) => k !== i))}
          />
        ))}
        <div class="survey-row survey-add">
          <Field label={t.addQuestion}>
            {(ids) => (
              <select {...ids} value={kind} onChange={(e) => setKind(e.currentTarget.value as QuestionDraft['kind'])}>
                {QUESTION_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {t.kinds[k]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <button type="button" onClick={() => setQuestions((qs) => [...qs, newQuestion(kind, qs)])}>
            {t.addQuestion}
          </button>
        </div>
      </section>

      <TargetingEditor draft={draft} segments={segments} errorAt={errorAt} onChange={update} />

      <div class="survey-submit">
        <button type="submit" class="primary" disabled={busy}>
          {busy ? t.saving : t.save}
        </button>
        <Link href={survey ? `/surveys/${encodeURIComponent(survey.id)}` : '/surveys'}>{t.cancel}</Link>
      </div>
    </form>
  );
}

/** `/surveys/new` (no id) or `/surveys/<id>/edit`. */
export function Editor({ id }: { id?: string }) {
  const t = useMessages(messages);
  const { api } = useDashboard();
  const survey = useLoad(
    () => (id ? call(api.api.surveys[':id'].$get({ param: { id } })) : Promise.resolve(undefined)),
    [id],
  );
  // Segments only offer choices: the form works without them.
  const segments = useLoad(
    () =>
      call(api.api.segments.$get()).then(
        (r) => r.segments.map((s) => ({ id: s.id, name: s.name })),
        () => undefined,
      ),
    [],
  );
  return (
    <>
      <PageHeader title={id ? t.editTitle(survey.data?.name ?? '') : t.createTitle}>
        <Link href="/surveys">{t.backToList}</Link>
      </PageHeader>
      {id ? (
        <Loaded load={survey}>
          {(s) => (s ? <Form survey={s} segments={segments.loading ? [] : segments.data} /> : null)}
        </Loaded>
      ) : (
        <Form segments={segments.loading ? [] : segments.data} />
      )}
    </>
  );
}
