// Complaints: ticket numbers, the review → validation → resolution workflow with its role table, status lookup.
import type { Kysely } from 'kysely';
import type { Role, SiteMember } from '../auth/index.ts';
import type { Database } from '../db/index.ts';
import { AppError } from '../http/errors.ts';
import type { ComplaintAction, ComplaintStatus, NewComplaint, WireComplaintStatus } from '../protocol/index.ts';
import { appendMessage, insertConversation, lockConversation, nextCounter } from './queries.ts';
import type { ComplaintsTable } from './tables.ts';
import type { VisitorClaims } from './tokens.ts';

interface Rule {
  from: readonly ComplaintStatus[];
  to: ComplaintStatus;
  roles: readonly Role[];
  textRequired: boolean;
  /** Where the transition's text is kept on the complaint (it is also in the transition's own row). */
  field?: keyof Pick<ComplaintsTable, 'technical_report' | 'validation_note' | 'response'>;
}

/**
 * The workflow and who may move it. Validation is a separation-of-duties check, so only validators do it
 * (admins included would let one person write and approve the same report); agents and admins write the
 * technical report and the customer's answer. Marketers do not touch complaints.
 */
export const workflow: Readonly<Record<ComplaintAction, Rule>> = {
  review: {
    from: ['registered', 'rejected'],
    to: 'in_review',
    roles: ['agent', 'admin'],
    textRequired: true,
    field: 'technical_report',
  },
  validate: {
    from: ['in_review'],
    to: 'validated',
    roles: ['validator'],
    textRequired: false,
    field: 'validation_note',
  },
  reject: { from: ['in_review'], to: 'rejected', roles: ['validator'], textRequired: true, field: 'validation_note' },
  resolve: { from: ['validated'], to: 'resolved', roles: ['agent', 'admin'], textRequired: true, field: 'response' },
  close: { from: ['resolved'], to: 'closed', roles: ['agent', 'admin'], textRequired: false },
};

export const ticketNumber = (year: number, n: number) => `RC-${year}-${String(n).padStart(6, '0')}`;

/** Registers a complaint; its ticket number comes from a per-site, per-year counter in the same transaction. */
export async function createComplaint(
  db: Kysely<Database>,
  visitor: VisitorClaims,
  input: NewComplaint,
  now = new Date(),
): Promise<{ conversationId: string; ticket: string; status: ComplaintStatus }> {
  return db.transaction().execute(async (tx) => {
    const conversation = await insertConversation(tx, {
      siteId: visitor.siteId,
      kind: 'complaint',
      status: 'registered',
      visitor,
      email: input.email ?? null,
    });
    const year = now.getUTCFullYear();
    const ticket = ticketNumber(year, await nextCounter(tx, visitor.siteId, `ticket-${year}`));
    await tx
      .insertInto('complaints')
      .values({
        site_id: visitor.siteId,
        conversation_id: conversation.conversation_id,
        ticket,
        category: input.category,
        order_number: input.orderNumber ?? null,
        description: input.description,
      })
      .execute();
    await tx
      .insertInto('complaint_transitions')
      .values({
        site_id: visitor.siteId,
        conversation_id: conversation.conversation_id,
        action: 'register',
        from_status: null,
        to_status: 'registered',
        actor_id: null,
        actor_email: input.email ?? null,
        actor_role: 'customer',
        text: input.description,
      })
      .execute();
    await appendMessage(tx, {
      siteId: visitor.siteId,
      conversationId: conversation.conversation_id,
      author: 'system',
      event: 'status_changed',
      body: 'registered',
    });
    return { conversationId: conversation.conversation_id, ticket, status: 'registered' as const };
  });
}

/** Moves a complaint one step: 404 unknown, 403 wrong role, 409 wrong state, 400 missing text. */
export async function transitionComplaint(
  db: Kysely<Database>,
  siteId: string,
  conversationId: string,
  action: ComplaintAction,
  actor: SiteMember,
  text: string | undefined,
): Promise<{ status: ComplaintStatus }> {
  const rule = workflow[action];
  return db.transaction().execute(async (tx) => {
    const conversation = await lockConversation(tx, siteId, conversationId);
    if (conversation?.kind !== 'complaint') {
      throw new AppError(404, 'not_found', 'no such complaint');
    }
    if (!rule.roles.includes(actor.role)) {
      throw new AppError(403, 'role_not_allowed', `${action} needs the role ${rule.roles.join(' or ')}`);
    }
    const from = conversation.status as ComplaintStatus;
    if (!rule.from.includes(from)) {
      throw new AppError(409, 'invalid_transition', `cannot ${action} a complaint that is ${from}`);
    }
    if (rule.textRequired && !text) throw new AppError(400, 'text_required', `${action} needs a text`, 'text');
    await tx
      .updateTable('conversations')
      .set({ status: rule.to })
      .where('site_id', '=', siteId)
      .where('conversation_id', '=', conversationId)
      .execute();
    if (rule.field) {
      await tx
        .updateTable('complaints')
        .set({ [rule.field]: text ?? null })
        .where('site_id', '=', siteId)
        .where('conversation_id', '=', conversationId)
        .execute();
    }
    await tx
      .insertInto('complaint_transitions')
      .values({
        site_id: siteId,
        conversation_id: conversationId,
        action,
        from_status: from,
        to_status: rule.to,
        actor_id: actor.userId,
        actor_email: actor.email,
        actor_role: actor.role,
        text: text ?? null,
      })
      .execute();
    // The answer to the customer reaches them like any agent message; internal texts stay in the history.
    if (action === 'resolve' && text) {
      await appendMessage(tx, { siteId, conversationId, author: 'agent', staffUserId: actor.userId, body: text });
    }
    await appendMessage(tx, {
      siteId,
      conversationId,
      author: 'system',
      staffUserId: actor.userId,
      event: 'status_changed',
      body: rule.to,
    });
    return { status: rule.to };
  });
}

/**
 * What a customer may see of a complaint: by ticket plus either ownership (the visitor token) or the email
 * given when filing. Anything else looks exactly like an unknown ticket.
 */
export async function lookupComplaint(
  db: Kysely<Database>,
  visitor: VisitorClaims,
  ticket: string,
  email: string | undefined,
): Promise<WireComplaintStatus | null> {
  const row = await db
    .selectFrom('complaints as k')
    .innerJoin('conversations as c', (j) =>
      j.onRef('c.site_id', '=', 'k.site_id').onRef('c.conversation_id', '=', 'k.conversation_id'),
    )
    .select([
      'k.conversation_id',
      'k.ticket',
      'k.category',
      'k.order_number',
      'k.response',
      'c.status',
      'c.created_at',
      'c.email',
      'c.anonymous_id',
      'c.user_id',
    ])
    .where('k.site_id', '=', visitor.siteId)
    .where('k.ticket', '=', ticket)
    .executeTakeFirst();
  if (!row) return null;
  const owner = row.user_id ? row.user_id === visitor.userId : row.anonymous_id === visitor.anonymousId;
  const byEmail = !!email && !!row.email && row.email.toLowerCase() === email.toLowerCase();
  if (!owner && !byEmail) return null;
  const history = await db
    .selectFrom('complaint_transitions')
    .select(['to_status', 'at'])
    .where('site_id', '=', visitor.siteId)
    .where('conversation_id', '=', row.conversation_id)
    .orderBy('transition_id')
    .execute();
  const photos = await db
    .selectFrom('complaint_photos')
    .select('photo_id')
    .where('site_id', '=', visitor.siteId)
    .where('conversation_id', '=', row.conversation_id)
    .orderBy('created_at')
    .execute();
  const status = row.status as ComplaintStatus;
  return {
    ticket: row.ticket,
    conversationId: row.conversation_id,
    status,
    category: row.category,
    orderNumber: row.order_number,
    createdAt: row.created_at.toISOString(),
    response: status === 'resolved' || status === 'closed' ? row.response : null,
    history: history.map((h) => ({ status: h.to_status as ComplaintStatus, at: h.at.toISOString() })),
    // Only the owner gets the photo ids (the email path proves less than the token does).
    photos: owner ? photos.map((p) => p.photo_id) : [],
  };
}

/** Everything staff see of a complaint: details, full history with texts and actors, photo ids. */
export async function complaintDetails(db: Kysely<Database>, siteId: string, conversationId: string) {
  const complaint = await db
    .selectFrom('complaints')
    .selectAll()
    .where('site_id', '=', siteId)
    .where('conversation_id', '=', conversationId)
    .executeTakeFirst();
  if (!complaint) return null;
  const transitions = await db
    .selectFrom('complaint_transitions')
    .selectAll()
    .where('site_id', '=', siteId)
    .where('conversation_id', '=', conversationId)
    .orderBy('transition_id')
    .execute();
  const photos = await db
    .selectFrom('complaint_photos')
    .select(['photo_id', 'content_type', 'created_at'])
    .where('site_id', '=', siteId)
    .where('conversation_id', '=', conversationId)
    .orderBy('created_at')
    .execute();
  return {
    ticket: complaint.ticket,
    category: complaint.category,
    orderNumber: complaint.order_number,
    description: complaint.description,
    technicalReport: complaint.technical_report,
    validationNote: complaint.validation_note,
    response: complaint.response,
    transitions: transitions.map((t) => ({
      action: t.action,
      from: t.from_status,
      to: t.to_status,
      actor: t.actor_id ? { id: t.actor_id, email: t.actor_email, role: t.actor_role } : null,
      text: t.text,
      at: t.at.toISOString(),
    })),
    photos: photos.map((p) => ({ id: p.photo_id, contentType: p.content_type, createdAt: p.created_at.toISOString() })),
  };
}
