// Conversations: widget sessions, chat, feedback, complaints with their workflow, and realtime streams.
import type { Context } from 'hono';
import { Hono } from 'hono';
import type { Db } from '../db/index.ts';
import type { SiteDirectory } from '../sites/index.ts';
import { type ConversationLimits, defaultLimits } from './limits.ts';
import { RealtimeHub } from './realtime.ts';
import { SecretCache } from './secrets.ts';
import { staffRoutes } from './staff-routes.ts';
import { type ProfileLookup, requireVisitor, visitorRoutes } from './visitor-routes.ts';

export { workflow } from './complaints.ts';
export { eraseConversations, exportConversations, type PersonIds } from './erasure.ts';
export { type ConversationLimits, defaultLimits } from './limits.ts';
export { loadWidgetSecrets, rotateIdentitySecret } from './secrets.ts';
export { userHash, type VisitorClaims } from './tokens.ts';
export { type ProfileLookup, tooMany, type VisitorEnv } from './visitor-routes.ts';
export { readJson, readQuery } from './wire.ts';

export interface ConversationOptions {
  db: Db;
  sites: SiteDirectory;
  clientIp: (c: Context) => string | undefined;
  limits?: ConversationLimits;
  /** How often an idle event stream gets a comment line (proxies close silent connections). */
  heartbeatMs?: number;
  /** Finds the customer's profile for the staff view of a conversation. */
  profileOf?: ProfileLookup;
}

/** The widget and staff routes, plus close() for shutdown (ends open event streams, stops listening). */
export function conversations(o: ConversationOptions) {
  const hub = new RealtimeHub(o.db.notifications);
  const deps = {
    db: o.db.kysely,
    sites: o.sites,
    secrets: new SecretCache(o.db.kysely),
    hub,
    limits: o.limits ?? defaultLimits(),
    clientIp: o.clientIp,
    heartbeatMs: o.heartbeatMs ?? 15_000,
    profileOf: o.profileOf,
  };
  return {
    routes: new Hono().route('/', visitorRoutes(deps)).route('/', staffRoutes(deps)),
    hub,
    /** The visitor-token check of /v1/widget/*, for other capabilities' widget routes (shares the secret cache). */
    visitor: requireVisitor(deps),
    close: () => hub.close(),
  };
}
