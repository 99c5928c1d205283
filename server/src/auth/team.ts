// A site's team: who works on it with which role; adding people (new accounts get a password shown once),
// changing roles and removing them, never leaving the site without an admin.
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.ts';
import { createStaffUser, DuplicateUserError, type Role } from './users.ts';

export interface TeamMember {
  userId: string;
  email: string;
  role: Role;
  /** When they joined this site (ISO). */
  since: string;
}

/** A change the team rules refuse; `code` tells the caller which (the message says it to a person). */
export class TeamError extends Error {
  constructor(
    readonly code: 'already_member' | 'member_not_found' | 'last_admin',
    message: string,
  ) {
    super(message);
  }
}

const lastAdmin = () => new TeamError('last_admin', 'a site needs at least one admin: make someone else admin first');

function teamQuery(db: Kysely<Database>, siteId: string) {
  return db
    .selectFrom('site_members as m')
    .innerJoin('staff_users as u', 'u.user_id', 'm.user_id')
    .select(['u.user_id', 'u.email', 'm.role', 'm.created_at'])
    .where('m.site_id', '=', siteId);
}

const toMember = (r: { user_id: string; email: string; role: string; created_at: Date }): TeamMember => ({
  userId: r.user_id,
  email: r.email,
  role: r.role as Role,
  since: r.created_at.toISOString(),
});

export async function listTeam(db: Kysely<Database>, siteId: string): Promise<TeamMember[]> {
  return (await teamQuery(db, siteId).orderBy('u.email').orderBy('u.user_id').execute()).map(toMember);
}

/** Gives an existing user a role on the site (the creator of a new site, a teammate from another site). */
export async function addSiteMember(db: Kysely<Database>, siteId: string, userId: string, role: Role): Promise<void> {
  await db.insertInto('site_members').values({ site_id: siteId, user_id: userId, role }).execute();
}

async function memberOf(db: Kysely<Database>, siteId: string, userId: string): Promise<TeamMember | null> {
  const row = await teamQuery(db, siteId).where('m.user_id', '=', userId).executeTakeFirst();
  return row ? toMember(row) : null;
}

/**
 * Adds the person with this email to the site. Someone without an account gets one, with a generated
 * password returned once (null when they already had an account: they sign in with their own).
 */
export async function addTeamMember(
  db: Kysely<Database>,
  siteId: string,
  input: { email: string; role: Role },
): Promise<{ member: TeamMember; password: string | null }> {
  const existing = await db
    .selectFrom('staff_users')
    .select('user_id')
    .where((eb) => eb(eb.fn('lower', ['email']), '=', input.email.toLowerCase()))
    .executeTakeFirst();
  let userId = existing?.user_id;
  let password: string | null = null;
  if (!userId) {
    try {
      const created = await createStaffUser(db, { email: input.email, role: input.role, siteIds: [siteId] });
      ({ userId, password } = created);
    } catch (error) {
      // Created by someone else since the lookup: add the account that now exists.
      if (!(error instanceof DuplicateUserError)) throw error;
      return addTeamMember(db, siteId, input);
    }
  } else {
    const inserted = await db
      .insertInto('site_members')
      .values({ site_id: siteId, user_id: userId, role: input.role })
      .onConflict((oc) => oc.columns(['site_id', 'user_id']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) {
      throw new TeamError('already_member', `${input.email} already works on this site`);
    }
  }
  const member = await memberOf(db, siteId, userId);
  if (!member) throw new TeamError('member_not_found', `${input.email} was removed meanwhile`);
  return { member, password };
}

/**
 * Runs `change` on a member unless it would leave the site without an admin. The site's admin rows are
 * locked first, so two admins demoting each other at once cannot both succeed.
 */
async function changeMember(
  db: Kysely<Database>,
  siteId: string,
  userId: string,
  stillAdmin: boolean,
  change: (tx: Kysely<Database>) => Promise<void>,
): Promise<TeamMember> {
  return db.transaction().execute(async (tx) => {
    const admins = await tx
      .selectFrom('site_members')
      .select('user_id')
      .where('site_id', '=', siteId)
      .where('role', '=', 'admin')
      .forUpdate()
      .execute();
    const member = await memberOf(tx, siteId, userId);
    if (!member) throw new TeamError('member_not_found', 'this person does not work on this site');
    const leavesNoAdmin = member.role === 'admin' && !stillAdmin && admins.every((a) => a.user_id === userId);
    if (leavesNoAdmin) throw lastAdmin();
    await change(tx);
    return member;
  });
}

/** Gives a member another role; returns the member as they are now. */
export async function changeMemberRole(
  db: Kysely<Database>,
  siteId: string,
  userId: string,
  role: Role,
): Promise<{ before: Role; member: TeamMember }> {
  const before = await changeMember(db, siteId, userId, role === 'admin', async (tx) => {
    await tx
      .updateTable('site_members')
      .set({ role })
      .where('site_id', '=', siteId)
      .where('user_id', '=', userId)
      .execute();
  });
  return { before: before.role, member: { ...before, role } };
}

/**
 * Takes the member off the site. Their account and sessions stay (they may work on other sites), but every
 * request names its site and the guard checks membership each time, so no session of theirs reaches this one.
 */
export async function removeMember(db: Kysely<Database>, siteId: string, userId: string): Promise<TeamMember> {
  return changeMember(db, siteId, userId, false, async (tx) => {
    await tx.deleteFrom('site_members').where('site_id', '=', siteId).where('user_id', '=', userId).execute();
  });
}
