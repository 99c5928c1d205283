// What staff send to change a site: its name, allowed origins and settings, a key to rotate, a new site.
import { z } from 'zod';
import { siteSettingsSchema } from './settings.ts';

const ORIGIN_HINT = 'an origin like https://shop.example (scheme, host and port only, no path)';

/** One allowed origin, as the browser sends it in `Origin`; CORS compares exactly, so no wildcards or paths. */
export const originSchema = z
  .string()
  .trim()
  .max(200)
  .transform((value, ctx) => {
    if (value.includes('*')) {
      ctx.addIssue({ code: 'custom', message: 'wildcards are not supported: list each origin' });
      return z.NEVER;
    }
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: ORIGIN_HINT });
      return z.NEVER;
    }
    const bare = url.pathname === '/' && !/[?#]/.test(value) && !url.username && !url.password;
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !bare) {
      ctx.addIssue({ code: 'custom', message: ORIGIN_HINT });
      return z.NEVER;
    }
    return url.origin;
  });

const nameSchema = z.string().trim().min(1, 'a name is required').max(100);
const originsSchema = z.array(originSchema).max(50, 'at most 50 origins');

/** PUT /api/site replaces all three: the dashboard sends back what it read, edited. */
export const siteUpdateSchema = z.object({ name: nameSchema, origins: originsSchema, settings: siteSettingsSchema });

export const newSiteSchema = z.object({ name: nameSchema, origins: originsSchema.default([]) });

export const rotateKeySchema = z.object({ key: z.enum(['write', 'secret']) });
