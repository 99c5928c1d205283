// Who a profile id stands for: the surviving profile (a merged id leads to the one that absorbed it) and every
// id its events were sent under, which is how events, conversations and survey answers find the person.
import type { ExpressionBuilder, Kysely, Transaction } from 'kysely';
import type { PersonIds } from '../conversations/index.ts';
import type { Database } from '../db/index.ts';

export interface Person extends PersonIds {
  siteId: string;
  /** The surviving profile. */
  profileId: string;
  /** Profiles merged into it (their ids still resolve here). */
  mergedFrom: string[];
}

type Db = Kysely<Database> | Transaction<Database>;

/** The person behind a profile id of the site, or null when there is none (never was, or erased). */
export async function findPerson(db: Db, siteId: string, id: string): Promise<Person | null> {
  // Merges keep into_profile_id pointing at the final survivor, so one step is enough.
  const merged = await db
    .selectFrom('profile_merges')
    .select('into_profile_id')
    .where('site_id', '=', siteId)
    .where('from_profile_id', '=', id)
    .executeTakeFirst();
  const profileId = merged?.into_profile_id ?? id;
  const profile = await db
    .selectFrom('profiles')
    .select('profile_id')
    .where('site_id', '=', siteId)
    .where('profile_id', '=', profileId)
    .executeTakeFirst();
  if (!profile) return null;
  const [identities, merges] = await Promise.all([
    db
      .selectFrom('identities')
      .select(['kind', 'value'])
      .where('site_id', '=', siteId)
      .where('profile_id', '=', profileId)
      .orderBy('kind')
      .orderBy('value')
      .execute(),
    db
      .selectFrom('profile_merges')
      .select('from_profile_id')
      .where('site_id', '=', siteId)
      .where('into_profile_id', '=', profileId)
      .orderBy('from_profile_id')
      .execute(),
  ]);
  return {
    siteId,
    profileId,
    mergedFrom: merges.map((m) => m.from_profile_id),
    anonymousIds: identities.filter((i) => i.kind === 'anonymous').map((i) => i.value),
    userIds: identities.filter((i) => i.kind === 'user').map((i) => i.value),
  };
}

/** Filter on the events table: the person's events under any of their ids (the caller also filters the site). */
export function eventsOf(person: Person) {
  return (eb: ExpressionBuilder<Database, 'events'>) => {
    const either = [];
    if (person.anonymousIds.length) either.push(eb('anonymous_id', 'in', person.anonymousIds));
    if (person.userIds.length) either.push(eb('user_id', 'in', person.userIds));
    return either.length ? eb.or(either) : eb.val(false);
  };
}

/**
 * The profile a visitor's ids lead to (the user id's when both are known), or null when the projector has not
 * seen them (a shopper who chatted before any tracked event). Conversations name their customer this way.
 */
export async function profileIdOf(
  db: Db,
  siteId: string,
  ids: { anonymousId: string; userId: string | null },
): Promise<string | null> {
  const row = await db
    .selectFrom('identities')
    .select('profile_id')
    .where('site_id', '=', siteId)
    .where((eb) =>
      eb.or([
        eb.and([eb('kind', '=', 'anonymous'), eb('value', '=', ids.anonymousId)]),
        ...(ids.userId ? [eb.and([eb('kind', '=', 'user'), eb('value', '=', ids.userId)])] : []),
      ]),
    )
    // 'user' sorts after 'anonymous': the user's profile wins.
    .orderBy('kind', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.profile_id ?? null;
}
