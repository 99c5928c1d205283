// Server-to-server APIs (/api/*): the site's secret key as `Authorization: Bearer sk_…` (or as the Basic-auth
// user name, as Segment-style libraries send keys). In the app, requireStaff (staff.ts) guards every /api
// route and admits both keys and staff sessions; requireSecretKey then lets its request through as is.
import type { MiddlewareHandler } from 'hono';
import type { Kysely } from 'kysely';
import { SECRET_KEY_ACTOR, writeAudit } from '../../auth/index.ts';
import type { Database } from '../../db/index.ts';
import { findSiteBySecretKey } from '../../sites/index.ts';
import { AppError } from '../errors.ts';
import type { StaffEnv } from './staff-env.ts';

/** What handlers behind requireSecretKey or requireStaff read with `c.get('site')` and `c.get('staff')`. */
export type SiteEnv = StaffEnv;

/** The key in an Authorization header (Bearer, or the Basic user name), if there is one. */
export function secretKeyOf(header: string | undefined): string | undefined {
  if (!header) return undefined;
  if (header.startsWith('Bearer ')) return header.slice(7).trim() || undefined;
  if (header.startsWith('Basic ')) {
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return (colon === -1 ? decoded : decoded.slice(0, colon)) || undefined;
  }
  return undefined;
}

export function requireSecretKey(db: Kysely<Database>): MiddlewareHandler<SiteEnv> {
  return async (c, next) => {
    // Already admitted (and checked against the policy) by requireStaff.
    if (c.get('authenticatedBy')) return next();
    const key = secretKeyOf(c.req.header('authorization'));
    if (!key) {
      throw new AppError(
        401,
        'missing_secret_key',
        'send the site secret key as `Authorization: Bearer sk_…`',
        undefined,
        {
          'WWW-Authenticate': 'Bearer',
        },
      );
    }
    const site = await findSiteBySecretKey(db, key);
    if (!site) throw new AppError(401, 'unknown_secret_key', 'no site has this secret key');
    c.set('site', site);
    c.set('staff', null);
    c.set('user', null);
    c.set('authenticatedBy', 'secret-key');
    c.set('auditLog', (entry) => writeAudit(db, site.siteId, { id: SECRET_KEY_ACTOR, email: null }, entry));
    await next();
  };
}
