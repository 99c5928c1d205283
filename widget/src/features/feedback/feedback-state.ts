// Feedback about the current page: a rating from 1 to 5 and an optional comment.
import { signal } from '@preact/signals';
import { type Api, failureKind } from '../../api/client.ts';

export type FeedbackError = 'ratingRequired' | 'unreachable' | 'tooMany' | 'failed';

export function createFeedback(api: Api) {
  const state = {
    rating: signal(0),
    comment: signal(''),
    busy: signal(false),
    sent: signal(false),
    error: signal<FeedbackError | null>(null),
  };
  const fail = (error: FeedbackError) => {
    state.error.value = error;
  };
  return {
    ...state,
    async submit() {
      if (state.busy.value) return;
      if (!state.rating.value) return fail('ratingRequired');
      state.busy.value = true;
      state.error.value = null;
      const comment = state.comment.value.trim();
      try {
        await api.feedback({ rating: state.rating.value, pageUrl: location.href, ...(comment ? { comment } : {}) });
        state.sent.value = true;
      } catch (error) {
        state.error.value = failureKind(error);
      } finally {
        state.busy.value = false;
      }
    },
  };
}

export type FeedbackState = ReturnType<typeof createFeedback>;
