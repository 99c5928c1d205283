// What the staff inbox shows beside each conversation (latest message, ticket, unread to me) and the read markers.
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/index.ts';
import type { InboxPreview } from '../protocol/index.ts';

/** A list row's preview is this long at most: the whole text is one click away. */
export const PREVIEW_CHARS = 160;

const preview = (text: string) => (text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS - 1)}…` : text);

/**
 * For a page of conversations: the latest message a person wrote (system notes are not news), the complaint's
 * ticket, and whether a visitor wrote after what `userId` last read (no user, as with the secret key: false).
 */
export async function inboxPreviews(
  db: Kysely<Database>,
  siteId: string,
  conversationIds: readonly string[],
  userId: string | null,
): Promise<Map<string, InboxPreview>> {
  const out = new Map<string, InboxPreview>();
  if (conversationIds.length === 0) return out;
  const ids = [...conversationIds];
  const [latest, visitorLatest, tickets, reads] = await Promise.all([
    db
      .selectFrom('messages')
      .distinctOn('conversation_id')
      .select(['conversation_id', 'message_id', 'author', 'body', 'created_at'])
      .where('site_id', '=', siteId)
      .where('conversation_id', 'in', ids)
      .where('author', '<>', 'system')
      .orderBy('conversation_id')
      .orderBy('message_id', 'desc')
      .execute(),
    db
      .selectFrom('messages')
      .select(['conversation_id', (eb) => eb.fn.max('message_id').as('id')])
      .where('site_id', '=', siteId)
      .where('conversation_id', 'in', ids)
      .where('author', '=', 'visitor')
      .groupBy('conversation_id')
      .execute(),
    db
      .selectFrom('complaints')
      .select(['conversation_id', 'ticket'])
      .where('site_id', '=', siteId)
      .where('conversation_id', 'in', ids)
      .execute(),
    userId
      ? db
          .selectFrom('conversation_reads')
          .select(['conversation_id', 'read_up_to'])
          .where('site_id', '=', siteId)
          .where('user_id', '=', userId)
          .where('conversation_id', 'in', ids)
          .execute()
      : Promise.resolve([]),
  ]);
  const readUpTo = new Map(reads.map((r) => [r.conversation_id, Number(r.read_up_to)]));
  const lastFromVisitor = new Map(visitorLatest.map((r) => [r.conversation_id, Number(r.id)]));
  const ticketOf = new Map(tickets.map((t) => [t.conversation_id, t.ticket]));
  const lastOf = new Map(latest.map((m) => [m.conversation_id, m]));
  for (const id of ids) {
    const last = lastOf.get(id);
    const fromVisitor = lastFromVisitor.get(id) ?? 0;
    out.set(id, {
      ticket: ticketOf.get(id) ?? null,
      lastMessage: last
        ? {
            id: Number(last.message_id),
            author: last.author,
            text: preview(last.body),
            createdAt: last.created_at.toISOString(),
          }
        : null,
      unread: userId !== null && fromVisitor > (readUpTo.get(id) ?? 0),
    });
  }
  return out;
}

/**
 * Records that `userId` has read the conversation up to message `upTo`, never beyond its latest message (so a
 * marker cannot hide what is still to come) and never backwards (two tabs may report out of order).
 */
export async function markRead(
  db: Kysely<Database>,
  siteId: string,
  userId: string,
  conversationId: string,
  upTo: number,
): Promise<number> {
  const row = await db
    .selectFrom('messages')
    .select((eb) => eb.fn.max('message_id').as('id'))
    .where('site_id', '=', siteId)
    .where('conversation_id', '=', conversationId)
    .executeTakeFirst();
  const readUpTo = Math.min(upTo, Number(row?.id ?? 0));
  const stored = await db
    .insertInto('conversation_reads')
    .values({ site_id: siteId, user_id: userId, conversation_id: conversationId, read_up_to: readUpTo })
    .onConflict((oc) =>
      oc
        .columns(['site_id', 'user_id', 'conversation_id'])
        .doUpdateSet({ read_up_to: sql<number>`greatest(conversation_reads.read_up_to, excluded.read_up_to)` }),
    )
    .returning('read_up_to')
    .executeTakeFirstOrThrow();
  return Number(stored.read_up_to);
}
