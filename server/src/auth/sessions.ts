// Staff login sessions: a random id in the cookie, only its sha256 in staff_sessions, idle and absolute expiry.
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.ts';

export const SESSION_COOKIE = 'fideliza_session';

export interface SessionLifetimes {
  /** A session unused this long is dead (sliding: every request moves it on). */
  idleMs: number;
  /** A session this old is dead however busy it is. */
  absoluteMs: number;
}

export const defaultLifetimes: SessionLifetimes = { idleMs: 2 * 60 * 60 * 1000, absoluteMs: 7 * 24 * 60 * 60 * 1000 };

/** last_seen_at is written at most this often, so a busy dashboard does not write on every request. */
const TOUCH_EVERY_MS = 60 * 1000;

export interface SessionUser {
  userId: string;
  email: string;
  sessionHash: string;
}

/** The stored form of a session id: a leaked table row cannot be replayed as a cookie. */
export function hashSessionId(sessionId: string): string {
  return createHash('sha256').update(sessionId).digest('hex');
}

/** Starts a session for the user and returns its id (for the cookie; only its hash is stored). */
export async function createSession(
  db: Kysely<Database>,
  input: { userId: string; now: Date; ip?: string; userAgent?: string; lifetimes: SessionLifetimes },
): Promise<string> {
  const sessionId = randomBytes(32).toString('base64url');
  const { userId, now, lifetimes } = input;
  // Each login sweeps this user's dead sessions, so the table does not grow without a separate job.
  await db
    .deleteFrom('staff_sessions')
    .where('user_id', '=', userId)
    .where((eb) =>
      eb.or([
        eb('created_at', '<=', new Date(now.getTime() - lifetimes.absoluteMs)),
        eb('last_seen_at', '<=', new Date(now.getTime() - lifetimes.idleMs)),
      ]),
    )
    .execute();
  await db
    .insertInto('staff_sessions')
    .values({
      session_hash: hashSessionId(sessionId),
      user_id: userId,
      created_at: now,
      last_seen_at: now,
      ip: input.ip ?? null,
      user_agent: input.userAgent?.slice(0, 300) ?? null,
    })
    .execute();
  return sessionId;
}

export async function deleteSession(db: Kysely<Database>, sessionId: string): Promise<void> {
  await db.deleteFrom('staff_sessions').where('session_hash', '=', hashSessionId(sessionId)).execute();
}

/** The live session's user, sliding its idle expiry; null (and the row deleted) when unknown or expired. */
export async function resolveSession(
  db: Kysely<Database>,
  sessionId: string,
  now: Date,
  lifetimes: SessionLifetimes,
): Promise<SessionUser | null> {
  const sessionHash = hashSessionId(sessionId);
  const row = await db
    .selectFrom('staff_sessions as s')
    .innerJoin('staff_users as u', 'u.user_id', 's.user_id')
    .select(['s.user_id', 's.created_at', 's.last_seen_at', 'u.email'])
    .where('s.session_hash', '=', sessionHash)
    .executeTakeFirst();
  if (!row) return null;
  const t = now.getTime();
  const expired =
    t - row.created_at.getTime() >= lifetimes.absoluteMs || t - row.last_seen_at.getTime() >= lifetimes.idleMs;
  if (expired) {
    await db.deleteFrom('staff_sessions').where('session_hash', '=', sessionHash).execute();
    return null;
  }
  if (t - row.last_seen_at.getTime() >= TOUCH_EVERY_MS) {
    await db.updateTable('staff_sessions').set({ last_seen_at: now }).where('session_hash', '=', sessionHash).execute();
  }
  return { userId: row.user_id, email: row.email, sessionHash };
}
