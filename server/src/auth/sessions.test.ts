// Login and sessions: cookie attributes, same answer for unknown email and wrong password, rotation, idle
// and absolute expiry on an injected clock, logout, throttling and the CSRF check.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DialectName } from '../db/index.ts';
import { openTestDatabase, type TestDb, testDialects } from '../db/testing.ts';
import { createApp } from '../http/app.ts';
import { createSite } from '../sites/index.ts';
import { createStaffUser, hashPassword, hashSessionId, LoginThrottle, SESSION_COOKIE } from './index.ts';
import { DECOY_HASH } from './login.ts';

const config = { TRUST_PROXY: false, RATE_LIMIT_RPS: 1000, RATE_LIMIT_BURST: 1000 };
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe.each(testDialects)('staff sessions on %s', (dialect: DialectName) => {
  let db: TestDb;
  let clock: Date;
  let siteA: Awaited<ReturnType<typeof createSite>>;
  let siteB: Awaited<ReturnType<typeof createSite>>;
  let user: Awaited<ReturnType<typeof createStaffUser>>;

  const makeApp = (options: { trustProxy?: boolean; throttle?: LoginThrottle } = {}) =>
    createApp({
      db,
      config: { ...config, TRUST_PROXY: options.trustProxy ?? false },
      remoteAddress: () => '203.0.113.5',
      auth: { now: () => clock, throttle: options.throttle ?? new LoginThrottle(undefined, () => clock) },
    }).app;
  let app: ReturnType<typeof makeApp>;

  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    clock = new Date();
    siteA = await createSite(db.kysely, { name: 'A shop', origins: [] });
    siteB = await createSite(db.kysely, { name: 'B shop', origins: [] });
    user = await createStaffUser(db.kysely, { email: 'Ana@Shop.example', role: 'agent', siteIds: [siteA.siteId] });
    // A second role elsewhere: /me lists each site with its own role.
    await db.kysely
      .insertInto('site_members')
      .values({ site_id: siteB.siteId, user_id: user.userId, role: 'validator' })
      .execute();
    app = makeApp();
  });
  afterAll(async () => {
    await db?.close();
  });

  const login = (
    body: unknown,
    headers: Record<string, string> = {},
    target: { request: typeof app.request } = app,
    url = 'http://localhost/api/auth/login',
  ) =>
    target.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-fideliza-csrf': '1', ...headers },
      body: JSON.stringify(body),
    });
  const cookieOf = (res: Response) => {
    const match = new RegExp(`${SESSION_COOKIE}=([^;]*)`).exec(res.headers.get('set-cookie') ?? '');
    return match?.[1] ?? '';
  };
  const me = (cookie: string) => app.request('/api/auth/me', { headers: { cookie: `${SESSION_COOKIE}=${cookie}` } });
  const sessionsOfUser = () =>
    db.kysely.selectFrom('staff_sessions').selectAll().where('user_id', '=', user.userId).execute();

  it('signs in with email (any case) and password, setting a HttpOnly SameSite=Lax cookie stored only hashed', async () => {
    const res = await login({ email: 'ana@shop.EXAMPLE', password: user.password });
    expect(res.status).toBe(200);
    const expected = {
      user: { id: user.userId, email: 'Ana@Shop.example' },
      sites: [
        { id: siteA.siteId, name: 'A shop', role: 'agent' },
        { id: siteB.siteId, name: 'B shop', role: 'validator' },
      ],
    };
    expect(await res.json()).toEqual(expected);
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(setCookie).toMatch(/Path=\//);
    expect(setCookie).toMatch(/Max-Age=604800/);
    expect(setCookie).not.toMatch(/Secure/);
    const cookie = cookieOf(res);
    // 32 random bytes, base64url.
    expect(cookie).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const stored = await sessionsOfUser();
    expect(stored.map((s) => s.session_hash)).toContain(hashSessionId(cookie));
    expect(stored.map((s) => s.session_hash)).not.toContain(cookie);
    const who = await me(cookie);
    expect(who.status).toBe(200);
    expect(await who.json()).toEqual(expected);
  });

  it('marks the cookie Secure over TLS, and behind a proxy only when the proxy is trusted', async () => {
    const tls = await login(
      { email: user.email, password: user.password },
      {},
      app,
      'https://shop.example/api/auth/login',
    );
    expect(tls.headers.get('set-cookie')).toMatch(/; Secure/);
    const forwarded = { 'x-forwarded-proto': 'https' };
    const untrusted = await login({ email: user.email, password: user.password }, forwarded);
    expect(untrusted.headers.get('set-cookie')).not.toMatch(/Secure/);
    const trusted = await login(
      { email: user.email, password: user.password },
      forwarded,
      makeApp({ trustProxy: true }),
    );
    expect(trusted.headers.get('set-cookie')).toMatch(/; Secure/);
  });

  it('answers an unknown email exactly like a wrong password, and sets no cookie', async () => {
    const before = (await sessionsOfUser()).length;
    const wrong = await login({ email: user.email, password: `${user.password}x` });
    const unknown = await login({ email: 'nobody@shop.example', password: user.password });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const body = await wrong.json();
    expect(body).toEqual({ error: { code: 'invalid_credentials', message: 'wrong email or password' } });
    expect(await unknown.json()).toEqual(body);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    expect(unknown.headers.get('set-cookie')).toBeNull();
    expect((await sessionsOfUser()).length).toBe(before);
    expect((await login({ email: user.email })).status).toBe(400);
    expect((await login({ email: user.email, password: 'x'.repeat(5000) })).status).toBe(413);
    const malformed = await app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-fideliza-csrf': '1' },
      body: '{"email":',
    });
    expect(malformed.status).toBe(400);
    // The unknown email was checked against a hash as costly as a real one.
    const cost = (hash: string) => hash.split('$').slice(0, 4).join('$');
    expect(cost(DECOY_HASH)).toBe(cost(await hashPassword('x')));
  });

  it('rotates: a new login gets a new session id and the old cookie stops working', async () => {
    const first = cookieOf(await login({ email: user.email, password: user.password }));
    const second = await login(
      { email: user.email, password: user.password },
      { cookie: `${SESSION_COOKIE}=${first}` },
    );
    const next = cookieOf(second);
    expect(next).not.toBe(first);
    expect((await me(first)).status).toBe(401);
    expect((await me(next)).status).toBe(200);
    const hashes = (await sessionsOfUser()).map((s) => s.session_hash);
    expect(hashes).not.toContain(hashSessionId(first));
    expect(hashes).toContain(hashSessionId(next));
  });

  it('expires after 2 h idle, sliding with use', async () => {
    clock = new Date();
    const cookie = cookieOf(await login({ email: user.email, password: user.password }));
    // Used every 1 h 59 min, it lives well past 2 h.
    for (let i = 0; i < 3; i++) {
      clock = new Date(clock.getTime() + 2 * HOUR - MINUTE);
      expect((await me(cookie)).status).toBe(200);
    }
    clock = new Date(clock.getTime() + 2 * HOUR);
    const dead = await me(cookie);
    expect(dead.status).toBe(401);
    expect((await dead.json()).error.code).toBe('session_expired');
    expect((await sessionsOfUser()).map((s) => s.session_hash)).not.toContain(hashSessionId(cookie));
  });

  it('expires 7 days after login however busy', async () => {
    clock = new Date();
    const start = clock.getTime();
    const cookie = cookieOf(await login({ email: user.email, password: user.password }));
    for (let t = HOUR; t < 7 * 24 * HOUR; t += 90 * MINUTE) {
      clock = new Date(start + t);
      const res = await me(cookie);
      if (res.status !== 200) throw new Error(`died early at ${t / HOUR} h`);
    }
    clock = new Date(start + 7 * 24 * HOUR);
    expect((await me(cookie)).status).toBe(401);
  });

  it('logs out: the session row goes, the cookie is cleared, and it needs the CSRF header', async () => {
    clock = new Date();
    const cookie = cookieOf(await login({ email: user.email, password: user.password }));
    const withoutCsrf = await app.request('/api/auth/logout', {
      method: 'POST',
      headers: { cookie: `${SESSION_COOKIE}=${cookie}` },
    });
    expect(withoutCsrf.status).toBe(403);
    expect((await me(cookie)).status).toBe(200);
    const out = await app.request('/api/auth/logout', {
      method: 'POST',
      headers: { cookie: `${SESSION_COOKIE}=${cookie}`, 'x-fideliza-csrf': '1' },
    });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(new RegExp(`${SESSION_COOKIE}=;.*Max-Age=0`));
    expect((await sessionsOfUser()).map((s) => s.session_hash)).not.toContain(hashSessionId(cookie));
    expect((await me(cookie)).status).toBe(401);
    // The secret key has no session to end.
    const byKey = await app.request('/api/auth/me', { headers: { authorization: `Bearer ${siteA.secretKey}` } });
    expect(byKey.status).toBe(403);
  });

  it('throttles failures per account and attempts per IP, with Retry-After, even for the right password', async () => {
    clock = new Date();
    const throttle = new LoginThrottle({ perAccount: 3, perIp: 6, windowMs: 15 * MINUTE }, () => clock);
    const limited = makeApp({ throttle });
    for (let i = 0; i < 3; i++) {
      expect((await login({ email: user.email, password: 'wrong' }, {}, limited)).status).toBe(401);
    }
    const refused = await login({ email: user.email.toUpperCase(), password: user.password }, {}, limited);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(14 * 60);
    expect((await refused.json()).error.code).toBe('too_many_attempts');
    expect(refused.headers.get('set-cookie')).toBeNull();
    // After the window the account may try again, and a success clears its failures.
    clock = new Date(clock.getTime() + 15 * MINUTE + 1000);
    expect((await login({ email: user.email, password: user.password }, {}, limited)).status).toBe(200);
    // Per IP: every attempt counts, whatever the account (1 above, 5 more, then refused).
    for (let i = 0; i < 5; i++) {
      expect((await login({ email: `x${i}@shop.example`, password: 'x' }, {}, limited)).status).toBe(401);
    }
    expect((await login({ email: 'fresh@shop.example', password: 'x' }, {}, limited)).status).toBe(429);
  });

  it('refuses cookie-authenticated state changes without the CSRF header or our own Origin', async () => {
    clock = new Date();
    const cookie = `${SESSION_COOKIE}=${cookieOf(await login({ email: user.email, password: user.password }))}`;
    const post = (headers: Record<string, string>) =>
      app.request(`http://localhost/api/conversations/nope/status?site=${siteA.siteId}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ status: 'closed' }),
      });
    const refusedHeaders: Record<string, string>[] = [
      { cookie },
      { cookie, origin: 'https://evil.example' },
      { cookie, origin: 'null' },
    ];
    for (const headers of refusedHeaders) {
      const res = await post(headers);
      expect(res.status).toBe(403);
      expect((await res.json()).error.code).toBe('csrf');
    }
    // Past the check (404: no such conversation) with the header or our own Origin.
    expect((await post({ cookie, 'x-fideliza-csrf': '1' })).status).toBe(404);
    expect((await post({ cookie, origin: 'http://localhost' })).status).toBe(404);
    // The secret key is no cookie: no CSRF header needed.
    expect((await post({ authorization: `Bearer ${siteA.secretKey}` })).status).toBe(404);
    // Login too, against signing a victim into the attacker's account.
    const noHeader = await app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ email: user.email, password: user.password }),
    });
    expect(noHeader.status).toBe(403);
  });
});
