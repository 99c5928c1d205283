// Checking an email and password: the same work whether or not the account exists, and few hashes at once.
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.ts';
import { verifyPassword } from './password.ts';

/**
 * scrypt at OWASP's cost takes 128 MiB per hash; unbounded parallel logins could exhaust memory, so at most
 * this many run at once and the rest wait their turn (the throttle has already refused floods).
 */
const MAX_CONCURRENT_HASHES = 4;
let running = 0;
const waiting: (() => void)[] = [];

async function withHashSlot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= MAX_CONCURRENT_HASHES) await new Promise<void>((resolve) => waiting.push(resolve));
  else running++;
  try {
    return await work();
  } finally {
    // Hand the slot straight to the next waiter, or free it.
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}

/**
 * A real hash at the current cost (of a random password, discarded), verified when no account has the
 * email: a missing user costs the same time as a wrong password, so timing does not tell which emails
 * have accounts. A constant, so no process pays for making one. Keep its cost equal to hashPassword's
 * (sessions.test.ts checks).
 */
export const DECOY_HASH = 'scrypt$131072$8$1$9Ix8QHf10iWoBlYgWgKGvw==$b3NxCGRT5esQgn8HVP+E8eLlUklqtiS5vTA/Spz6wYA=';

/** The account's id and email when the password is right; null for a wrong password and for no such account. */
export async function checkCredentials(
  db: Kysely<Database>,
  email: string,
  password: string,
): Promise<{ userId: string; email: string } | null> {
  const user = await db
    .selectFrom('staff_users')
    .select(['user_id', 'email', 'password_hash'])
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.trim().toLowerCase()))
    .executeTakeFirst();
  const stored = user?.password_hash ?? DECOY_HASH;
  const ok = await withHashSlot(() => verifyPassword(password, stored));
  return user && ok ? { userId: user.user_id, email: user.email } : null;
}
