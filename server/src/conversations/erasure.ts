// Personal data of a shopper held here: exported as JSON and erased on request (GDPR), by their ids.
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.ts';

export interface PersonIds {
  anonymousIds: string[];
  userIds: string[];
}

function ofPerson(db: Kysely<Database>, siteId: string, ids: PersonIds) {
  return db
    .selectFrom('conversations')
    .where('site_id', '=', siteId)
    .where((eb) => {
      const either = [];
      if (ids.anonymousIds.length > 0) either.push(eb('anonymous_id', 'in', ids.anonymousIds));
      if (ids.userIds.length > 0) either.push(eb('user_id', 'in', ids.userIds));
      return either.length > 0 ? eb.or(either) : eb.val(false);
    });
}

/** Everything this capability holds about one person (photos by id only, not their bytes). */
export async function exportConversations(db: Kysely<Database>, siteId: string, ids: PersonIds) {
  const conversations = await ofPerson(db, siteId, ids).selectAll().orderBy('created_at').execute();
  const convIds = conversations.map((c) => c.conversation_id);
  if (convIds.length === 0) return [];
  const [messages, complaints, photos] = await Promise.all([
    db
      .selectFrom('messages')
      .select(['conversation_id', 'message_id', 'author', 'event', 'body', 'created_at'])
      .where('site_id', '=', siteId)
      .where('conversation_id', 'in', convIds)
      .where('visibility', '=', 'public')
      .orderBy('message_id')
      .execute(),
    db
      .selectFrom('complaints')
      .selectAll()
      .where('site_id', '=', siteId)
      .where('conversation_id', 'in', convIds)
      .execute(),
    db
      .selectFrom('complaint_photos')
      .select(['conversation_id', 'photo_id', 'content_type', 'created_at'])
      .where('site_id', '=', siteId)
      .where('conversation_id', 'in', convIds)
      .execute(),
  ]);
  return conversations.map((c) => ({
    id: c.conversation_id,
    kind: c.kind,
    status: c.status,
    email: c.email,
    pageUrl: c.page_url,
    rating: c.rating,
    createdAt: c.created_at.toISOString(),
    messages: messages
      .filter((m) => m.conversation_id === c.conversation_id)
      .map((m) => ({ author: m.author, event: m.event, text: m.body, createdAt: m.created_at.toISOString() })),
    complaint: complaints.find((k) => k.conversation_id === c.conversation_id) ?? null,
    photos: photos
      .filter((p) => p.conversation_id === c.conversation_id)
      .map((p) => ({ id: p.photo_id, contentType: p.content_type })),
  }));
}

/** Deletes the person's conversations; messages, complaint details, history and photos go with them (cascade). */
export async function eraseConversations(db: Kysely<Database>, siteId: string, ids: PersonIds): Promise<number> {
  const doomed = await ofPerson(db, siteId, ids).select('conversation_id').execute();
  if (doomed.length === 0) return 0;
  const result = await db
    .deleteFrom('conversations')
    .where('site_id', '=', siteId)
    .where(
      'conversation_id',
      'in',
      doomed.map((d) => d.conversation_id),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
