// The sign-in form: the server's refusal in words, the button busy while it answers.
import { useSignal } from '@preact/signals';
import { ApiError } from './api.ts';
import { useMessages } from './i18n/index.ts';
import { messages } from './messages.ts';
import type { Session } from './session.ts';

export function Login({ session }: { session: Session }) {
  const t = useMessages(messages);
  const busy = useSignal(false);
  const error = useSignal<string | null>(session.state.peek() === 'expired' ? t.sessionEnded : null);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    busy.value = true;
    error.value = null;
    try {
      await session.signIn(String(form.get('email') ?? ''), String(form.get('password') ?? ''));
    } catch (e) {
      error.value =
        e instanceof ApiError && e.status === 401
          ? t.wrongCredentials
          : e instanceof ApiError && e.status === 429
            ? t.tooManyAttempts
            : e instanceof Error
              ? e.message
              : String(e);
    } finally {
      busy.value = false;
    }
  };

  return (
    <main class="login">
      <form class="card login-form" onSubmit={submit}>
        <h2>{t.signInTitle}</h2>
        {error.value && (
          <p class="notice notice-error" role="alert">
            {error.value}
          </p>
        )}
        <label for="login-email">{t.email}</label>
        <input id="login-email" name="email" type="email" autoComplete="username" required />
        <label for="login-password">{t.password}</label>
        <input id="login-password" name="password" type="password" autoComplete="current-password" required />
        <button type="submit" class="primary" disabled={busy.value}>
          {busy.value ? t.signingIn : t.signIn}
        </button>
      </form>
    </main>
  );
}
