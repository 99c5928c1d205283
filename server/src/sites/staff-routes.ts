// Site settings for staff: name, allowed origins, settings (widget look, hours), the install data, key rotation
// and new sites. Mounted behind requireStaff in app.ts, which sets the site and checks auth/policy.ts.
import { type Context, Hono } from 'hono';
import type { Kysely } from 'kysely';
import { addSiteMember, audit, writeAudit } from '../auth/index.ts';
import type { Database } from '../db/index.ts';
import { AppError } from '../http/errors.ts';
import { jsonBody } from '../http/json-body.ts';
import type { StaffEnv } from '../http/middleware/staff-env.ts';
import type { SiteDirectory } from './directory.ts';
import { newSiteSchema, rotateKeySchema, siteUpdateSchema } from './input.ts';
import { createSite, rotateSecretKey, rotateWriteKey, type Site, updateSite } from './queries.ts';

export interface SiteStaffDeps {
  db: Kysely<Database>;
  /** The app's cache of sites: dropped after every change so ingestion and CORS see it at once. */
  sites: SiteDirectory;
  trustProxy: boolean;
}

const first = (header: string | undefined) => header?.split(',')[0]?.trim() || undefined;

/** This server's origin as the browser reached it (a trusted proxy's forwarded scheme and host win). */
function publicOrigin(c: Context, trustProxy: boolean): string {
  const own = new URL(c.req.url).origin;
  if (!trustProxy) return own;
  const proto = first(c.req.header('x-forwarded-proto'));
  const host = first(c.req.header('x-forwarded-host')) ?? c.req.header('host');
  if (!proto || !host) return own;
  try {
    return new URL(`${proto}://${host}`).origin;
  } catch {
    return own;
  }
}

/** What the settings page shows: the site, and what the install snippet needs. */
function siteView(site: Site, host: string) {
  return {
    id: site.siteId,
    name: site.name,
    origins: site.allowedOrigins,
    writeKey: site.writeKey,
    settings: site.settings,
    install: { host, scriptUrl: `${host}/sdk.js` },
  };
}

/** Top-level parts of the site that differ, for the audit (values of origins and look are not secret). */
function changedParts(before: Site, after: Site): string[] {
  const parts: string[] = [];
  if (before.name !== after.name) parts.push('name');
  if (JSON.stringify(before.allowedOrigins) !== JSON.stringify(after.allowedOrigins)) parts.push('origins');
  for (const key of Object.keys(after.settings) as (keyof Site['settings'])[]) {
    if (JSON.stringify(before.settings[key]) !== JSON.stringify(after.settings[key])) parts.push(`settings.${key}`);
  }
  return parts;
}

export function siteStaffRoutes({ db, sites, trustProxy }: SiteStaffDeps) {
  return new Hono<StaffEnv>()
    .get('/api/site', (c) => c.json(siteView(c.get('site'), publicOrigin(c, trustProxy)), 200))
    .put('/api/site', jsonBody(siteUpdateSchema), async (c) => {
      const before = c.get('site');
      const updated = await updateSite(db, before.siteId, c.req.valid('json'));
      if (!updated) throw new AppError(404, 'not_found', 'the site no longer exists');
      sites.clear();
      await audit(c, 'site.update', before.siteId, {
        changed: changedParts(before, updated),
        origins: updated.allowedOrigins,
        widget: updated.settings.widget,
      });
      return c.json(siteView(updated, publicOrigin(c, trustProxy)), 200);
    })
    .post('/api/site/keys/rotate', jsonBody(rotateKeySchema), async (c) => {
      const { key } = c.req.valid('json');
      const { siteId } = c.get('site');
      if (key === 'write') {
        const writeKey = await rotateWriteKey(db, siteId);
        sites.clear();
        await audit(c, 'site.write_key_rotated', siteId);
        return c.json({ key, writeKey, secretKey: null }, 200);
      }
      const secretKey = await rotateSecretKey(db, siteId);
      await audit(c, 'site.secret_key_rotated', siteId);
      // Shown in this answer only: just its hash is stored.
      return c.json({ key, writeKey: null, secretKey }, 200);
    })
    .post('/api/sites', jsonBody(newSiteSchema), async (c) => {
      const staff = c.get('staff');
      // A secret key speaks for one site: a new tenant needs a person to become its first admin.
      if (!staff) throw new AppError(403, 'session_required', 'creating a site needs a signed-in admin');
      const input = c.req.valid('json');
      const created = await db.transaction().execute(async (tx) => {
        const site = await createSite(tx, input);
        await addSiteMember(tx, site.siteId, staff.userId, 'admin');
        return site;
      });
      sites.clear();
      const actor = { id: staff.userId, email: staff.email };
      const details = { name: input.name, origins: input.origins };
      await writeAudit(db, created.siteId, actor, { action: 'site.create', target: created.siteId, details });
      await audit(c, 'site.create', created.siteId, details);
      // The secret key is shown in this answer only.
      return c.json(
        { id: created.siteId, name: input.name, writeKey: created.writeKey, secretKey: created.secretKey },
        201,
      );
    });
}
