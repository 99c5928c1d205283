// @vitest-environment happy-dom
// Delivery through the outbox: batching, retries on a fake clock, the caps and the drop count, storage failing,
// reloads, two tabs, and the beacon at unload.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Client, createClient, type Options } from './index.ts';
import { fakeServer, type Reply, SharedLocks, settle, useLocks } from './testing.ts';

let sites = 0;
/** A fresh site per test: nothing stored by another test's clients can interfere. */
const site = () => `wk_queue${++sites}`;
const client = (writeKey: string, extra: Partial<Options> = {}) =>
  createClient({
    writeKey,
    host: 'https://fz.test',
    autoPage: false,
    autoClick: false,
    autoScroll: false,
    widget: false,
    ...extra,
  });
const outboxKeys = (writeKey: string) => Object.keys(localStorage).filter((k) => k.startsWith(`fz:${writeKey}:q`));
const stored = (writeKey: string) =>
  outboxKeys(writeKey).flatMap((k) => JSON.parse(localStorage.getItem(k)!) as { event?: string }[]);
/** Starts autocapture and listeners (they begin on a zero-delay timer after creation). */
const start = () => vi.advanceTimersByTimeAsync(0);
/** The page goes away: unloading hides it, then pagehide. */
const leave = () => {
  Object.defineProperty(document, 'hidden', { value: true, configurable: true });
  dispatchEvent(new Event('pagehide'));
  Object.defineProperty(document, 'hidden', { value: false, configurable: true });
};

beforeEach(() => {
  vi.useFakeTimers();
  vi.spyOn(Math, 'random').mockReturnValue(0);
  localStorage.clear();
  useLocks(undefined);
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  // Clients of earlier tests live on (timers, listeners): they keep talking to a fake server, never the network.
  fakeServer();
});

describe('batching', () => {
  it('sends one batch 2 s after the first message, in order, with ids fixed at creation', async () => {
    const server = fakeServer();
    const key = site();
    const c = client(key);
    c.track('A');
    c.track('B');
    c.page('Home');
    await vi.advanceTimersByTimeAsync(1999);
    expect(server.of(key)).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    const [request] = server.of(key);
    expect(server.of(key)).toHaveLength(1);
    expect(request!.batch.batch.map((m) => ('event' in m ? m.event : m.type))).toEqual(['A', 'B', 'page']);
    const ids = request!.batch.batch.map((m) => m.messageId);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(3);
    expect(request!.batch.writeKey).toBe(key);
    expect(request!.url).toBe('https://fz.test/v1/batch');
    expect(stored(key)).toEqual([]);
  });

  it('sends at once when 20 messages are waiting', async () => {
    const server = fakeServer();
    const key = site();
    const c = client(key);
    for (let i = 0; i < 20; i++) c.track(`E${i}`);
    await settle();
    expect(server.of(key).map((r) => r.batch.batch.length)).toEqual([20]);
  });

  it('sends every request as a plain string (text/plain: no CORS preflight) and with keepalive when small', async () => {
    const server = fakeServer();
    const key = site();
    const c = client(key);
    c.track('A');
    await c.flush();
    const [request] = server.of(key);
    expect(typeof request!.body).toBe('string');
    expect(request!.keepalive).toBe(true);
  });
});

describe('retries', () => {
  it('backs off exponentially on network errors, 5xx, 408 and 429, honouring Retry-After', async () => {
    const replies: Reply[] = [
      'network-error',
      { status: 500 },
      { status: 408 },
      { status: 429, headers: { 'Retry-After': '120' } },
    ];
    const server = fakeServer((_, n) => replies[n] ?? { status: 200 });
    const key = site();
    const c = client(key);
    const t0 = Date.now();
    c.track('A');
    await vi.advanceTimersByTimeAsync(200_000);
    expect(server.of(key)).toHaveLength(5);
    // With the random source at 0: 2 s batch delay, then 0.5, 1, 2 s, then Retry-After's 120 s over backoff's 4 s.
    const sentAt = server.of(key).map((r) => Date.parse(r.batch.sentAt) - t0);
    expect(sentAt).toEqual([2000, 2500, 3500, 5500, 125_500]);
    // The same message each time: one messageId, fixed at creation; sentAt set fresh on every attempt.
    expect(new Set(server.messages(key).map((m) => m.messageId)).size).toBe(1);
    expect(new Set(server.of(key).map((r) => r.batch.sentAt)).size).toBe(5);
  });

  it('does not send before the backoff is over, even when 20 more messages arrive', async () => {
    const server = fakeServer((_, n) => (n === 0 ? { status: 503 } : { status: 200 }));
    const key = site();
    const c = client(key);
    c.track('first');
    await vi.advanceTimersByTimeAsync(2000);
    for (let i = 0; i < 25; i++) c.track(`E${i}`);
    await settle();
    expect(server.of(key)).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(500);
    expect(
      server
        .messages(key)
        .slice(1)
        .map((m) => ('event' in m ? m.event : '')),
    ).toEqual(['first', ...Array.from({ length: 25 }, (_, i) => `E${i}`)]);
  });

  it('drops a batch answered with another 4xx and goes on with the next', async () => {
    const server = fakeServer((batch) =>
      batch.batch.some((m) => 'event' in m && m.event === 'bad') ? { status: 400 } : { status: 200 },
    );
    const key = site();
    const c = client(key);
    c.track('bad');
    await c.flush();
    c.track('good');
    await c.flush();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(server.messages(key).map((m) => ('event' in m ? m.event : ''))).toEqual(['bad', 'good']);
    expect(stored(key)).toEqual([]);
  });

  it('gives up on a message after 24 h of failures and reports the drop', async () => {
    let down = true;
    const server = fakeServer(() => (down ? { status: 503 } : { status: 200 }));
    const key = site();
    const c = client(key);
    c.track('old');
    await vi.advanceTimersByTimeAsync(25 * 60 * 60 * 1000);
    const attempts = server.of(key).length;
    expect(attempts).toBeGreaterThan(10);
    down = false;
    c.track('new');
    await c.flush();
    const delivered = server.delivered(key);
    expect(delivered.map((m) => ('event' in m ? m.event : ''))).toEqual(['new']);
    expect(delivered[0]!.context.dropped).toBe(1);
  });

  it('retries at once when the browser comes back online', async () => {
    let online = false;
    const server = fakeServer(() => (online ? { status: 200 } : 'network-error'));
    const key = site();
    const c = client(key);
    await start();
    c.track('A');
    await c.flush();
    online = true;
    dispatchEvent(new Event('online'));
    await settle(10);
    expect(server.of(key).map((r) => r.batch.batch.length)).toEqual([1, 1]);
    expect(stored(key)).toEqual([]);
  });
});

describe('outbox', () => {
  it('keeps unsent messages in localStorage and delivers them after a reload', async () => {
    let down = true;
    const server = fakeServer(() => (down ? 'network-error' : { status: 200 }));
    const key = site();
    const before = client(key);
    before.track('A');
    await before.flush();
    expect(stored(key).map((m) => m.event)).toEqual(['A']);
    down = false;
    // The reloaded page: a new client on the same site takes over the old page's outbox.
    const after = client(key);
    await after.flush();
    expect(server.messages(key).map((m) => ('event' in m ? m.event : ''))).toEqual(['A', 'A']);
    expect(server.of(key).at(-1)!.batch.batch).toHaveLength(1);
    expect(stored(key)).toEqual([]);
  });

  it('caps the outbox at 1000 messages, dropping the oldest and counting them', async () => {
    let down = true;
    const server = fakeServer(() => (down ? 'network-error' : { status: 200 }));
    const key = site();
    const c = client(key);
    for (let i = 0; i < 1005; i++) c.track(`E${i}`);
    const kept = stored(key);
    expect(kept).toHaveLength(1000);
    expect(kept[0]!.event).toBe('E5');
    down = false;
    c.track('after');
    for (let i = 0; i < 20 && stored(key).length; i++) await c.flush();
    const delivered = server.delivered(key);
    const events = delivered.map((m) => ('event' in m ? m.event : ''));
    // 'after' pushed E5 out too: 1000 kept, 6 dropped.
    expect(events).toHaveLength(1000);
    expect(events.slice(0, 2)).toEqual(['E6', 'E7']);
    expect(events.at(-1)).toBe('after');
    // The count rides on the first message sent after the drop.
    expect(delivered[0]!.context.dropped).toBe(6);
    expect(delivered.filter((m) => m.context.dropped)).toHaveLength(1);
  });

  it('caps the outbox at 1 MB of JSON', async () => {
    fakeServer(() => 'network-error');
    const key = site();
    const c = client(key);
    const big = 'x'.repeat(300_000);
    for (let i = 0; i < 5; i++) c.track(`E${i}`, { big });
    const kept = stored(key);
    expect(kept.map((m) => m.event)).toEqual(['E2', 'E3', 'E4']);
    expect(JSON.stringify(kept).length).toBeLessThanOrEqual(1_000_000);
  });

  it('keeps working in memory when localStorage throws', async () => {
    const server = fakeServer();
    for (const method of ['getItem', 'setItem', 'removeItem', 'key'] as const) {
      vi.spyOn(Storage.prototype, method).mockImplementation(() => {
        throw new DOMException('denied', 'SecurityError');
      });
    }
    const key = site();
    const c = client(key);
    c.identify('u1');
    c.track('A');
    await c.flush();
    expect(server.messages(key).map((m) => m.type)).toEqual(['identify', 'track']);
    expect(server.messages(key)[1]!.userId).toBe('u1');
  });

  it('keeps working in memory when localStorage is full', async () => {
    const server = fakeServer(() => 'network-error');
    vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new DOMException('full', 'QuotaExceededError');
    });
    const key = site();
    const c = client(key);
    c.track('A');
    await c.flush();
    server.fetch.mockImplementation(async () => new Response('{}', { status: 200 }));
    await c.flush();
    expect(server.fetch).toHaveBeenCalledTimes(2);
    expect(JSON.parse(String(server.fetch.mock.calls[1]![1]!.body)).batch[0].event).toBe('A');
  });
});

describe('two tabs', () => {
  let locks: SharedLocks;
  const tab = (name: string, key: string) => {
    useLocks(locks.view(name));
    return client(key);
  };
  beforeEach(() => {
    locks = new SharedLocks();
  });

  it('never send the same message: a live tab keeps its outbox to itself', async () => {
    let down = true;
    const server = fakeServer(() => (down ? { status: 503 } : { status: 200 }));
    const key = site();
    const a = tab('A', key);
    const b = tab('B', key);
    await settle();
    a.track('from A');
    await a.flush();
    down = false;
    // B flushes while A (alive, holding its lock) waits for its retry: B must leave A's outbox alone.
    b.track('from B');
    await b.flush();
    await settle();
    await vi.advanceTimersByTimeAsync(1000);
    const events = server.of(key).map((r) => r.batch.batch.map((m) => ('event' in m ? m.event : '')));
    expect(events).toEqual([['from A'], ['from B'], ['from A']]);
    expect(stored(key)).toEqual([]);
  });

  it('hand a closed tab’s outbox to exactly one of the remaining tabs', async () => {
    let down = true;
    const server = fakeServer(() => (down ? { status: 503, headers: { 'Retry-After': '86400' } } : { status: 200 }));
    const key = site();
    const a = tab('A', key);
    await settle();
    for (let i = 0; i < 5; i++) a.track(`A${i}`);
    await a.flush();
    const failed = server.of(key).length;
    // A is closed: its lock goes, its page stops; B and C were open and both try to take the leftovers.
    locks.close('A');
    down = false;
    const b = tab('B', key);
    const c = tab('C', key);
    await settle();
    await Promise.all([b.flush(), c.flush()]);
    await settle(10);
    await Promise.all([b.flush(), c.flush()]);
    const delivered = server
      .of(key)
      .slice(failed)
      .flatMap((r) => r.batch.batch.map((m) => ('event' in m ? m.event : '')));
    expect(delivered.sort()).toEqual(['A0', 'A1', 'A2', 'A3', 'A4']);
    expect(stored(key)).toEqual([]);
  });

  it('without Web Locks, still lose nothing left by a closed page', async () => {
    let down = true;
    const server = fakeServer(() => (down ? 'network-error' : { status: 200 }));
    const key = site();
    useLocks(undefined);
    const a = client(key);
    a.track('left behind');
    await a.flush();
    down = false;
    const b = client(key);
    await b.flush();
    expect(server.messages(key).filter((m) => 'event' in m && m.event === 'left behind')).toHaveLength(2);
    expect(stored(key)).toEqual([]);
  });
});

describe('unload', () => {
  let c: Client;
  let key: string;
  beforeEach(async () => {
    key = site();
  });

  it('on pagehide beacons what is not in flight, as text/plain under 64 KB, and keeps it until answered', async () => {
    let release: () => void = () => {};
    const server = fakeServer((_, n) =>
      n === 0 ? new Promise((resolve) => (release = () => resolve({ status: 200 }))) : { status: 200 },
    );
    c = client(key);
    await start();
    for (let i = 0; i < 3; i++) c.track(`sent${i}`);
    void c.flush();
    await settle();
    for (let i = 0; i < 200; i++) c.track(`late${i}`, { pad: 'x'.repeat(200) });
    leave();
    const beacons = server.sent.filter((s) => s.via === 'beacon' && s.batch.writeKey === key);
    expect(beacons).toHaveLength(1);
    const events = beacons[0]!.batch.batch.map((m) => ('event' in m ? m.event : ''));
    expect(events[0]).toBe('late0');
    expect(events.some((e) => e.startsWith('sent'))).toBe(false);
    expect(new Blob([beacons[0]!.body]).size).toBeLessThan(64 * 1024);
    expect(server.sendBeacon.mock.calls.at(-1)![0]).toBe('https://fz.test/v1/batch');
    // Not answered: still in the outbox, so a later page sends them if the beacon was lost.
    expect(stored(key).length).toBeGreaterThan(200);
    release();
    await settle(10);
  });

  it('falls back to fetch with keepalive when the beacon is refused', async () => {
    const server = fakeServer();
    server.sendBeacon.mockReturnValue(false);
    c = client(key);
    await start();
    c.track('bye');
    leave();
    await settle();
    const [request] = server.of(key).filter((r) => r.via === 'fetch');
    expect(request!.keepalive).toBe(true);
    expect(request!.batch.batch.map((m) => ('event' in m ? m.event : ''))).toEqual(['bye']);
  });

  it('when the page is hidden, sends at once with keepalive and removes what the server answered', async () => {
    const server = fakeServer();
    c = client(key);
    await start();
    c.track('hidden');
    Object.defineProperty(document, 'hidden', { value: true, configurable: true });
    document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
    await settle(10);
    Object.defineProperty(document, 'hidden', { value: false, configurable: true });
    expect(server.of(key).map((r) => [r.via, r.keepalive])).toEqual([['fetch', true]]);
    expect(stored(key)).toEqual([]);
  });
});
