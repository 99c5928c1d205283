// The widget's API (/v1/widget/*): a session for a visitor token, then only that visitor's own conversations.
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.ts';
import { AppError } from '../http/errors.ts';
import {
  complaintLookupSchema,
  feedbackSchema,
  newComplaintSchema,
  sendMessageSchema,
  startChatSchema,
  type WidgetSession,
  widgetSessionRequestSchema,
} from '../protocol/index.ts';
import type { Site, SiteDirectory } from '../sites/index.ts';
import { createComplaint, lookupComplaint } from './complaints.ts';
import { isOpen } from './hours.ts';
import type { ConversationLimits } from './limits.ts';
import { addPhoto, MAX_PHOTO_BYTES, photoResponse, readPhoto } from './photos.ts';
import {
  appendMessage,
  findVisitorConversation,
  insertConversation,
  listVisitorConversations,
  messagesAfter,
  toWireConversation,
  type toWireMessage,
} from './queries.ts';
import { eventStream, lastEventId, type RealtimeHub } from './realtime.ts';
import type { SecretCache } from './secrets.ts';
import {
  signVisitorToken,
  TOKEN_TTL_SECONDS,
  tokenSiteId,
  type VisitorClaims,
  verifyUserHash,
  verifyVisitorToken,
} from './tokens.ts';
import { readBytes, readJson, readQuery } from './wire.ts';

export interface ConversationDeps {
  db: Kysely<Database>;
  sites: SiteDirectory;
  secrets: SecretCache;
  hub: RealtimeHub;
  limits: ConversationLimits;
  /** The client's IP (behind a trusted proxy, from X-Forwarded-For), for the per-IP limit. */
  clientIp: (c: Context) => string | undefined;
  heartbeatMs: number;
  /** The customer's profile id for a conversation (profiles own that lookup; absent, none is given). */
  profileOf?: ProfileLookup | undefined;
}

export type ProfileLookup = (
  siteId: string,
  ids: { anonymousId: string; userId: string | null },
) => Promise<string | null>;

/** What handlers behind requireVisitor read: the token's claims and its site. */
export interface VisitorEnv {
  Variables: { visitor: VisitorClaims; site: Site };
}

function checkOrigin(c: Context, site: Site): void {
  // Browsers always send Origin on these cross-origin calls; server-side callers (no Origin) are let through
  // like on the ingest API, since a non-browser client can claim any Origin anyway.
  const origin = c.req.header('origin');
  if (origin && !site.allowedOrigins.includes(origin)) {
    throw new AppError(403, 'origin_not_allowed', `origin ${origin} is not allowed for this site`, 'Origin');
  }
}

function writeKeyFromBasic(header: string | undefined): string | undefined {
  if (!header?.startsWith('Basic ')) return undefined;
  return Buffer.from(header.slice(6).trim(), 'base64').toString('utf8').split(':')[0] || undefined;
}

/** Reads and checks the visitor token: `Authorization: Bearer …`, or `?token=` where EventSource cannot set headers. */
export function requireVisitor(deps: ConversationDeps): MiddlewareHandler<VisitorEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : c.req.query('token');
    if (!token) throw new AppError(401, 'missing_token', 'send the visitor token as `Authorization: Bearer …`');
    const siteId = tokenSiteId(token);
    const site = siteId ? await deps.sites.byId(siteId) : null;
    if (!site) throw new AppError(401, 'invalid_token', 'invalid visitor token');
    const check = verifyVisitorToken((await deps.secrets.get(site.siteId)).tokenSecret, token);
    if (!check.ok) {
      throw new AppError(
        401,
        check.reason === 'expired' ? 'token_expired' : 'invalid_token',
        `visitor token ${check.reason === 'expired' ? 'expired' : 'is invalid'}`,
      );
    }
    checkOrigin(c, site);
    c.set('visitor', check.claims);
    c.set('site', site);
    await next();
  };
}

/** The 429 of the widget API's limits, with Retry-After. */
export function tooMany(wait: number, what: string): AppError {
  return new AppError(429, 'rate_limited', `too many ${what}; retry in ${wait} s`, undefined, {
    'Retry-After': String(wait),
  });
}

export function visitorRoutes(deps: ConversationDeps) {
  const { db, limits } = deps;
  const visitor = requireVisitor(deps);

  /** Limits: new conversations per site and IP, messages per visitor. */
  const admitNewConversation = (c: Context<VisitorEnv>) => {
    const wait = limits.newConversations.take(`${c.get('site').siteId} ${deps.clientIp(c) ?? 'unknown'}`);
    if (wait > 0) throw tooMany(wait, 'new conversations from this address');
  };
  const admitMessage = (c: Context<VisitorEnv>) => {
    const v = c.get('visitor');
    const wait = limits.messages.take(`${v.siteId} ${v.anonymousId}`);
    if (wait > 0) throw tooMany(wait, 'messages');
  };
  const ownConversation = async (c: Context<VisitorEnv>, id: string) => {
    const conversation = await findVisitorConversation(db, c.get('visitor'), id);
    if (!conversation) throw new AppError(404, 'not_found', 'no such conversation');
    return conversation;
  };

  return new Hono<VisitorEnv>()
    .post('/v1/widget/session', async (c) => {
      const input = await readJson(c, widgetSessionRequestSchema);
      const writeKey = writeKeyFromBasic(c.req.header('authorization')) ?? input.writeKey;
      if (!writeKey) throw new AppError(401, 'missing_write_key', 'send the write key as `writeKey` or Basic auth');
      const site = await deps.sites.byWriteKey(writeKey);
      if (!site) throw new AppError(401, 'unknown_write_key', 'unknown write key');
      checkOrigin(c, site);
      const secrets = await deps.secrets.get(site.siteId);
      const settings = site.settings.conversations;
      let userId: string | null = null;
      if (input.userId !== undefined) {
        if (input.userHash !== undefined) {
          if (!verifyUserHash(secrets.identitySecret, input.userId, input.userHash)) {
            throw new AppError(401, 'invalid_user_hash', 'userHash does not match userId', 'userHash');
          }
          userId = input.userId;
        } else if (settings.requireUserHash) {
          throw new AppError(401, 'user_hash_required', 'this site requires userHash with userId', 'userHash');
        }
        // Without a hash on a site that does not require one, the visitor stays anonymous: an unproven
        // user id must never open that user's conversations.
      }
      const exp = Math.floor(Date.now() / 1000) + TOKEN_TTL_SECONDS;
      const token = signVisitorToken(secrets.tokenSecret, {
        siteId: site.siteId,
        anonymousId: input.anonymousId,
        userId,
        exp,
      });
      const body: WidgetSession = {
        token,
        expiresAt: new Date(exp * 1000).toISOString(),
        userId,
        online: isOpen(settings),
        awayMessage: settings.awayMessage,
      };
      return c.json(body, 200);
    })
    .get('/v1/widget/conversations', visitor, async (c) => {
      const rows = await listVisitorConversations(db, c.get('visitor'));
      return c.json({ conversations: rows.map(toWireConversation) }, 200);
    })
    .post('/v1/widget/conversations', visitor, async (c) => {
      const input = await readJson(c, startChatSchema);
      const site = c.get('site');
      const online = isOpen(site.settings.conversations);
      if (!online && !input.email) {
        throw new AppError(400, 'email_required', 'we are closed now: leave an email for the answer', 'email');
      }
      admitNewConversation(c);
      admitMessage(c);
      const v = c.get('visitor');
      const result = await db.transaction().execute(async (tx) => {
        const conversation = await insertConversation(tx, {
          siteId: v.siteId,
          kind: 'chat',
          status: 'open',
          visitor: v,
          email: input.email ?? null,
          pageUrl: input.pageUrl ?? null,
        });
        const id = conversation.conversation_id;
        const messages = [
          await appendMessage(tx, { siteId: v.siteId, conversationId: id, author: 'visitor', body: input.text }),
        ];
        const away = site.settings.conversations.awayMessage;
        if (!online && away) {
          messages.push(
            await appendMessage(tx, {
              siteId: v.siteId,
              conversationId: id,
              author: 'system',
              event: 'away',
              body: away,
            }),
          );
        }
        return { conversation: toWireConversation(conversation), messages, online };
      });
      return c.json(result, 201);
    })
    .get('/v1/widget/conversations/:id', visitor, async (c) => {
      const conversation = await ownConversation(c, c.req.param('id'));
      const messages = await messagesAfter(db, {
        siteId: conversation.site_id,
        conversationId: conversation.conversation_id,
        afterId: 0,
        publicOnly: true,
        limit: 1000,
      });
      return c.json({ conversation: toWireConversation(conversation), messages: messages.map(publicView) }, 200);
    })
    .post('/v1/widget/conversations/:id/messages', visitor, async (c) => {
      const input = await readJson(c, sendMessageSchema);
      const conversation = await ownConversation(c, c.req.param('id'));
      admitMessage(c);
      const message = await db.transaction().execute(async (tx) => {
        // A visitor writing into a closed chat reopens it, as they expect an answer.
        if (conversation.kind === 'chat' && conversation.status === 'closed') {
          await tx
            .updateTable('conversations')
            .set({ status: 'open' })
            .where('site_id', '=', conversation.site_id)
            .where('conversation_id', '=', conversation.conversation_id)
            .execute();
        }
        return appendMessage(tx, {
          siteId: conversation.site_id,
          conversationId: conversation.conversation_id,
          author: 'visitor',
          body: input.text,
        });
      });
      return c.json(message, 201);
    })
    .get('/v1/widget/conversations/:id/events', visitor, async (c) => {
      const conversation = await ownConversation(c, c.req.param('id'));
      // A first connection gets the whole conversation (it is the widget's history); a reconnection the rest.
      const afterId = lastEventId(c) ?? 0;
      return eventStream(c, {
        hub: deps.hub,
        siteId: conversation.site_id,
        conversationId: conversation.conversation_id,
        afterId,
        load: (after) =>
          messagesAfter(db, {
            siteId: conversation.site_id,
            conversationId: conversation.conversation_id,
            afterId: after,
            publicOnly: true,
          }),
        toData: publicView,
        heartbeatMs: deps.heartbeatMs,
      });
    })
    .post('/v1/widget/feedback', visitor, async (c) => {
      const input = await readJson(c, feedbackSchema);
      admitNewConversation(c);
      const v = c.get('visitor');
      const conversation = await db.transaction().execute(async (tx) => {
        const row = await insertConversation(tx, {
          siteId: v.siteId,
          kind: 'feedback',
          status: 'open',
          visitor: v,
          pageUrl: input.pageUrl,
          rating: input.rating,
        });
        if (input.comment) {
          await appendMessage(tx, {
            siteId: v.siteId,
            conversationId: row.conversation_id,
            author: 'visitor',
            body: input.comment,
          });
        }
        return row;
      });
      return c.json({ conversation: toWireConversation(conversation) }, 201);
    })
    .post('/v1/widget/complaints', visitor, async (c) => {
      const input = await readJson(c, newComplaintSchema);
      admitNewConversation(c);
      return c.json(await createComplaint(db, c.get('visitor'), input), 201);
    })
    .get('/v1/widget/complaints/status', visitor, async (c) => {
      const { ticket, email } = readQuery(c, complaintLookupSchema);
      // Lookups count against the message limit, so ticket numbers cannot be walked quickly.
      admitMessage(c);
      const status = await lookupComplaint(db, c.get('visitor'), ticket, email);
      if (!status) throw new AppError(404, 'not_found', 'no complaint with this ticket for you');
      return c.json(status, 200);
    })
    .post('/v1/widget/complaints/:id/photos', visitor, async (c) => {
      const conversation = await ownConversation(c, c.req.param('id'));
      if (conversation.kind !== 'complaint') throw new AppError(404, 'not_found', 'no such complaint');
      if (conversation.status === 'closed') throw new AppError(409, 'complaint_closed', 'the complaint is closed');
      const bytes = await readBytes(c, MAX_PHOTO_BYTES);
      return c.json(await addPhoto(db, conversation.site_id, conversation.conversation_id, bytes), 201);
    })
    .get('/v1/widget/complaints/:id/photos/:photoId', visitor, async (c) => {
      const conversation = await ownConversation(c, c.req.param('id'));
      const photo = await readPhoto(db, conversation.site_id, conversation.conversation_id, c.req.param('photoId'));
      if (!photo) throw new AppError(404, 'not_found', 'no such photo');
      return photoResponse(photo);
    });
}

/** What a visitor sees of a message: no staff ids, no visibility flag. */
function publicView(m: ReturnType<typeof toWireMessage>) {
  return {
    id: m.id,
    conversationId: m.conversationId,
    author: m.author,
    event: m.event,
    text: m.text,
    createdAt: m.createdAt,
  };
}
