// Login throttling, in process: attempts per client IP and failures per account in sliding windows.
// In-process means each server process counts on its own (N processes allow N times the limit); that is
// acceptable for a brake on guessing, and keeps logins off the database when someone hammers them.

export interface ThrottleLimits {
  /** Login attempts (good or bad) one IP may make per window. */
  perIp: number;
  /** Failed attempts one account may take per window; a successful login clears them. */
  perAccount: number;
  windowMs: number;
}

export const defaultThrottleLimits: ThrottleLimits = { perIp: 50, perAccount: 10, windowMs: 15 * 60 * 1000 };

/** Keys kept at most; beyond that the stalest are dropped, so a flood of addresses cannot exhaust memory. */
const MAX_KEYS = 100_000;

class SlidingWindow {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Seconds until `key` may try again, or 0 when it may now. */
  retryAfter(key: string, now: number): number {
    const list = this.live(key, now);
    if (list.length < this.limit) return 0;
    const oldest = list[list.length - this.limit] ?? now;
    return Math.max(1, Math.ceil((oldest + this.windowMs - now) / 1000));
  }

  add(key: string, now: number): void {
    const list = this.live(key, now);
    list.push(now);
    // Re-insert so Map order is least-recently-hit first, for eviction.
    this.hits.delete(key);
    this.hits.set(key, list);
    if (this.hits.size > MAX_KEYS) {
      const stalest = this.hits.keys().next().value;
      if (stalest !== undefined) this.hits.delete(stalest);
    }
  }

  clear(key: string): void {
    this.hits.delete(key);
  }

  private live(key: string, now: number): number[] {
    const list = (this.hits.get(key) ?? []).filter((t) => t > now - this.windowMs);
    if (list.length === 0) this.hits.delete(key);
    else this.hits.set(key, list);
    return list;
  }
}

export class LoginThrottle {
  private readonly ips: SlidingWindow;
  private readonly accounts: SlidingWindow;

  constructor(
    limits: ThrottleLimits = defaultThrottleLimits,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.ips = new SlidingWindow(limits.perIp, limits.windowMs);
    this.accounts = new SlidingWindow(limits.perAccount, limits.windowMs);
  }

  /** Counts an attempt from `ip` for `email`; returns the seconds to wait when it must be refused, else 0. */
  attempt(ip: string, email: string): number {
    const now = this.now().getTime();
    const wait = Math.max(this.ips.retryAfter(ip, now), this.accounts.retryAfter(accountKey(email), now));
    if (wait > 0) return wait;
    this.ips.add(ip, now);
    return 0;
  }

  failed(email: string): void {
    this.accounts.add(accountKey(email), this.now().getTime());
  }

  succeeded(email: string): void {
    this.accounts.clear(accountKey(email));
  }
}

const accountKey = (email: string) => email.trim().toLowerCase();
