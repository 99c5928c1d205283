// Test helpers: staff users without the cost of password hashing, and signed-in requests to the app.
import { randomUUID } from 'node:crypto';
import type { Hono } from 'hono';
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.ts';
import { CSRF_HEADER } from '../http/middleware/csrf.ts';
import { SITE_HEADER } from '../http/middleware/staff.ts';
import { createSession, defaultLifetimes, SESSION_COOKIE } from './sessions.ts';
import type { Role } from './users.ts';

/** A staff user with `role` on each of `siteIds`; their password hash matches no password (sign in with sessionFor). */
export async function addStaff(
  db: Kysely<Database>,
  role: Role,
  siteIds: string[],
  email = `${role}-${randomUUID().slice(0, 8)}@shop.example`,
): Promise<{ userId: string; email: string }> {
  const userId = randomUUID();
  await db.insertInto('staff_users').values({ user_id: userId, email, password_hash: 'test-only' }).execute();
  if (siteIds.length > 0) {
    await db
      .insertInto('site_members')
      .values(siteIds.map((site_id) => ({ site_id, user_id: userId, role })))
      .execute();
  }
  return { userId, email };
}

/** A `Cookie` header value for a fresh session of the user, as a login would give. */
export async function sessionFor(db: Kysely<Database>, userId: string, now = new Date()): Promise<string> {
  const id = await createSession(db, { userId, now, lifetimes: defaultLifetimes });
  return `${SESSION_COOKIE}=${id}`;
}

type RequestFn = Hono['request'];

/** Requests as a signed-in user on one site, as the dashboard makes them (CSRF header, site header). */
export function signedIn(app: { request: RequestFn }, cookie: string, siteId: string) {
  const headers = { cookie, [SITE_HEADER]: siteId, [CSRF_HEADER]: '1' };
  const send = (method: string, path: string, body?: unknown) =>
    app.request(path, {
      method,
      headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  return {
    get: (path: string) => send('GET', path),
    post: (path: string, body: unknown = {}) => send('POST', path, body),
    put: (path: string, body: unknown = {}) => send('PUT', path, body),
    delete: (path: string) => send('DELETE', path),
  };
}
