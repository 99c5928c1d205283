// Staff APIs (staff session or secret key): inbox list, read, reply, assign, status, complaint workflow.
import { type Context, Hono } from 'hono';
import { audit, findSiteMember, listTeam, type Role, type SiteMember } from '../auth/index.ts';
import { AppError } from '../http/errors.ts';
// Declares each body's shape to the dashboard's typed client (it reads through readJson, from this folder).
import { jsonBody } from '../http/json-body.ts';
import type { SiteEnv } from '../http/middleware/secret-key.ts';
import { requireStaff } from '../http/middleware/staff.ts';
import {
  assignSchema,
  type ComplaintAction,
  chatStatusSchema,
  complaintActions,
  complaintTransitionSchema,
  listConversationsQuerySchema,
  markReadSchema,
  staffReplySchema,
} from '../protocol/index.ts';
import { complaintDetails, transitionComplaint, workflow } from './complaints.ts';
import { inboxPreviews, markRead } from './inbox.ts';
import { photoResponse, readPhoto } from './photos.ts';
import {
  appendMessage,
  BadCursorError,
  findConversation,
  latestMessageId,
  listConversations,
  lockConversation,
  messagesAfter,
  toWireConversation,
} from './queries.ts';
import { eventStream, lastEventId } from './realtime.ts';
import { loadWidgetSecrets, rotateIdentitySecret } from './secrets.ts';
import type { ConversationDeps } from './visitor-routes.ts';
import { readQuery } from './wire.ts';

/** Roles that answer customers (reply, assign, open/close chats). */
const AGENT_ROLES: readonly Role[] = ['agent', 'admin'];
/** Roles a conversation can be assigned to. */
const ASSIGNABLE: readonly Role[] = ['agent', 'admin', 'validator'];

export function staffRoutes(deps: ConversationDeps) {
  const { db } = deps;
  // A staff session with the route's role (auth/policy.ts), or the site's secret key.
  const guard = requireStaff(db);

  /**
   * The staff user acting: the signed-in user, whatever the body says. With the secret key, the one named by
   * id or email in the body; without one the key holder acts as the site itself (recorded with no user).
   */
  async function actorOf(c: Context<SiteEnv>, actor: string | undefined, allowed: readonly Role[]) {
    const staff = c.get('staff');
    if (staff) {
      if (!allowed.includes(staff.role))
        throw new AppError(403, 'role_not_allowed', `this needs the role ${allowed.join(' or ')}`);
      return staff;
    }
    if (actor === undefined) return null;
    const member = await findSiteMember(db, c.get('site').siteId, actor);
    if (!member) throw new AppError(403, 'unknown_actor', `${actor} is not a staff member of this site`, 'actor');
    if (!allowed.includes(member.role)) {
      throw new AppError(403, 'role_not_allowed', `this needs the role ${allowed.join(' or ')}`, 'actor');
    }
    return member;
  }

  /** For the audit: with the secret key, the member the body named acts through it. */
  const onBehalf = (c: Context<SiteEnv>, actor: SiteMember | null) =>
    c.get('staff') || !actor ? {} : { onBehalfOf: actor.userId };

  const conversationOf = async (c: Context<SiteEnv>) => {
    const conversation = await findConversation(db, c.get('site').siteId, c.req.param('id') ?? '');
    if (!conversation) throw new AppError(404, 'not_found', 'no such conversation');
    return conversation;
  };

  /** The workflow steps this staff member may take on a complaint in `status` (every step for the secret key). */
  const actionsFor = (c: Context<SiteEnv>, status: string): { action: ComplaintAction; textRequired: boolean }[] => {
    const role = c.get('staff')?.role;
    return complaintActions
      .filter((a) => {
        const rule = workflow[a];
        return (rule.from as readonly string[]).includes(status) && (!role || rule.roles.includes(role));
      })
      .map((action) => ({ action, textRequired: workflow[action].textRequired }));
  };

  const staffView = (row: Awaited<ReturnType<typeof conversationOf>>) => ({
    ...toWireConversation(row),
    anonymousId: row.anonymous_id,
    userId: row.user_id,
    email: row.email,
    assigneeId: row.assignee_id,
    pageUrl: row.page_url,
    rating: row.rating,
  });

  return (
    new Hono<SiteEnv>()
      .get('/api/conversations', guard, async (c) => {
        const q = readQuery(c, listConversationsQuerySchema);
        try {
          const siteId = c.get('site').siteId;
          const { rows, nextCursor } = await listConversations(db, siteId, q);
          const previews = await inboxPreviews(
            db,
            siteId,
            rows.map((r) => r.conversation_id),
            c.get('staff')?.userId ?? null,
          );
          const conversations = rows.map((r) => ({
            ...staffView(r),
            ...(previews.get(r.conversation_id) ?? { ticket: null, lastMessage: null, unread: false }),
          }));
          return c.json({ conversations, nextCursor }, 200);
        } catch (error) {
          if (error instanceof BadCursorError) throw new AppError(400, 'invalid_query', 'bad cursor', 'cursor');
          throw error;
        }
      })
      // Registered before /:id so "events" is not taken for an id.
      .get('/api/conversations/events', guard, async (c) => {
        const siteId = c.get('site').siteId;
        // Without Last-Event-ID the inbox starts from now: the whole site's history is for the list API.
        const afterId = lastEventId(c) ?? (await latestMessageId(db, siteId));
        return eventStream(c, {
          hub: deps.hub,
          siteId,
          afterId,
          load: (after) => messagesAfter(db, { siteId, afterId: after, publicOnly: false }),
          toData: (m) => m,
          heartbeatMs: deps.heartbeatMs,
        });
      })
      // Who a conversation can be given to, for the inbox's assign menu (the team list itself is admins').
      .get('/api/conversations/assignees', guard, async (c) => {
        const team = await listTeam(db, c.get('site').siteId);
        const assignees = team
          .filter((m) => ASSIGNABLE.includes(m.role))
          .map((m) => ({ id: m.userId, email: m.email, role: m.role }));
        return c.json({ assignees }, 200);
      })
      .get('/api/conversations/:id', guard, async (c) => {
        const conversation = await conversationOf(c);
        const messages = await messagesAfter(db, {
          siteId: conversation.site_id,
          conversationId: conversation.conversation_id,
          afterId: 0,
          publicOnly: false,
          limit: 5000,
        });
        const details =
          conversation.kind === 'complaint'
            ? await complaintDetails(db, conversation.site_id, conversation.conversation_id)
            : null;
        const complaint = details && { ...details, actions: actionsFor(c, conversation.status) };
        const profileId =
          (await deps.profileOf?.(conversation.site_id, {
            anonymousId: conversation.anonymous_id,
            userId: conversation.user_id,
          })) ?? null;
        const role = c.get('staff')?.role;
        // Whether the UI offers reply, assign and open/close; the routes below check it again.
        const canAnswer = !role || AGENT_ROLES.includes(role);
        return c.json({ conversation: { ...staffView(conversation), profileId }, messages, complaint, canAnswer }, 200);
      })
      .post('/api/conversations/:id/messages', guard, jsonBody(staffReplySchema), async (c) => {
        const input = c.req.valid('json');
        const actor = await actorOf(c, input.actor, AGENT_ROLES);
        const conversation = await conversationOf(c);
        const message = await db.transaction().execute((tx) =>
          appendMessage(tx, {
            siteId: conversation.site_id,
            conversationId: conversation.conversation_id,
            author: 'agent',
            staffUserId: actor?.userId ?? null,
            body: input.text,
          }),
        );
        // Whoever answers has read what they answer.
        if (actor) await markRead(db, conversation.site_id, actor.userId, conversation.conversation_id, message.id);
        await audit(c, 'conversation.reply', conversation.conversation_id, onBehalf(c, actor));
        return c.json(message, 201);
      })
      .post('/api/conversations/:id/read', guard, jsonBody(markReadSchema), async (c) => {
        const { upTo } = c.req.valid('json');
        const staff = c.get('staff');
        // A read marker is a person's: the secret key reads as nobody.
        if (!staff) throw new AppError(403, 'session_required', 'read markers belong to a signed-in staff user');
        const conversation = await conversationOf(c);
        const readUpTo = await markRead(db, conversation.site_id, staff.userId, conversation.conversation_id, upTo);
        return c.json({ readUpTo }, 200);
      })
      .post('/api/conversations/:id/assign', guard, jsonBody(assignSchema), async (c) => {
        const input = c.req.valid('json');
        const actor = await actorOf(c, input.actor, AGENT_ROLES);
        const siteId = c.get('site').siteId;
        let assignee: SiteMember | null = null;
        if (input.assignee !== null) {
          assignee = await findSiteMember(db, siteId, input.assignee);
          if (!assignee || !ASSIGNABLE.includes(assignee.role)) {
            throw new AppError(400, 'invalid_assignee', `${input.assignee} cannot be assigned here`, 'assignee');
          }
        }
        const row = await db.transaction().execute(async (tx) => {
          const conversation = await lockConversation(tx, siteId, c.req.param('id'));
          if (!conversation) throw new AppError(404, 'not_found', 'no such conversation');
          await tx
            .updateTable('conversations')
            .set({ assignee_id: assignee?.userId ?? null })
            .where('site_id', '=', siteId)
            .where('conversation_id', '=', conversation.conversation_id)
            .execute();
          // Staff-only, so the inbox stream hears of it while the visitor does not see who works on what.
          await appendMessage(tx, {
            siteId,
            conversationId: conversation.conversation_id,
            author: 'system',
            visibility: 'staff',
            staffUserId: actor?.userId ?? null,
            event: 'assigned',
            body: assignee?.userId ?? '',
          });
          return { ...conversation, assignee_id: assignee?.userId ?? null };
        });
        await audit(c, 'conversation.assign', row.conversation_id, {
          ...onBehalf(c, actor),
          assignee: assignee?.userId ?? null,
        });
        return c.json({ conversation: staffView(row) }, 200);
      })
      .post('/api/conversations/:id/status', guard, jsonBody(chatStatusSchema), async (c) => {
        const input = c.req.valid('json');
        const actor = await actorOf(c, input.actor, AGENT_ROLES);
        const siteId = c.get('site').siteId;
        const row = await db.transaction().execute(async (tx) => {
          const conversation = await lockConversation(tx, siteId, c.req.param('id'));
          if (!conversation) throw new AppError(404, 'not_found', 'no such conversation');
          if (conversation.kind === 'complaint') {
            throw new AppError(
              409,
              'use_complaint_workflow',
              'complaints move through /api/complaints/:id/transitions',
            );
          }
          if (conversation.status === input.status) return conversation;
          await tx
            .updateTable('conversations')
            .set({ status: input.status })
            .where('site_id', '=', siteId)
            .where('conversation_id', '=', conversation.conversation_id)
            .execute();
          await appendMessage(tx, {
            siteId,
            conversationId: conversation.conversation_id,
            author: 'system',
            staffUserId: actor?.userId ?? null,
            event: 'status_changed',
            body: input.status,
          });
          return { ...conversation, status: input.status };
        });
        await audit(c, 'conversation.status', row.conversation_id, { ...onBehalf(c, actor), status: input.status });
        return c.json({ conversation: staffView(row) }, 200);
      })
      .post('/api/complaints/:id/transitions', guard, jsonBody(complaintTransitionSchema), async (c) => {
        const input = c.req.valid('json');
        const siteId = c.get('site').siteId;
        // The role table decides per action (see complaints.ts), so any member may act here: the signed-in
        // user, or with the secret key the member the body names.
        const actor = c.get('staff') ?? (input.actor ? await findSiteMember(db, siteId, input.actor) : null);
        if (!actor && !input.actor) throw new AppError(400, 'missing_actor', 'name the staff member acting', 'actor');
        if (!actor)
          throw new AppError(403, 'unknown_actor', `${input.actor} is not a staff member of this site`, 'actor');
        const result = await transitionComplaint(db, siteId, c.req.param('id'), input.action, actor, input.text);
        await audit(c, `complaint.${input.action}`, c.req.param('id'), onBehalf(c, actor));
        return c.json(result, 200);
      })
      .get('/api/complaints/:id/photos/:photoId', guard, async (c) => {
        const photo = await readPhoto(db, c.get('site').siteId, c.req.param('id'), c.req.param('photoId'));
        if (!photo) throw new AppError(404, 'not_found', 'no such photo');
        return photoResponse(photo);
      })
      .get('/api/widget/identity-secret', guard, async (c) => {
        const { identitySecret } = await loadWidgetSecrets(db, c.get('site').siteId);
        return c.json({ identitySecret }, 200);
      })
      .post('/api/widget/identity-secret/rotate', guard, async (c) => {
        const identitySecret = await rotateIdentitySecret(db, c.get('site').siteId);
        deps.secrets.clear();
        await audit(c, 'settings.identity_secret_rotated', null);
        return c.json({ identitySecret }, 200);
      })
  );
}
