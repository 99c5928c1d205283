// The delivery rules in isolation: the retry schedule (with an injected random source), what is retried, batch sizes.
import { describe, expect, it } from 'vitest';
import type { Msg } from './queue.ts';
import { backoff, MAX_AGE_MS, retryable, take } from './transport.ts';

const HOUR = 60 * 60 * 1000;

describe('backoff', () => {
  it('doubles from 1 s with 50–100 % jitter, capped at one hour', () => {
    const low = () => 0;
    const high = () => 1;
    expect([0, 1, 2, 3, 10].map((n) => backoff(n, null, low))).toEqual([500, 1000, 2000, 4000, 512_000]);
    expect([0, 1, 2, 3, 10].map((n) => backoff(n, null, high))).toEqual([1000, 2000, 4000, 8000, 1_024_000]);
    expect(backoff(12, null, high)).toBe(HOUR);
    expect(backoff(40, null, low)).toBe(HOUR / 2);
  });

  it('spreads retries of many clients (jitter comes from the random source)', () => {
    const waits = new Set([0.1, 0.5, 0.9].map((r) => backoff(3, null, () => r)));
    expect(waits.size).toBe(3);
  });

  it('never retries earlier than Retry-After says, and never later than a day', () => {
    expect(backoff(0, '120', () => 1)).toBe(120_000);
    expect(backoff(20, '5', () => 0)).toBe(HOUR / 2);
    expect(backoff(0, '604800', () => 0)).toBe(MAX_AGE_MS);
    // Not a number of seconds (an HTTP date, garbage): the backoff alone decides.
    expect(backoff(1, 'Wed, 21 Oct 2015 07:28:00 GMT', () => 0)).toBe(1000);
    expect(backoff(1, 'soon', () => 0)).toBe(1000);
  });
});

describe('retryable', () => {
  it('retries network errors, 408, 429 and 5xx; settles everything else', () => {
    expect([0, 408, 429, 500, 502, 503, 504].every(retryable)).toBe(true);
    expect([200, 204, 400, 401, 403, 404, 413, 415, 422].some(retryable)).toBe(false);
  });
});

describe('take', () => {
  const msg = (i: number, pad = 0) => ({ messageId: `m${i}`, pad: 'x'.repeat(pad) }) as unknown as Msg;

  it('takes at most 100 messages', () => {
    const q = Array.from({ length: 250 }, (_, i) => msg(i));
    expect(take(q).map((m) => m.messageId)).toEqual(q.slice(0, 100).map((m) => m.messageId));
  });

  it('keeps one request under 20,000 characters of JSON (the 64 KB beacon quota in any script)', () => {
    const q = Array.from({ length: 10 }, (_, i) => msg(i, 4000));
    const batch = take(q);
    expect(batch.length).toBe(4);
    expect(JSON.stringify(batch).length).toBeLessThan(20_000);
  });

  it('always takes the first message, even a large one, so nothing blocks the queue', () => {
    const q = [msg(0, 50_000), msg(1)];
    expect(take(q).map((m) => m.messageId)).toEqual(['m0']);
    expect(take([])).toEqual([]);
  });
});
