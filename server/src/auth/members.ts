// Who a staff user is on one site: their id, email and role there.
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.ts';
import type { Role } from './users.ts';

export interface SiteMember {
  userId: string;
  email: string;
  role: Role;
}

/** The member of `siteId` with this user id or email (case-insensitive), or null when they have no role there. */
export async function findSiteMember(
  db: Kysely<Database>,
  siteId: string,
  idOrEmail: string,
): Promise<SiteMember | null> {
  const row = await db
    .selectFrom('site_members as m')
    .innerJoin('staff_users as u', 'u.user_id', 'm.user_id')
    .select(['u.user_id', 'u.email', 'm.role'])
    .where('m.site_id', '=', siteId)
    .where((eb) =>
      idOrEmail.includes('@')
        ? eb(eb.fn('lower', ['u.email']), '=', idOrEmail.toLowerCase())
        : eb('u.user_id', '=', idOrEmail),
    )
    .executeTakeFirst();
  return row ? { userId: row.user_id, email: row.email, role: row.role as Role } : null;
}

export interface Membership {
  siteId: string;
  siteName: string;
  role: Role;
}

/** Every site the user works on, with their role there (for /api/auth/me and per-site audit of logins). */
export async function listMemberships(db: Kysely<Database>, userId: string): Promise<Membership[]> {
  const rows = await db
    .selectFrom('site_members as m')
    .innerJoin('sites as s', 's.site_id', 'm.site_id')
    .select(['m.site_id', 's.name', 'm.role'])
    .where('m.user_id', '=', userId)
    .orderBy('s.name')
    .orderBy('m.site_id')
    .execute();
  return rows.map((r) => ({ siteId: r.site_id, siteName: r.name, role: r.role as Role }));
}
