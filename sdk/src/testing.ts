// Test doubles for the SDK's unit tests (happy-dom): a recording server behind `fetch` and `sendBeacon`, and
// Web Locks shared by several "tabs" (clients) in one document. Never imported by the SDK itself.
import { vi } from 'vitest';
import type { IngestResult, Message } from '../../server/src/protocol/messages.ts';
import type { Msg } from './queue.ts';

export interface Batch {
  batch: Msg[];
  sentAt: string;
  writeKey: string;
}

export interface Sent {
  via: 'fetch' | 'beacon';
  url: string;
  /** The raw body: the SDK always sends a string (so the browser labels it text/plain: no preflight). */
  body: string;
  keepalive: boolean | undefined;
  batch: Batch;
  /** The status answered (0: network error; beacons are not answered). */
  status?: number;
}

export type Reply = { status: number; headers?: Record<string, string> } | 'network-error';

/**
 * Stubs `fetch` and `navigator.sendBeacon`; records every request. Replies come from `reply` (default: 200 with
 * everything accepted); answers for one write key only are read with `of(writeKey)`.
 */
export function fakeServer(reply: (batch: Batch, n: number) => Reply | Promise<Reply> = () => ({ status: 200 })) {
  const sent: Sent[] = [];
  const config = { widget: { enabled: false } };
  let n = 0;
  const fetch = vi.fn(async (url: string, init?: RequestInit) => {
    if (url.includes('/v1/config')) return new Response(JSON.stringify(config), { status: 200 });
    const body = String(init?.body);
    const batch = JSON.parse(body) as Batch;
    const record: Sent = { via: 'fetch', url, body, keepalive: init?.keepalive, batch };
    sent.push(record);
    const r = await reply(batch, n++);
    record.status = r === 'network-error' ? 0 : r.status;
    if (r === 'network-error') throw new TypeError('Failed to fetch');
    const result: IngestResult = { accepted: batch.batch.length, duplicates: 0, rejected: [] };
    return new Response(JSON.stringify(result), { status: r.status, headers: r.headers });
  });
  const sendBeacon = vi.fn((url: string, body: string) => {
    sent.push({ via: 'beacon', url, body, keepalive: undefined, batch: JSON.parse(body) as Batch });
    return true;
  });
  vi.stubGlobal('fetch', fetch);
  Object.defineProperty(navigator, 'sendBeacon', { value: sendBeacon, configurable: true, writable: true });
  return {
    sent,
    fetch,
    sendBeacon,
    config,
    /** Requests of one site, in order. */
    of: (writeKey: string) => sent.filter((s) => s.batch.writeKey === writeKey),
    /** Every message of one site in the order sent (repeats included). */
    messages: (writeKey: string): Msg[] =>
      sent.filter((s) => s.batch.writeKey === writeKey).flatMap((s) => s.batch.batch),
    /** Messages of one site in requests answered 2xx, in order. */
    delivered: (writeKey: string): Msg[] =>
      sent.filter((s) => s.batch.writeKey === writeKey && s.status && s.status < 300).flatMap((s) => s.batch.batch),
  };
}

/** The messages of a type/event among those sent. */
export const named = (messages: Message[], event: string) =>
  messages.filter((m) => (m.type === 'track' ? m.event === event : m.type === event));

interface Held {
  owner: string;
}

/**
 * The Web Locks API as the SDK uses it (exclusive locks; `ifAvailable`), shared by several tabs: `view(tab)` is
 * what one tab sees as `navigator.locks`, `close(tab)` releases everything that tab held, as closing it would.
 */
export class SharedLocks {
  readonly held = new Map<string, Held>();

  view(tab: string) {
    const request = (name: string, a: unknown, b?: unknown): Promise<unknown> => {
      const options = (typeof a === 'function' ? {} : a) as { ifAvailable?: boolean };
      const callback = (typeof a === 'function' ? a : b) as (lock: unknown) => unknown;
      if (this.held.has(name)) {
        if (options.ifAvailable) return Promise.resolve().then(() => callback(null));
        return Promise.reject(new Error(`test double: ${name} is held and waiting is not modelled`));
      }
      const lock = { owner: tab };
      this.held.set(name, lock);
      return Promise.resolve()
        .then(() => callback({ name }))
        .finally(() => {
          if (this.held.get(name) === lock) this.held.delete(name);
        });
    };
    return { request };
  }

  close(tab: string) {
    for (const [name, lock] of this.held) if (lock.owner === tab) this.held.delete(name);
  }
}

/** What the next client created will see as `navigator.locks` (undefined: a browser without Web Locks). */
export function useLocks(locks: { request: unknown } | undefined) {
  Object.defineProperty(navigator, 'locks', { value: locks, configurable: true, writable: true });
}

/** Lets pending promise callbacks (and fetch mocks) run. */
export const settle = async (rounds = 5) => {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
};
