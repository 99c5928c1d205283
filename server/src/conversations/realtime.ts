// Server-Sent Events for conversations: backlog from the database, then live messages woken by LISTEN/NOTIFY.
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { Notifications } from '../db/index.ts';
import { AppError } from '../http/errors.ts';
import { CHANNEL, type StaffMessage } from './queries.ts';

interface Subscriber {
  siteId: string;
  conversationId?: string | undefined;
  /** Something may have arrived: read the database again. */
  poke: () => void;
  /** The hub is shutting down: end the stream. */
  end: () => void;
}

/**
 * One LISTEN per process, shared by every open stream. A notification only says "site S, conversation C
 * changed": each stream then reads what is new from the database by id, so a lost or duplicated
 * notification can delay an event but never drop or repeat it.
 */
export class RealtimeHub {
  private readonly subscribers = new Set<Subscriber>();
  private listening: Promise<() => Promise<void>> | undefined;
  private closed = false;

  constructor(private readonly notifications: Notifications) {}

  async subscribe(subscriber: Subscriber): Promise<() => void> {
    if (this.closed) throw new AppError(503, 'shutting_down', 'the server is shutting down');
    this.subscribers.add(subscriber);
    try {
      this.listening ??= this.notifications.listen(CHANNEL, (payload) => this.deliver(payload));
      await this.listening;
    } catch (error) {
      this.listening = undefined;
      this.subscribers.delete(subscriber);
      throw error;
    }
    return () => {
      this.subscribers.delete(subscriber);
    };
  }

  /** Refuses new streams once shutting down (the answer must come before the stream's 200 is sent). */
  assertOpen(): void {
    if (this.closed) throw new AppError(503, 'shutting_down', 'the server is shutting down');
  }

  /** How many streams are open (for tests and metrics). */
  get size(): number {
    return this.subscribers.size;
  }

  private deliver(payload: string | null): void {
    // null: the listening connection was re-established and notifications may have been lost.
    const [siteId, conversationId] = payload === null ? [] : payload.split(' ');
    for (const s of this.subscribers) {
      if (payload === null || (s.siteId === siteId && (!s.conversationId || s.conversationId === conversationId))) {
        s.poke();
      }
    }
  }

  /** Ends every open stream and stops listening (graceful shutdown must not wait on endless responses). */
  async close(): Promise<void> {
    this.closed = true;
    for (const s of [...this.subscribers]) s.end();
    this.subscribers.clear();
    const stop = await this.listening?.catch(() => undefined);
    this.listening = undefined;
    await stop?.();
  }
}

/** The id to resume after: the `Last-Event-ID` header (EventSource sends it on reconnect) or `?lastEventId=`. */
export function lastEventId(c: Context): number | null {
  const raw = c.req.header('last-event-id') ?? c.req.query('lastEventId');
  if (raw === undefined) return null;
  if (!/^\d{1,15}$/.test(raw)) throw new AppError(400, 'invalid_last_event_id', 'Last-Event-ID must be a message id');
  return Number(raw);
}

export interface StreamOptions {
  hub: RealtimeHub;
  siteId: string;
  conversationId?: string;
  afterId: number;
  /** Reads messages with an id above the argument, oldest first, at most `pageSize`. */
  load: (afterId: number) => Promise<StaffMessage[]>;
  toData: (m: StaffMessage) => unknown;
  heartbeatMs: number;
  pageSize?: number;
}

export function eventStream(c: Context, o: StreamOptions): Response {
  const pageSize = o.pageSize ?? 500;
  o.hub.assertOpen();
  return streamSSE(c, async (stream) => {
    let last = o.afterId;
    let done = false;
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const end = () => {
      done = true;
      finish();
    };
    stream.onAbort(end);

    // One reader at a time; a poke during a read makes it read again, so nothing is sent twice or skipped.
    let reading = false;
    let again = false;
    const pump = async (): Promise<void> => {
      if (reading) {
        again = true;
        return;
      }
      reading = true;
      try {
        do {
          again = false;
          for (;;) {
            const rows = await o.load(last);
            for (const m of rows) {
              if (done) return;
              await stream.writeSSE({ id: String(m.id), event: 'message', data: JSON.stringify(o.toData(m)) });
              last = m.id;
            }
            if (rows.length < pageSize) break;
          }
        } while (again && !done);
      } catch (error) {
        console.error('event stream failed:', error);
        end();
      } finally {
        reading = false;
      }
    };

    // Subscribe before reading the backlog: a message committed in between is then both read and poked,
    // and the id check makes the second read find nothing new.
    const unsubscribe = await o.hub.subscribe({ siteId: o.siteId, conversationId: o.conversationId, poke: pump, end });
    const heartbeat = setInterval(() => {
      // A comment line: ignored by EventSource, keeps proxies from closing an idle connection.
      if (!reading) void stream.write(': ping\n\n');
    }, o.heartbeatMs);
    try {
      await stream.write('retry: 3000\n\n');
      await pump();
      await finished;
    } finally {
      clearInterval(heartbeat);
      unsubscribe();
    }
  });
}
