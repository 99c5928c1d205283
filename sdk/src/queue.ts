// The outbox and its delivery loop. Unsent messages live in this tab's own localStorage key (in memory only
// while consent is pending or when storage throws), capped, and are sent in order, one request at a time, with
// backoff; keys left by tabs that are gone are adopted, so a message survives reloads without two tabs sending it.
import type { Message } from '../../server/src/protocol/messages.ts';
import { uuid } from './ids.ts';
import { BATCH_MESSAGES, BATCH_MS, backoff, MAX_AGE_MS, REQUEST_CHARS, retryable, take } from './transport.ts';

/** A message as the SDK builds it: ids, time and context are always set. */
export type Msg = Message & { messageId: string; timestamp: string; context: Record<string, unknown> };

/** Oldest messages are dropped (and counted) beyond these. */
export const MAX_MESSAGES = 1000;
export const MAX_CHARS = 1_000_000;

export interface Queue {
  /** Queues a message. */
  _add(m: Msg): void;
  /** Consent granted: write the outbox to storage from now on and start sending; false: memory only. */
  _persist(on: boolean): void;
  /** Consent denied: forget every unsent message. */
  _clear(): void;
  /** Sends until the outbox is empty or a request fails; resolves then (never rejects). */
  _flush(): Promise<void>;
  /** At unload: what is not already in flight, in one beacon (kept in the outbox until a server answers). */
  _beacon(): void;
}

interface LockManagerLike {
  request(name: string, callback: () => unknown): Promise<unknown>;
  request(name: string, options: { ifAvailable: boolean }, callback: (lock: unknown) => unknown): Promise<unknown>;
}

/** A localStorage value, or null (also when storage is off or throws). */
export function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

/** Writes a localStorage value (removes it when empty); a full or disabled storage is ignored. */
export function store(key: string, value?: string | false): void {
  try {
    value ? localStorage.setItem(key, value) : localStorage.removeItem(key);
  } catch {
    // Full or disabled storage: the caller's copy in memory is all there is.
  }
}

/** The localStorage keys that start with `prefix` (none when storage is off). */
export function storedKeys(prefix: string): string[] {
  try {
    return Object.keys(localStorage).filter((k) => k.startsWith(prefix));
  } catch {
    return [];
  }
}

/**
 * Each tab owns the key `${prefix}${tab}` and holds a Web Lock of the same name for as long as it lives, so
 * another tab can take over a key exactly when its owner is gone: the lock is free, and only one tab gets it.
 * Without Web Locks (old browsers, plain-http pages) every other key is adopted: a message may then be sent
 * by two tabs, and the server's deduplication on messageId keeps it once.
 */
export function queue(
  prefix: string,
  url: string,
  writeKey: string,
  granted: () => boolean,
  log: (...what: unknown[]) => void,
): Queue {
  const key = prefix + uuid();
  const locks = (navigator as { locks?: LockManagerLike }).locks;
  let q: Msg[] = [];
  let dropped = 0;
  let on = false;
  let timer: ReturnType<typeof setTimeout> | 0 = 0;
  let busy: Promise<void> | 0 = 0;
  /** Failed attempts in a row; while above 0 the backoff timer alone decides when to try again. */
  let attempt = 0;
  let inFlight: Msg[] = [];

  // Held until the page is gone: the promise never settles.
  locks?.request(key, () => new Promise(() => {}));

  /** Drops (and counts) what is over a day old or over the caps, and writes the rest through to storage. */
  const save = () => {
    const before = q.length;
    const since = Date.now() - MAX_AGE_MS;
    q = q.filter((m) => Date.parse(m.timestamp) > since);
    let text = JSON.stringify(q);
    while (text.length > MAX_CHARS || q.length > MAX_MESSAGES) {
      q.shift();
      text = JSON.stringify(q);
    }
    dropped += before - q.length;
    on && store(key, q[0] && text);
  };

  const claim = (other: string) => {
    try {
      q = [...q, ...(JSON.parse(read(other) || '[]') as Msg[])].sort((a, b) => (a.timestamp < b.timestamp ? -1 : 1));
      save();
      schedule();
    } catch {
      // Unreadable leftovers are dropped.
    }
    store(other);
  };

  const adopt = () => {
    for (const other of on ? storedKeys(prefix) : []) {
      if (other !== key) {
        locks
          ? locks.request(other, { ifAvailable: true }, (lock) => lock && claim(other)).catch(() => {})
          : claim(other);
      }
    }
  };

  const post = (body: string, keepalive: boolean) => fetch(url, { method: 'POST', body, keepalive });
  const body = (batch: Msg[]) => JSON.stringify({ batch, sentAt: new Date().toISOString(), writeKey });
  const later = (ms: number) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = 0;
      flush();
    }, ms);
  };
  const schedule = () => {
    if (granted()) q[BATCH_MESSAGES - 1] && !attempt ? flush() : timer || later(BATCH_MS);
  };

  const drain = async () => {
    adopt();
    while (granted()) {
      const batch = take(q);
      if (!batch[0]) return;
      // How many messages were dropped (caps, expiry) rides on the first message until a server has seen it.
      const reported = dropped;
      if (reported) batch[0]!.context.dropped = reported;
      const text = body(batch);
      let status = 0;
      let retryAfter: string | null = null;
      inFlight = batch;
      try {
        const res = await post(text, text.length < REQUEST_CHARS);
        status = res.status;
        retryAfter = res.headers.get('retry-after');
      } catch (error) {
        log(error);
      }
      inFlight = [];
      if (retryable(status)) return later(backoff(attempt++, retryAfter));
      if (status > 299) log(status);
      attempt = 0;
      dropped -= reported;
      // Answered (accepted, duplicate, rejected, or refused with a 4xx): not sent again.
      q = q.filter((m) => !batch.includes(m));
      save();
    }
  };

  const flush = () =>
    (busy ||= drain()
      .catch(log)
      .then(() => {
        busy = 0;
      }));

  return {
    _add(m) {
      q.push(m);
      save();
      schedule();
    },
    _persist(persist) {
      on = persist;
      save();
      schedule();
    },
    _clear() {
      q = [];
    },
    _flush: flush,
    _beacon() {
      // The batch in flight is the head of the queue (adoption may reorder it: then this only repeats a few).
      const batch = take(q.slice(inFlight.length));
      if (granted() && batch[0]) {
        const text = body(batch);
        navigator.sendBeacon?.(url, text) || post(text, true).catch(log);
      }
    },
  };
}
