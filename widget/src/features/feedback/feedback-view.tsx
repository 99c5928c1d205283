// The feedback tab: five radio buttons (arrow keys move between them, as in any radio group) and a comment.
import { fill, type Messages } from '../../i18n/index.ts';
import { Problem } from '../../ui/problem.tsx';
import type { FeedbackState } from './feedback-state.ts';

export function FeedbackView({ feedback, t }: { feedback: FeedbackState; t: Messages }) {
  if (feedback.sent.value) {
    return (
      <p class="done" role="status">
        {t.thanks}
      </p>
    );
  }
  const error = feedback.error.value;
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void feedback.submit();
      }}
    >
      <fieldset class="rating">
        <legend>{t.ratingLegend}</legend>
        {[1, 2, 3, 4, 5].map((n) => (
          <label key={n} class={n <= feedback.rating.value ? 'on' : ''}>
            <input
              type="radio"
              name="fz-rating"
              value={n}
              checked={feedback.rating.value === n}
              aria-label={fill(t.ratingValue, { n })}
              onChange={() => {
                feedback.rating.value = n;
                if (feedback.error.value === 'ratingRequired') feedback.error.value = null;
              }}
            />
            <span aria-hidden="true">★</span>
          </label>
        ))}
      </fieldset>
      <label>
        <span>
          {t.comment} <span class="hint">{t.optional}</span>
        </span>
        <textarea
          rows={3}
          maxLength={4000}
          value={feedback.comment.value}
          onInput={(e) => {
            feedback.comment.value = e.currentTarget.value;
          }}
        />
      </label>
      {error ? <Problem text={t[error]} /> : null}
      <button type="submit" class="primary" aria-disabled={feedback.busy.value}>
        {feedback.busy.value ? t.sending : t.send}
      </button>
    </form>
  );
}
