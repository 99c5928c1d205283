// The rules of delivery: batch sizes, which answers are retried and after how long. Every request the SDK makes
// is a CORS "simple" one (text/plain body, write key in the body, no custom headers): no preflight, ever.

/** A batch is sent this long after its first message, or at once when this many are waiting. */
export const BATCH_MS = 2000;
export const BATCH_MESSAGES = 20;
/** Messages still failing after this long are given up (counted as dropped). */
export const MAX_AGE_MS = 24 * 60 * 60 * 1000;
const MAX_BACKOFF_MS = 60 * 60 * 1000;
/** At most 20,000 UTF-16 units of JSON per request stay under the 64 KB keepalive/beacon quota in any script. */
export const REQUEST_CHARS = 20_000;
const REQUEST_MESSAGES = 100;

/**
 * How long to wait before retry number `attempt` (0-based): 1 s doubling up to 1 h, with jitter (50–100 %), never
 * less than the server's `Retry-After` in seconds (what Fideliza sends; an HTTP date is ignored), never more than 24 h.
 */
export const backoff = (attempt: number, retryAfter?: string | null, random: () => number = Math.random): number =>
  Math.min(
    MAX_AGE_MS,
    Math.max((Math.min(1e3 * 2 ** attempt, MAX_BACKOFF_MS) * (1 + random())) / 2, +(retryAfter as string) * 1e3 || 0),
  );

/** Network errors (status 0), 408, 429 and 5xx are retried; any other answer settles the batch. */
export const retryable = (status: number): boolean => !status || status === 408 || status === 429 || status > 499;

/** The oldest messages that fit one request (always at least one). */
export function take<T>(q: T[]): T[] {
  let chars = 0;
  let n = 0;
  for (; n < q.length && n < REQUEST_MESSAGES; n++) {
    chars += JSON.stringify(q[n]).length;
    if (n && chars > REQUEST_CHARS) break;
  }
  return q.slice(0, n);
}
