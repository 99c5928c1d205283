// The survey the shop targeted at this visitor: asked for on every page (after the SDK has sent the page's events,
// so event-targeted surveys see them), shown once its delay has passed, then answered or dismissed.
import { batch, signal } from '@preact/signals';
import { type Api, ApiError, failureKind, type SurveyAnswer, type WidgetSurvey } from '../../api/client.ts';
import { onNavigate } from '../../state/navigation.ts';

export type SurveyError = 'answerRequired' | 'pickRange' | 'surveyGone' | 'unreachable' | 'tooMany' | 'failed';

/** An answer counts when it says something: not missing, not blank, not an empty selection. */
const given = (a: SurveyAnswer | undefined): a is SurveyAnswer =>
  a !== undefined && a !== '' && !(Array.isArray(a) && !a.length);

export function createSurvey(api: Api, flush: () => Promise<unknown>) {
  const state = {
    /** The survey on screen, once its delay has passed; null when there is none. */
    current: signal<WidgetSurvey | null>(null),
    answers: signal<Record<string, SurveyAnswer>>({}),
    busy: signal(false),
    sent: signal(false),
    error: signal<SurveyError | null>(null),
    /** The question the error is about (none: the error is about sending). */
    invalid: signal<string | null>(null),
  };
  /** The path last asked about: a change of query or hash alone asks again for nothing. */
  let asked = '';
  let timer: ReturnType<typeof setTimeout> | undefined;
  let seenId = '';
  let stop: (() => void) | undefined;

  /** Asks for this page's survey; `since` is when the visitor arrived on it (performance.now() time). */
  const check = async (since: number) => {
    const path = location.pathname;
    if (state.current.value || path === asked) return;
    asked = path;
    clearTimeout(timer);
    try {
      await flush();
      const [survey] = (await api.surveys(path)).surveys;
      // A survey for a page the visitor has meanwhile left is not shown.
      if (!survey || asked !== path) return;
      timer = setTimeout(
        () => {
          if (location.pathname === path) state.current.value = survey;
        },
        survey.delaySeconds * 1000 - (performance.now() - since),
      );
    } catch {
      // No survey, then: a shopper is never told a survey failed to load.
    }
  };

  const set = (id: string, value: SurveyAnswer | undefined) => {
    const { [id]: _, ...next } = state.answers.value;
    if (given(value)) next[id] = value;
    batch(() => {
      state.answers.value = next;
      if (state.invalid.value === id) state.error.value = state.invalid.value = null;
    });
  };

  return {
    ...state,
    /** Starts asking: for this page (whose visit began at time 0), and for every page a single-page app moves to. */
    start() {
      void check(0);
      stop = onNavigate(() => check(performance.now()));
    },
    dispose() {
      stop?.();
      clearTimeout(timer);
    },
    /** Called when the survey is on screen: that counts as shown, once, for the frequency cap. */
    seen() {
      const s = state.current.value;
      if (!s || seenId === s.id) return;
      seenId = s.id;
      api.surveyEvent(s.id, 'seen').catch(() => {});
    },
    /** Closes the survey; unanswered, it counts as dismissed. */
    close() {
      const s = state.current.value;
      if (s && !state.sent.value) api.surveyEvent(s.id, 'dismiss').catch(() => {});
      batch(() => {
        state.current.value = state.error.value = state.invalid.value = null;
        state.answers.value = {};
        state.sent.value = false;
      });
    },
    set,
    toggle(id: string, choice: string) {
      const picked = state.answers.value[id];
      const list = Array.isArray(picked) ? picked : [];
      set(id, list.includes(choice) ? list.filter((c) => c !== choice) : [...list, choice]);
    },
    async submit() {
      const s = state.current.value;
      if (!s || state.busy.value) return;
      const answers: Record<string, SurveyAnswer> = {};
      for (const q of s.questions) {
        const raw = state.answers.value[q.id];
        const a = typeof raw === 'string' ? raw.trim() : raw;
        let problem: SurveyError | null = null;
        if (!given(a)) problem = q.required ? 'answerRequired' : null;
        else if (q.kind === 'multiple_choice' && Array.isArray(a)) {
          const n = a.length;
          if (n < (q.minSelected ?? 1) || n > (q.maxSelected ?? q.choices.length)) problem = 'pickRange';
        }
        if (problem) {
          batch(() => {
            state.error.value = problem;
            state.invalid.value = q.id;
          });
          return;
        }
        if (given(a)) answers[q.id] = a;
      }
      state.busy.value = true;
      state.error.value = null;
      try {
        // Origin and path only: a query string can carry a shopper's personal data.
        const url = location.origin + location.pathname;
        await api.answer(s.id, { answers, ...(/^https?:/.test(url) && url.length <= 2000 ? { url } : {}) });
        state.sent.value = true;
      } catch (error) {
        state.error.value = error instanceof ApiError && error.status === 409 ? 'surveyGone' : failureKind(error);
      } finally {
        state.busy.value = false;
      }
    },
  };
}

export type SurveyState = ReturnType<typeof createSurvey>;
