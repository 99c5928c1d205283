// Conversations and messages in the database; every write of a message notifies the realtime channel.
import { randomUUID } from 'node:crypto';
import { type Expression, type Kysely, type SqlBool, sql, type Transaction } from 'kysely';
import type { Database } from '../db/index.ts';
import type { ConversationKind, StaffWireMessage, WireConversation, WireMessage } from '../protocol/index.ts';
import type { ConversationsTable, MessagesTable } from './tables.ts';
import type { VisitorClaims } from './tokens.ts';

/** One channel for every site: each process LISTENs once and routes payloads to its streams. */
export const CHANNEL = 'fideliza_conversations';

type Tx = Transaction<Database> | Kysely<Database>;

/**
 * Next value of a per-site counter. The upsert locks the counter row until the transaction ends, so the
 * numbers are gapless (a rollback undoes the increment) and handed out in commit order.
 */
export async function nextCounter(tx: Tx, siteId: string, name: string): Promise<number> {
  const row = await tx
    .insertInto('conversation_counters')
    .values({ site_id: siteId, name, value: 1 })
    .onConflict((oc) =>
      oc.columns(['site_id', 'name']).doUpdateSet({ value: sql<number>`conversation_counters.value + 1` }),
    )
    .returning('value')
    .executeTakeFirstOrThrow();
  return Number(row.value);
}

export interface NewMessage {
  siteId: string;
  conversationId: string;
  author: MessagesTable['author'];
  body: string;
  staffUserId?: string | null;
  visibility?: MessagesTable['visibility'];
  event?: string | null;
}

/** Appends a message inside `tx`; listeners hear of it when `tx` commits (NOTIFY is transactional). */
export async function appendMessage(tx: Transaction<Database>, m: NewMessage): Promise<WireMessage> {
  const id = await nextCounter(tx, m.siteId, 'event');
  const row = await tx
    .insertInto('messages')
    .values({
      site_id: m.siteId,
      message_id: id,
      conversation_id: m.conversationId,
      author: m.author,
      staff_user_id: m.staffUserId ?? null,
      visibility: m.visibility ?? 'public',
      event: m.event ?? null,
      body: m.body,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await tx
    .updateTable('conversations')
    .set({ updated_at: sql`now()` })
    .where('site_id', '=', m.siteId)
    .where('conversation_id', '=', m.conversationId)
    .execute();
  await sql`select pg_notify(${CHANNEL}, ${`${m.siteId} ${m.conversationId}`})`.execute(tx);
  return toWireMessage(row);
}

export function toWireMessage(
  row: Pick<MessagesTable, 'message_id' | 'conversation_id' | 'author' | 'event' | 'body'> & { created_at: Date },
): WireMessage {
  return {
    id: Number(row.message_id),
    conversationId: row.conversation_id,
    author: row.author,
    event: row.event,
    text: row.body,
    createdAt: row.created_at.toISOString(),
  };
}

export type ConversationRow = Omit<ConversationsTable, 'created_at' | 'updated_at'> & {
  created_at: Date;
  updated_at: Date;
};

export function toWireConversation(row: ConversationRow): WireConversation {
  return {
    id: row.conversation_id,
    kind: row.kind,
    status: row.status,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export interface NewConversation {
  siteId: string;
  kind: ConversationKind;
  status: string;
  visitor: VisitorClaims;
  email?: string | null;
  pageUrl?: string | null;
  rating?: number | null;
}

export async function insertConversation(tx: Tx, c: NewConversation): Promise<ConversationRow> {
  return tx
    .insertInto('conversations')
    .values({
      site_id: c.siteId,
      conversation_id: randomUUID(),
      kind: c.kind,
      status: c.status,
      anonymous_id: c.visitor.anonymousId,
      user_id: c.visitor.userId,
      email: c.email ?? null,
      page_url: c.pageUrl ?? null,
      rating: c.rating ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * A conversation belongs to a verified user when it has a user id (only that user sees it, from any browser),
 * otherwise to the anonymous id that started it — never to an anonymous id that later claims a user.
 */
function ownedBy(visitor: VisitorClaims) {
  return (eb: import('kysely').ExpressionBuilder<Database, 'conversations'>): Expression<SqlBool> => {
    const anonymous = eb.and([eb('user_id', 'is', null), eb('anonymous_id', '=', visitor.anonymousId)]);
    return visitor.userId ? eb.or([eb('user_id', '=', visitor.userId), anonymous]) : anonymous;
  };
}

/** The visitor's own conversation, or null (also for other visitors' ids: the caller answers 404 either way). */
export async function findVisitorConversation(
  db: Tx,
  visitor: VisitorClaims,
  conversationId: string,
): Promise<ConversationRow | null> {
  const row = await db
    .selectFrom('conversations')
    .selectAll()
    .where('site_id', '=', visitor.siteId)
    .where('conversation_id', '=', conversationId)
    .where(ownedBy(visitor))
    .executeTakeFirst();
  return row ?? null;
}

export async function listVisitorConversations(db: Tx, visitor: VisitorClaims): Promise<ConversationRow[]> {
  return db
    .selectFrom('conversations')
    .selectAll()
    .where('site_id', '=', visitor.siteId)
    .where(ownedBy(visitor))
    .orderBy('created_at', 'desc')
    .limit(100)
    .execute();
}

export async function findConversation(
  db: Tx,
  siteId: string,
  conversationId: string,
): Promise<ConversationRow | null> {
  const row = await db
    .selectFrom('conversations')
    .selectAll()
    .where('site_id', '=', siteId)
    .where('conversation_id', '=', conversationId)
    .executeTakeFirst();
  return row ?? null;
}

/** Locks the conversation row for the rest of `tx` (status checks that must not race). */
export async function lockConversation(
  tx: Transaction<Database>,
  siteId: string,
  conversationId: string,
): Promise<ConversationRow | null> {
  const row = await tx
    .selectFrom('conversations')
    .selectAll()
    .where('site_id', '=', siteId)
    .where('conversation_id', '=', conversationId)
    .forUpdate()
    .executeTakeFirst();
  return row ?? null;
}

export interface MessageQuery {
  siteId: string;
  /** All conversations of the site when absent (the staff stream). */
  conversationId?: string;
  afterId: number;
  /** Visitors see only public messages. */
  publicOnly: boolean;
  limit?: number;
}

export type StaffMessage = StaffWireMessage;

/** Messages with an id above `afterId`, oldest first. */
export async function messagesAfter(db: Tx, q: MessageQuery): Promise<StaffMessage[]> {
  let query = db
    .selectFrom('messages')
    .selectAll()
    .where('site_id', '=', q.siteId)
    .where('message_id', '>', q.afterId)
    .orderBy('message_id')
    .limit(q.limit ?? 500);
  if (q.conversationId) query = query.where('conversation_id', '=', q.conversationId);
  if (q.publicOnly) query = query.where('visibility', '=', 'public');
  const rows = await query.execute();
  return rows.map((r) => ({ ...toWireMessage(r), visibility: r.visibility, staffUserId: r.staff_user_id }));
}

/** The newest message id of a site (0 when none): where a live-only stream starts. */
export async function latestMessageId(db: Tx, siteId: string): Promise<number> {
  const row = await db
    .selectFrom('messages')
    .select((eb) => eb.fn.max('message_id').as('id'))
    .where('site_id', '=', siteId)
    .executeTakeFirst();
  return Number(row?.id ?? 0);
}

export interface StaffListQuery {
  kind?: ConversationKind | undefined;
  status?: string | undefined;
  assignee?: string | undefined;
  cursor?: string | undefined;
  limit: number;
}

/** Newest first; the cursor is the last row's (created_at, id), so pages stay stable as new rows arrive. */
export async function listConversations(db: Tx, siteId: string, q: StaffListQuery) {
  let query = db
    .selectFrom('conversations')
    .selectAll()
    .select(sql<string>`to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('cursor_at'))
    .where('site_id', '=', siteId)
    .orderBy('created_at', 'desc')
    .orderBy('conversation_id', 'desc')
    .limit(q.limit + 1);
  if (q.kind) query = query.where('kind', '=', q.kind);
  if (q.status) query = query.where('status', '=', q.status);
  if (q.assignee === 'none') query = query.where('assignee_id', 'is', null);
  else if (q.assignee) query = query.where('assignee_id', '=', q.assignee);
  if (q.cursor) {
    const [at, id] = decodeCursor(q.cursor);
    query = query.where((eb) =>
      eb.or([
        eb('created_at', '<', sql<Date>`${at}::timestamptz`),
        eb.and([eb('created_at', '=', sql<Date>`${at}::timestamptz`), eb('conversation_id', '<', id)]),
      ]),
    );
  }
  const rows = await query.execute();
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    rows: page,
    nextCursor: rows.length > q.limit && last ? encodeCursor(last.cursor_at, last.conversation_id) : null,
  };
}

export class BadCursorError extends Error {}

const encodeCursor = (at: string, id: string) => Buffer.from(`${at}|${id}`).toString('base64url');

function decodeCursor(cursor: string): [string, string] {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!at || !id || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/.test(at)) throw new BadCursorError('bad cursor');
  return [at, id];
}
