// Staff session routes: login, logout, who am I; and the site's audit log for admins.
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { validator } from 'hono/validator';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/index.ts';
import { AppError } from '../http/errors.ts';
import { isTls, passesCsrfCheck } from '../http/middleware/csrf.ts';
import type { StaffEnv } from '../http/middleware/staff-env.ts';
import { listAudit, writeAudit } from './audit.ts';
import { checkCredentials } from './login.ts';
import { listMemberships } from './members.ts';
import { createSession, defaultLifetimes, deleteSession, SESSION_COOKIE, type SessionLifetimes } from './sessions.ts';
import { LoginThrottle } from './throttle.ts';

export interface AuthRouteOptions {
  db: Kysely<Database>;
  trustProxy: boolean;
  /** The client's address as the app sees it (peer, or X-Forwarded-For behind a trusted proxy). */
  clientIp: (c: Context) => string | undefined;
  throttle?: LoginThrottle;
  lifetimes?: SessionLifetimes;
  now?: () => Date;
}

const loginSchema = z.object({
  email: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(1024),
});

const auditQuerySchema = z.object({
  cursor: z
    .string()
    .regex(/^[1-9][0-9]{0,18}$/)
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const invalidCredentials = () => new AppError(401, 'invalid_credentials', 'wrong email or password');

export function authRoutes(options: AuthRouteOptions) {
  const { db, trustProxy, clientIp, lifetimes = defaultLifetimes, now = () => new Date() } = options;
  const throttle = options.throttle ?? new LoginThrottle(undefined, now);

  /** Who is signed in and where they work: the body of /me and of a successful login. */
  const whoami = async (user: { userId: string; email: string }) => ({
    user: { id: user.userId, email: user.email },
    sites: (await listMemberships(db, user.userId)).map((m) => ({ id: m.siteId, name: m.siteName, role: m.role })),
  });

  /** Sessions are global, so a login or logout is recorded on every site the user works on. */
  const auditEverywhere = async (user: { userId: string; email: string }, action: string, c: Context) => {
    const details = { ip: clientIp(c) ?? null, userAgent: c.req.header('user-agent')?.slice(0, 300) ?? null };
    for (const m of await listMemberships(db, user.userId)) {
      await writeAudit(db, m.siteId, { id: user.userId, email: user.email }, { action, target: user.userId, details });
    }
  };

  return new Hono<StaffEnv>()
    .post(
      '/api/auth/login',
      // Unauthenticated, so nobody gets to make the server buffer a large body.
      bodyLimit({
        maxSize: 4096,
        onError: () => {
          throw new AppError(413, 'body_too_large', 'a sign-in body is at most 4 KB');
        },
      }),
      // Login CSRF (signing a victim into the attacker's account) is refused like any other cross-site POST.
      async (c, next) => {
        if (!passesCsrfCheck(c, trustProxy)) {
          throw new AppError(403, 'csrf', 'send the header X-Fideliza-CSRF: 1 with state-changing requests');
        }
        // Parsed here so malformed JSON is our 400, not the validator's bare exception (cached for it).
        if ((c.req.header('content-type') ?? '').includes('json')) {
          await c.req.json().catch(() => {
            throw new AppError(400, 'invalid_body', 'the body is not valid JSON');
          });
        }
        await next();
      },
      // Through hono's validator so the dashboard's typed client knows the body.
      validator('json', (value) => {
        const parsed = loginSchema.safeParse(value);
        if (!parsed.success) throw new AppError(400, 'invalid_body', 'send { "email", "password" } as JSON');
        return parsed.data;
      }),
      async (c) => {
        const { email, password } = c.req.valid('json');
        const ip = clientIp(c) ?? 'unknown';
        const wait = throttle.attempt(ip, email);
        if (wait > 0) {
          throw new AppError(429, 'too_many_attempts', 'too many sign-in attempts: try again later', undefined, {
            'Retry-After': String(wait),
          });
        }
        const user = await checkCredentials(db, email, password);
        if (!user) {
          throttle.failed(email);
          throw invalidCredentials();
        }
        throttle.succeeded(email);
        // Rotation: the session this browser had (if any) dies; the new one gets a fresh id.
        const previous = getCookie(c, SESSION_COOKIE);
        if (previous) await deleteSession(db, previous);
        const sessionId = await createSession(db, {
          userId: user.userId,
          now: now(),
          ip,
          userAgent: c.req.header('user-agent'),
          lifetimes,
        });
        setCookie(c, SESSION_COOKIE, sessionId, {
          httpOnly: true,
          sameSite: 'Lax',
          secure: isTls(c, trustProxy),
          path: '/',
          // The browser may keep it no longer than the server would accept it.
          maxAge: Math.floor(lifetimes.absoluteMs / 1000),
        });
        await auditEverywhere(user, 'auth.login', c);
        return c.json(await whoami(user), 200);
      },
    )
    .post('/api/auth/logout', async (c) => {
      const user = c.get('user');
      if (!user) throw new AppError(401, 'session_required', 'sign in first');
      await db.deleteFrom('staff_sessions').where('session_hash', '=', user.sessionHash).execute();
      deleteCookie(c, SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'Lax', secure: isTls(c, trustProxy) });
      await auditEverywhere(user, 'auth.logout', c);
      return c.body(null, 204);
    })
    .get('/api/auth/me', async (c) => {
      const user = c.get('user');
      if (!user) throw new AppError(401, 'session_required', 'sign in first');
      return c.json(await whoami(user), 200);
    })
    .get('/api/audit', async (c) => {
      const q = auditQuerySchema.safeParse(c.req.query());
      if (!q.success) {
        const field = String(q.error.issues[0]?.path[0] ?? '');
        throw new AppError(400, 'invalid_query', `${field}: ${q.error.issues[0]?.message ?? 'invalid'}`, field);
      }
      return c.json(await listAudit(db, c.get('site').siteId, q.data), 200);
    });
}
