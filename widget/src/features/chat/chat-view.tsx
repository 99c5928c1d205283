// The chat tab: the conversation as a live log, the away message and email while the shop is closed, the composer.
import { useEffect, useRef } from 'preact/hooks';
import type { WireMessage } from '../../api/client.ts';
import type { Messages } from '../../i18n/index.ts';
import { LinkedText } from '../../ui/linked-text.tsx';
import { Problem } from '../../ui/problem.tsx';
import type { ChatState } from './chat-state.ts';

export function ChatView({ chat, t }: { chat: ChatState; t: Messages }) {
  const log = useRef<HTMLDivElement>(null);
  useEffect(() => {
    void chat.start();
  }, [chat]);
  const messages = chat.messages.value;
  useEffect(() => {
    const el = log.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [messages]);

  const error = chat.error.value;
  if (chat.online.value === null) {
    return error ? <Problem text={t[error]} retry={() => chat.start()} label={t.retry} /> : <p>{t.loading}</p>;
  }
  const needsEmail = !chat.conversationId.value && !chat.online.value;
  const submit = (event: Event) => {
    event.preventDefault();
    void chat.send();
  };

  return (
    <>
      {needsEmail ? (
        <p class="note">{chat.away.value || t.awayDefault}</p>
      ) : messages.length ? null : (
        <p>{t.chatIntro}</p>
      )}
      <div class="log" ref={log} role="log" aria-live="polite" aria-label={t.conversation} hidden={!messages.length}>
        {messages.map((m) => (
          <Message key={m.id} m={m} t={t} />
        ))}
      </div>
      {chat.live.value ? null : <p class="note">{t.reconnecting}</p>}
      <form onSubmit={submit} noValidate>
        {needsEmail ? (
          <label>
            {t.email}
            <input
              type="email"
              autocomplete="email"
              required
              aria-invalid={error === 'badEmail'}
              value={chat.email.value}
              onInput={(e) => {
                chat.email.value = e.currentTarget.value;
              }}
            />
          </label>
        ) : null}
        <label>
          {t.message}
          <textarea
            rows={3}
            required
            maxLength={4000}
            aria-invalid={error === 'required'}
            value={chat.draft.value}
            onInput={(e) => {
              chat.draft.value = e.currentTarget.value;
            }}
            // Enter sends, Shift+Enter starts a new line, as in every chat.
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) submit(e);
            }}
          />
        </label>
        {error ? <Problem text={t[error]} /> : null}
        <button type="submit" class="primary" aria-disabled={chat.busy.value}>
          {chat.busy.value ? t.sending : t.send}
        </button>
      </form>
    </>
  );
}

function Message({ m, t }: { m: WireMessage; t: Messages }) {
  if (m.author === 'system') {
    const text = m.event === 'away' ? m.text : m.event === 'status_changed' && m.text === 'closed' ? t.chatClosed : '';
    return text ? <p class="note">{text}</p> : null;
  }
  return (
    <p class={`msg ${m.author}`}>
      {/* Who wrote it, for screen readers; the bubble's side says it visually. */}
      <span class="sr">{m.author === 'visitor' ? t.you : t.shop}: </span>
      <LinkedText text={m.text} />
    </p>
  );
}
