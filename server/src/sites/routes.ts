// Public per-site configuration for the SDK: what it needs to know before loading the widget.
import { Hono } from 'hono';
import { z } from 'zod';
import { AppError } from '../http/errors.ts';
import type { SiteDirectory } from './directory.ts';

const query = z.object({ writeKey: z.string().min(1, 'writeKey is required').max(200) });

export function publicSiteRoutes(sites: SiteDirectory) {
  return new Hono().get('/v1/config', async (c) => {
    const parsed = query.safeParse(c.req.query());
    if (!parsed.success) throw new AppError(400, 'invalid_query', 'writeKey is required', 'writeKey');
    const site = await sites.byWriteKey(parsed.data.writeKey);
    if (!site) throw new AppError(401, 'unknown_write_key', 'unknown write key');
    // Only what a shopper's browser may see; cached briefly so a settings change shows within minutes.
    return c.json({ widget: site.settings.widget }, 200, { 'Cache-Control': 'public, max-age=300' });
  });
}
