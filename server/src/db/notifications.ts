// Postgres LISTEN on either dialect: PGlite's own listen(), or one dedicated pg client per process.
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

/** Called with a notification's payload, or with null when notifications may have been lost (reconnect). */
export type NotificationHandler = (payload: string | null) => void;

export interface Notifications {
  /** Starts listening on `channel` (a plain identifier); resolves to the function that stops it. */
  listen(channel: string, handler: NotificationHandler): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

function checkChannel(channel: string): void {
  // LISTEN takes no parameters, so the name is spliced into SQL: only plain identifiers get there.
  if (!IDENTIFIER.test(channel)) throw new Error(`not a channel name: ${channel}`);
}

/** Many handlers share one LISTEN per channel; the backend only has to deliver each payload once. */
class Registry {
  readonly handlers = new Map<string, Set<NotificationHandler>>();

  add(channel: string, handler: NotificationHandler): boolean {
    let set = this.handlers.get(channel);
    const first = !set;
    if (!set) {
      set = new Set();
      this.handlers.set(channel, set);
    }
    set.add(handler);
    return first;
  }

  remove(channel: string, handler: NotificationHandler): boolean {
    const set = this.handlers.get(channel);
    if (!set?.delete(handler)) return false;
    if (set.size > 0) return false;
    this.handlers.delete(channel);
    return true;
  }

  deliver(channel: string, payload: string | null): void {
    for (const handler of this.handlers.get(channel) ?? []) {
      try {
        handler(payload);
      } catch (error) {
        console.error(`notification handler on ${channel} failed:`, error);
      }
    }
  }
}

export function pgliteNotifications(pglite: PGlite): Notifications {
  const registry = new Registry();
  const stops = new Map<string, () => Promise<void>>();
  return {
    async listen(channel, handler) {
      checkChannel(channel);
      if (registry.add(channel, handler)) {
        stops.set(channel, await pglite.listen(channel, (payload) => registry.deliver(channel, payload)));
      }
      return async () => {
        if (registry.remove(channel, handler)) {
          const stop = stops.get(channel);
          stops.delete(channel);
          if (stop && !pglite.closed) await stop();
        }
      };
    },
    async close() {
      registry.handlers.clear();
      stops.clear();
    },
  };
}

/**
 * One client outside the pool holds the LISTENs (a pooled client would be handed to other queries).
 * It connects on first use and, when the connection drops, reconnects and tells every handler
 * (payload null) that it may have missed notifications, so it catches up from the database.
 */
export function pgNotifications(connectionString: string, retryMs = 1000): Notifications {
  const registry = new Registry();
  /** The client of the current attempt, connected or not; events of older clients are ignored. */
  let current: pg.Client | undefined;
  let ready: Promise<pg.Client> | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  const connect = (): Promise<pg.Client> => {
    if (ready) return ready;
    const c = new pg.Client({ connectionString });
    current = c;
    c.on('notification', (msg) => {
      if (c === current) registry.deliver(msg.channel, msg.payload ?? '');
    });
    c.on('error', () => lost(c));
    c.on('end', () => lost(c));
    const attempt = (async () => {
      await c.connect();
      for (const channel of registry.handlers.keys()) await c.query(`LISTEN ${channel}`);
      return c;
    })();
    ready = attempt;
    attempt.catch(() => lost(c));
    return attempt;
  };

  function lost(c: pg.Client): void {
    if (c !== current) return;
    current = undefined;
    ready = undefined;
    c.end().catch(() => {});
    if (closed) return;
    const again = () => {
      retry = undefined;
      if (closed || registry.handlers.size === 0) return;
      connect().then(
        () => {
          for (const channel of registry.handlers.keys()) registry.deliver(channel, null);
        },
        () => {},
      );
    };
    retry = setTimeout(again, retryMs);
    retry.unref();
  }

  return {
    async listen(channel, handler) {
      checkChannel(channel);
      if (closed) throw new Error('notifications are closed');
      const first = registry.add(channel, handler);
      try {
        const c = await connect();
        if (first) await c.query(`LISTEN ${channel}`);
      } catch (error) {
        registry.remove(channel, handler);
        throw error;
      }
      return async () => {
        const c = current;
        if (registry.remove(channel, handler) && c) await c.query(`UNLISTEN ${channel}`).catch(() => {});
      };
    },
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      registry.handlers.clear();
      const c = current;
      current = undefined;
      ready = undefined;
      await c?.end().catch(() => {});
    },
  };
}
