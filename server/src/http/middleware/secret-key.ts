// Server-to-server APIs (/api/*): the site's secret key as `Authorization: Bearer sk_…` (or as the Basic-auth
// user name, as Segment-style libraries send keys). Staff sessions join here when the dashboard gets its login.
import type { MiddlewareHandler } from 'hono';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.ts';
import { findSiteBySecretKey, type Site } from '../../sites/index.ts';
import { AppError } from '../errors.ts';

/** What handlers behind requireSecretKey read with `c.get('site')`. */
export interface SiteEnv {
  Variables: { site: Site };
}

function keyOf(header: string | undefined): string | undefined {
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
    const key = keyOf(c.req.header('authorization'));
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
    await next();
  };
}
