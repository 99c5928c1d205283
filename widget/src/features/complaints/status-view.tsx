// The "check a ticket" tab: status, its history and, once resolved, the shop's answer.
import type { Messages } from '../../i18n/index.ts';
import { LinkedText } from '../../ui/linked-text.tsx';
import { Problem } from '../../ui/problem.tsx';
import type { StatusState } from './complaint-state.ts';

export function StatusView({ status, t, locale }: { status: StatusState; t: Messages; locale: string }) {
  const error = status.error.value;
  const result = status.result.value;
  const when = (iso: string) => new Date(iso).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void status.lookup();
        }}
      >
        <label>
          {t.ticket}
          <input
            required
            placeholder={t.ticketHint}
            aria-invalid={error === 'badTicket'}
            value={status.ticket.value}
            onInput={(e) => {
              status.ticket.value = e.currentTarget.value;
            }}
          />
        </label>
        <label>
          <span>
            {t.complaintEmail} <span class="hint">{t.optional}</span>
          </span>
          <input
            type="email"
            autocomplete="email"
            aria-invalid={error === 'badEmail'}
            value={status.email.value}
            onInput={(e) => {
              status.email.value = e.currentTarget.value;
            }}
          />
        </label>
        {error ? <Problem text={t[error]} /> : null}
        <button type="submit" class="primary" aria-disabled={status.busy.value}>
          {status.busy.value ? t.loading : t.lookup}
        </button>
      </form>
      {/* Always in the page, so screen readers announce the result when it arrives. */}
      <div aria-live="polite">
        {result ? (
          <section class="result" aria-label={result.ticket}>
            <p>
              {t.status}: <strong class="status">{t.statuses[result.status]}</strong>
            </p>
            {result.response ? (
              <div class="answer">
                <h3>{t.response}</h3>
                <p>
                  <LinkedText text={result.response} />
                </p>
              </div>
            ) : null}
            <h3>{t.history}</h3>
            <ol class="history">
              {result.history.map((h) => (
                <li key={h.at + h.status}>
                  {t.statuses[h.status]} · <time dateTime={h.at}>{when(h.at)}</time>
                </li>
              ))}
            </ol>
          </section>
        ) : null}
      </div>
    </>
  );
}
