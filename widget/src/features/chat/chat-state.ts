// The chat's state: the session's opening hours, the conversation (kept across page loads), its messages
// without duplicates, the draft, and what went wrong.
import { batch, signal } from '@preact/signals';
import { type Api, ApiError, failureKind, type WireMessage } from '../../api/client.ts';

export type ChatError = 'unreachable' | 'tooMany' | 'failed' | 'required' | 'badEmail';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function createChat(api: Api, storageKey: string) {
  const state = {
    /** null until the session has answered. */
    online: signal<boolean | null>(null),
    away: signal(''),
    conversationId: signal<string | null>(readStored(storageKey)),
    messages: signal<WireMessage[]>([]),
    draft: signal(''),
    email: signal(''),
    busy: signal(false),
    /** false while the event stream is down and reconnecting. */
    live: signal(true),
    error: signal<ChatError | null>(null),
  };
  const fail = (error: ChatError) => {
    state.error.value = error;
  };
  let stop: (() => void) | undefined;

  /** Adds messages by id: the stream and the POST answer both carry the visitor's own message, and a reconnect may repeat. */
  const add = (incoming: WireMessage[]) => {
    const known = new Set(state.messages.value.map((m) => m.id));
    const fresh = incoming.filter((m) => !known.has(m.id));
    if (fresh.length) state.messages.value = [...state.messages.value, ...fresh].sort((a, b) => a.id - b.id);
  };

  const follow = (id: string) => {
    stop?.();
    stop = api.listen(id, { message: (m) => add([m]), live: (up) => (state.live.value = up) });
  };

  return {
    ...state,
    /** Called when the chat view shows: learns whether the shop is online and resumes a stored conversation. */
    async start() {
      if (state.online.value !== null) return;
      state.error.value = null;
      try {
        const session = await api.session();
        batch(() => {
          state.online.value = session.online;
          state.away.value = session.awayMessage;
        });
        const id = state.conversationId.value;
        if (id && !stop) follow(id);
      } catch (error) {
        state.error.value = failureKind(error);
      }
    },
    async send() {
      const text = state.draft.value.trim();
      const id = state.conversationId.value;
      const needsEmail = !id && state.online.value === false;
      const email = state.email.value.trim();
      if (state.busy.value) return;
      if (!text) return fail('required');
      if (needsEmail && !EMAIL.test(email)) return fail('badEmail');
      state.busy.value = true;
      state.error.value = null;
      try {
        if (id) {
          add([await api.send(id, text)]);
        } else {
          const started = await api.startChat({
            text,
            ...(email ? { email } : {}),
            ...(/^https?:/.test(location.href) ? { pageUrl: location.href } : {}),
          });
          const newId = started.conversation.id;
          state.conversationId.value = newId;
          writeStored(storageKey, newId);
          add(started.messages);
          follow(newId);
        }
        state.draft.value = '';
      } catch (error) {
        if (error instanceof ApiError && error.code === 'email_required') {
          // The shop closed since the session said it was open: ask for the email now.
          state.online.value = false;
          state.error.value = 'badEmail';
        } else if (error instanceof ApiError && error.status === 404 && id) {
          // The stored conversation is gone (or belongs to another visitor): start a new one next time.
          writeStored(storageKey, null);
          batch(() => {
            state.conversationId.value = null;
            state.messages.value = [];
            state.error.value = 'failed';
          });
        } else {
          state.error.value = failureKind(error);
        }
      } finally {
        state.busy.value = false;
      }
    },
    /** Stops the event stream (unmount). */
    dispose() {
      stop?.();
      stop = undefined;
    },
  };
}

export type ChatState = ReturnType<typeof createChat>;

// localStorage can be missing or throw (privacy modes, sandboxed frames): the chat then lasts one page.
function readStored(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function writeStored(key: string, value: string | null): void {
  try {
    value === null ? localStorage.removeItem(key) : localStorage.setItem(key, value);
  } catch {
    // Nothing to do: see readStored.
  }
}
