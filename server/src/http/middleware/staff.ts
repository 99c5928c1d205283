// The guard on every /api route: a staff session cookie (with the site it works on) or the site's secret key,
// then the route's entry in auth/policy.ts. Sets `site`, `staff` (null for the key), `user` and `auditLog`.
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { matchedRoutes } from 'hono/route';
import type { Kysely } from 'kysely';
import {
  allows,
  defaultLifetimes,
  findSiteMember,
  PUBLIC,
  type Rule,
  resolveSession,
  ruleFor,
  SECRET_KEY_ACTOR,
  SESSION_COOKIE,
  type SessionLifetimes,
  SIGNED_IN,
  writeAudit,
} from '../../auth/index.ts';
import type { Database } from '../../db/index.ts';
import { findSiteById, findSiteBySecretKey, type Site } from '../../sites/index.ts';
import { AppError } from '../errors.ts';
import { isSafeMethod, passesCsrfCheck } from './csrf.ts';
import { secretKeyOf } from './secret-key.ts';
import type { StaffEnv } from './staff-env.ts';

export const SITE_HEADER = 'x-fideliza-site';

export interface StaffGuardOptions {
  trustProxy?: boolean;
  lifetimes?: SessionLifetimes;
  now?: () => Date;
  /** Site lookup by id (app.ts passes its cache). */
  findSite?: (siteId: string) => Promise<Site | null>;
}

/**
 * The route this request will be answered by: the first matched handler that is not a `.use` middleware.
 * Its method and pattern (not the request's) key the policy, so `/api/x/:id` has one entry for every id.
 */
function routeOf(c: Context): { method: string; path: string } | undefined {
  return matchedRoutes(c).find((r) => r.method !== 'ALL' && r.path.startsWith('/api/'));
}

export function requireStaff(db: Kysely<Database>, options: StaffGuardOptions = {}): MiddlewareHandler<StaffEnv> {
  const { trustProxy = false, lifetimes = defaultLifetimes, now = () => new Date() } = options;
  const findSite = options.findSite ?? ((siteId: string) => findSiteById(db, siteId));

  return async (c, next) => {
    // Mounted app-wide and also on capability routes (for apps assembled without it): decide once.
    if (c.get('authenticatedBy')) return next();
    const route = routeOf(c);
    const rule: Rule | undefined = route && ruleFor(route.method, route.path);
    if (rule === PUBLIC) return next();

    const key = secretKeyOf(c.req.header('authorization'));
    if (key !== undefined) {
      const site = await findSiteBySecretKey(db, key);
      if (!site) throw new AppError(401, 'unknown_secret_key', 'no site has this secret key');
      if (rule === SIGNED_IN) throw new AppError(403, 'session_required', 'this needs a signed-in staff user');
      // The key is the site's own authority: every site route, whatever the role table says.
      c.set('site', site);
      c.set('staff', null);
      c.set('user', null);
      c.set('authenticatedBy', 'secret-key');
      c.set('auditLog', (entry) => writeAudit(db, site.siteId, { id: SECRET_KEY_ACTOR, email: null }, entry));
      return next();
    }

    const sessionId = getCookie(c, SESSION_COOKIE);
    if (!sessionId) {
      throw new AppError(
        401,
        'missing_secret_key',
        'sign in, or send the site secret key as `Authorization: Bearer sk_…`',
        undefined,
        { 'WWW-Authenticate': 'Bearer' },
      );
    }
    const user = await resolveSession(db, sessionId, now(), lifetimes);
    if (!user) throw new AppError(401, 'session_expired', 'the session has ended: sign in again');
    if (!isSafeMethod(c.req.method) && !passesCsrfCheck(c, trustProxy)) {
      throw new AppError(403, 'csrf', 'send the header X-Fideliza-CSRF: 1 with state-changing requests');
    }
    // An unknown /api path answers 404 to a signed-in user, not 403.
    if (!route) return next();
    if (rule === undefined) throw new AppError(403, 'no_policy', `no role may call ${route.method} ${route.path}`);
    c.set('user', user);
    c.set('authenticatedBy', 'session');
    if (rule === SIGNED_IN) return next();

    const siteId = c.req.query('site') ?? c.req.header(SITE_HEADER);
    if (!siteId) throw new AppError(400, 'missing_site', 'name the site with ?site= or X-Fideliza-Site', 'site');
    // Not a member and no such site look the same: staff learn nothing of sites they do not work on.
    const member = await findSiteMember(db, siteId, user.userId);
    const site = member && (await findSite(siteId));
    if (!member || !site) throw new AppError(403, 'not_a_member', 'you do not work on this site', 'site');
    if (!allows(rule, member.role)) {
      throw new AppError(403, 'role_not_allowed', `your role (${member.role}) may not do this`);
    }
    c.set('site', site);
    c.set('staff', member);
    c.set('auditLog', (entry) => writeAudit(db, site.siteId, { id: member.userId, email: member.email }, entry));
    return next();
  };
}
