// Token buckets per key, on an injected clock.
import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limit.ts';

/** A clock the test moves by hand. */
function manualClock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('RateLimiter', () => {
  it('lets a burst through, then asks to wait', () => {
    const clock = manualClock();
    const limiter = new RateLimiter(10, 3, clock.now);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([0, 0, 0]);
    expect(limiter.take('a')).toBe(1);
    // Refused requests do not consume tokens.
    expect(limiter.take('a')).toBe(1);
  });

  it('refills at the configured rate', () => {
    const clock = manualClock();
    const limiter = new RateLimiter(10, 2, clock.now);
    limiter.take('a');
    limiter.take('a');
    expect(limiter.take('a')).toBeGreaterThan(0);
    clock.advance(99);
    expect(limiter.take('a')).toBeGreaterThan(0);
    clock.advance(1);
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBeGreaterThan(0);
    // A long pause refills no more than the burst.
    clock.advance(60_000);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([0, 0, 1]);
  });

  it('answers the whole seconds until the next token, at least one', () => {
    const clock = manualClock();
    const slow = new RateLimiter(1, 1, clock.now);
    slow.take('a');
    expect(slow.take('a')).toBe(1);
    clock.advance(300);
    expect(slow.take('a')).toBe(1);

    // One token every five seconds: Retry-After counts down as time passes.
    const slower = new RateLimiter(0.2, 1, clock.now);
    slower.take('b');
    expect(slower.take('b')).toBe(5);
    clock.advance(2_500);
    expect(slower.take('b')).toBe(3);
    clock.advance(2_500);
    expect(slower.take('b')).toBe(0);
  });

  it('keeps keys apart: one exhausted key does not touch another', () => {
    const clock = manualClock();
    const limiter = new RateLimiter(1, 2, clock.now);
    limiter.take('noisy');
    limiter.take('noisy');
    expect(limiter.take('noisy')).toBeGreaterThan(0);
    expect([limiter.take('quiet'), limiter.take('quiet')]).toEqual([0, 0]);
    expect(limiter.take('noisy')).toBeGreaterThan(0);
  });

  it('bounds its memory: past maxKeys the buckets start afresh', () => {
    const clock = manualClock();
    const limiter = new RateLimiter(1, 1, clock.now, 3);
    limiter.take('a');
    expect(limiter.take('a')).toBe(1);
    limiter.take('b');
    limiter.take('c');
    // The fourth key clears the table, so `a` has a full bucket again.
    limiter.take('d');
    expect(limiter.take('a')).toBe(0);
  });
});
