// The inbox's live feed: one EventSource on the site's staff stream, reopened with backoff when the browser
// gives up, resuming after the last message seen so nothing is missed or repeated.
import { type ReadonlySignal, signal } from '@preact/signals';
import type { Message } from './types.ts';

export type StreamState = 'connecting' | 'live' | 'reconnecting';

export interface InboxStream {
  state: ReadonlySignal<StreamState>;
  /** Every new message of the site (visitor, agent and system), oldest first, each once. */
  onMessage(listener: (m: Message) => void): () => void;
  /**
   * The stream (re)started without knowing where it had stopped, so messages may have been missed: listeners
   * read their data again.
   */
  onResync(listener: () => void): () => void;
  close(): void;
}

export interface StreamOptions {
  /** Tests pass a fake; the browser's own by default. */
  EventSource?: typeof EventSource;
  /** Delay before the n-th reopen in a row (n from 0). */
  backoff?: (attempt: number) => number;
}

/** 1 s, 2 s, 4 s … up to 30 s, with a little jitter so a restarted server is not hit by every tab at once. */
export const defaultBackoff = (attempt: number) => Math.min(30_000, 1000 * 2 ** attempt) * (0.8 + Math.random() * 0.4);

const CLOSED = 2;

/** Opens the stream at `url` (same origin, cookie-authenticated; the site goes in its query). */
export function openInboxStream(url: string, options: StreamOptions = {}): InboxStream {
  const Source = options.EventSource ?? globalThis.EventSource;
  const backoff = options.backoff ?? defaultBackoff;
  const state = signal<StreamState>('connecting');
  const messageListeners = new Set<(m: Message) => void>();
  const resyncListeners = new Set<() => void>();
  let source: EventSource | undefined;
  let last = 0;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  const open = () => {
    // After a message, resume after it (EventSource's own retries send Last-Event-ID by themselves).
    const s = new Source(last ? `${url}${url.includes('?') ? '&' : '?'}lastEventId=${last}` : url);
    source = s;
    s.onopen = () => {
      attempt = 0;
      state.value = 'live';
      // Without a last id the server starts from now: whatever happened before is for the lists to re-read.
      if (last === 0) for (const l of resyncListeners) l();
    };
    s.onmessage = (event: MessageEvent<string>) => {
      let m: Message;
      try {
        m = JSON.parse(event.data) as Message;
      } catch {
        return;
      }
      if (typeof m.id !== 'number' || m.id <= last) return;
      last = m.id;
      for (const l of messageListeners) l(m);
    };
    s.onerror = () => {
      state.value = 'reconnecting';
      // While CONNECTING the browser retries by itself; CLOSED means it gave up (an error answer), so we
      // open a new one later, waiting longer each time.
      if (s.readyState === CLOSED) {
        s.close();
        if (!closed) timer = setTimeout(open, backoff(attempt++));
      }
    };
  };
  open();

  return {
    state,
    onMessage(listener) {
      messageListeners.add(listener);
      return () => messageListeners.delete(listener);
    },
    onResync(listener) {
      resyncListeners.add(listener);
      return () => resyncListeners.delete(listener);
    },
    close() {
      closed = true;
      clearTimeout(timer);
      source?.close();
    },
  };
}
