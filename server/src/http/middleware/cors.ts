// CORS for the public /v1 API: browsers on a site's allowed origins may call it, errors included
// (an answer without Access-Control-Allow-Origin is unreadable to the page, so it could not back off).
import type { MiddlewareHandler } from 'hono';
import type { SiteDirectory } from '../../sites/index.ts';
import { AppError } from '../errors.ts';

/** A preflight carries no key, so it is answered for an origin that any site allows; each request then checks its own site. */
export function publicCors(sites: SiteDirectory): MiddlewareHandler {
  return async (c, next) => {
    const origin = c.req.header('origin');
    const allowed = origin ? await sites.originAllowedAnywhere(origin) : false;
    if (c.req.method === 'OPTIONS') {
      if (!allowed) throw new AppError(403, 'origin_not_allowed', `origin ${origin ?? '(none)'} is not allowed`);
      return c.body(null, 204, {
        'Access-Control-Allow-Origin': origin as string,
        'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
        // Last-Event-ID: EventSource sends it when it reconnects to a widget event stream.
        'Access-Control-Allow-Headers': 'Content-Type, Content-Encoding, Authorization, Last-Event-ID',
        'Access-Control-Max-Age': '86400',
        Vary: 'Origin',
      });
    }
    await next();
    if (allowed) {
      c.res.headers.set('Access-Control-Allow-Origin', origin as string);
      c.res.headers.append('Vary', 'Origin');
    }
  };
}
