// Staff accounts and their per-site roles.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/index.ts';
import { generatePassword, hashPassword } from './password.ts';

export const roles = ['admin', 'marketer', 'agent', 'validator'] as const;
export type Role = (typeof roles)[number];

export const newStaffUserSchema = z.object({
  email: z.email().max(254),
  role: z.enum(roles),
  /** The sites this user works on; all existing sites when omitted. */
  siteIds: z.array(z.string().min(1)).optional(),
});

/** The user cannot be created as asked (the message says why, for the person who asked). */
export class InvalidUserError extends Error {}

export class DuplicateUserError extends InvalidUserError {}

/** Creates a staff user with a generated password, returned once (only its hash is stored). */
export async function createStaffUser(
  db: Kysely<Database>,
  input: z.input<typeof newStaffUserSchema>,
): Promise<{ userId: string; email: string; password: string; siteIds: string[] }> {
  const { email, role, siteIds } = newStaffUserSchema.parse(input);
  const password = generatePassword();
  const passwordHash = await hashPassword(password);
  const userId = randomUUID();
  const duplicate = () => new DuplicateUserError(`a user with email ${email} already exists`);
  const created = db.transaction().execute(async (tx) => {
    const taken = await tx
      .selectFrom('staff_users')
      .select('user_id')
      .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
      .executeTakeFirst();
    if (taken) throw duplicate();
    const known = (await tx.selectFrom('sites').select('site_id').execute()).map((s) => s.site_id);
    const sites = siteIds ? [...new Set(siteIds)] : known;
    const unknown = sites.filter((id) => !known.includes(id));
    if (unknown.length > 0) throw new InvalidUserError(`no such site: ${unknown.join(', ')}`);
    await tx.insertInto('staff_users').values({ user_id: userId, email, password_hash: passwordHash }).execute();
    if (sites.length > 0) {
      await tx
        .insertInto('site_members')
        .values(sites.map((siteId) => ({ site_id: siteId, user_id: userId, role })))
        .execute();
    }
    return { userId, email, password, siteIds: sites };
  });
  // Another session may insert the same email between the check and the insert: the unique index decides.
  return created.catch((error: unknown) => {
    const e = error as { code?: unknown; constraint?: unknown };
    throw e.code === '23505' && e.constraint === 'staff_users_email_key' ? duplicate() : error;
  });
}
