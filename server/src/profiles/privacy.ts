// GDPR for shoppers: erase a person (events under all their ids, orders, derived rows, conversations, survey
// answers) and export everything stored about them as JSON.
import type { Kysely, Transaction } from 'kysely';
import { eraseConversations, exportConversations } from '../conversations/index.ts';
import type { Database } from '../db/index.ts';
import { eraseProductViews, productViewsOf } from '../recommend/index.ts';
import { eraseSurveyResponses, exportSurveyResponses } from '../surveys/index.ts';
import { eventsOf, findPerson, type Person } from './person.ts';
import { customerFile } from './queries.ts';

/** Other capabilities' per-person rows (e.g. recommendation state) go with the person, inside the erasure's transaction. */
export type EraseHook = (trx: Transaction<Database>, person: Person) => Promise<void>;

const eraseHooks = new Set<EraseHook>();

/** Registers a hook run for every erasure; returns the function that removes it. */
export function onProfileErase(hook: EraseHook): () => void {
  eraseHooks.add(hook);
  return () => eraseHooks.delete(hook);
}

export interface Erasure {
  profileId: string;
  erasedAt: Date;
  counts: Record<string, number>;
}

/**
 * Erases the person behind `id` (a merged id erases the survivor) and records it; null when there is nobody.
 * Conversations and survey answers go first, in their own transactions: if the rest fails, the profile is still
 * there and a retry finds the same ids. The rest is one transaction holding the site's projector cursor, so no
 * batch is projecting the person's events while they are deleted. event_ids rows stay: they hold only the
 * client's random message ids, and they stop a retried send from before the erasure bringing events back.
 */
export async function eraseProfile(
  db: Kysely<Database>,
  siteId: string,
  id: string,
  now: Date = new Date(),
): Promise<Erasure | null> {
  const person = await findPerson(db, siteId, id);
  if (!person) return null;
  const conversations = await eraseConversations(db, siteId, person);
  const surveyResponses = await eraseSurveyResponses(db, siteId, person);
  await db
    .insertInto('projector_cursors')
    .values({ site_id: siteId })
    .onConflict((oc) => oc.column('site_id').doNothing())
    .execute();
  return db.transaction().execute(async (trx) => {
    await trx.selectFrom('projector_cursors').select('site_id').where('site_id', '=', siteId).forUpdate().execute();
    const s = siteId;
    const p = person.profileId;
    const n = (r: { numDeletedRows: bigint }) => Number(r.numDeletedRows);
    const events = n(
      await trx.deleteFrom('events').where('site_id', '=', s).where(eventsOf(person)).executeTakeFirst(),
    );
    const orderIds = (
      await trx.selectFrom('orders').select('order_id').where('site_id', '=', s).where('profile_id', '=', p).execute()
    ).map((o) => o.order_id);
    let orders = 0;
    if (orderIds.length) {
      await trx.deleteFrom('order_items').where('site_id', '=', s).where('order_id', 'in', orderIds).execute();
      await trx.deleteFrom('order_refunds').where('site_id', '=', s).where('order_id', 'in', orderIds).execute();
      orders = n(
        await trx.deleteFrom('orders').where('site_id', '=', s).where('order_id', 'in', orderIds).executeTakeFirst(),
      );
    }
    const traits = n(
      await trx.deleteFrom('profile_traits').where('site_id', '=', s).where('profile_id', '=', p).executeTakeFirst(),
    );
    const identities = n(
      await trx.deleteFrom('identities').where('site_id', '=', s).where('profile_id', '=', p).executeTakeFirst(),
    );
    await trx.deleteFrom('visitor_sessions').where('site_id', '=', s).where('profile_id', '=', p).execute();
    await trx.deleteFrom('profile_merges').where('site_id', '=', s).where('into_profile_id', '=', p).execute();
    await trx.deleteFrom('profile_classes').where('site_id', '=', s).where('profile_id', '=', p).execute();
    await trx.deleteFrom('profiles').where('site_id', '=', s).where('profile_id', '=', p).execute();
    await eraseProductViews(trx, s, person);
    for (const hook of eraseHooks) await hook(trx, person);
    const counts = {
      events,
      orders,
      identities,
      traits,
      mergedProfiles: person.mergedFrom.length,
      conversations,
      surveyResponses,
    };
    await trx
      .insertInto('profile_erasures')
      .values({ site_id: s, profile_id: p, erased_at: now, counts: JSON.stringify(counts) })
      .execute();
    return { profileId: p, erasedAt: now, counts };
  });
}

/** Everything stored about the person behind `id`, or null when there is nobody. */
export async function exportProfile(db: Kysely<Database>, siteId: string, id: string) {
  const person = await findPerson(db, siteId, id);
  if (!person) return null;
  const [file, events, conversations, surveys, productViews] = await Promise.all([
    customerFile(db, person),
    db
      .selectFrom('events')
      .select([
        'message_id',
        'type',
        'event',
        'anonymous_id',
        'user_id',
        'previous_id',
        'timestamp',
        'received_at',
        'url_path',
        'browser',
        'os',
        'device_type',
        'ip',
        'properties',
        'traits',
        'context',
      ])
      .where('site_id', '=', siteId)
      .where(eventsOf(person))
      .orderBy('timestamp')
      .orderBy('seq')
      .execute(),
    exportConversations(db, siteId, person),
    exportSurveyResponses(db, siteId, person),
    productViewsOf(db, siteId, person),
  ]);
  return {
    siteId,
    exportedAt: new Date().toISOString(),
    ...file,
    events: events.map((e) => ({
      messageId: e.message_id,
      type: e.type,
      event: e.event,
      anonymousId: e.anonymous_id,
      userId: e.user_id,
      previousId: e.previous_id,
      timestamp: e.timestamp.toISOString(),
      receivedAt: e.received_at.toISOString(),
      urlPath: e.url_path,
      browser: e.browser,
      os: e.os,
      deviceType: e.device_type,
      ip: e.ip,
      properties: e.properties,
      traits: e.traits,
      context: e.context,
    })),
    conversations,
    surveys,
    productViews,
  };
}
