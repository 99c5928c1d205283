// Server-to-server routes of the profiles capability (secret key): POST /api/catalog, and the profile API —
// search, customer file, timeline, export and erasure (GDPR).
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { audit } from '../auth/index.ts';
import type { Database } from '../db/index.ts';
import { AppError } from '../http/errors.ts';
import { requireSecretKey, type SiteEnv } from '../http/middleware/secret-key.ts';
import { queryParams } from '../http/query.ts';
import { CatalogFormatError, catalogRecords, checkRows, importCatalog } from './catalog.ts';
import { findPerson } from './person.ts';
import { eraseProfile, exportProfile } from './privacy.ts';
import { customerFile, decodeCursor, searchProfiles } from './queries.ts';
import { personTimeline } from './timeline.ts';

export const MAX_CATALOG_BYTES = 10 * 1024 * 1024;

export function catalogRoutes(db: Kysely<Database>) {
  return new Hono<SiteEnv>().post(
    '/api/catalog',
    requireSecretKey(db),
    bodyLimit({
      maxSize: MAX_CATALOG_BYTES,
      onError: () => {
        throw new AppError(413, 'body_too_large', `the catalogue body may be at most ${MAX_CATALOG_BYTES} bytes`);
      },
    }),
    async (c) => {
      const type = (c.req.header('content-type') ?? '').toLowerCase();
      const format = type.includes('csv') ? 'csv' : 'json';
      const body = await c.req.text();
      let checked: ReturnType<typeof checkRows>;
      try {
        const { records, firstRow } = catalogRecords(body, format);
        checked = checkRows(records, firstRow);
      } catch (e) {
        if (e instanceof CatalogFormatError) throw new AppError(400, 'invalid_catalog', e.message);
        throw e;
      }
      await importCatalog(db, c.get('site').siteId, checked.rows);
      return c.json({ imported: checked.rows.length, rejected: checked.rejected }, 200);
    },
  );
}

const listQuery = z.object({
  q: z.string().trim().min(1).max(200).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const timelineQuery = z.object({
  cursor: z
    .string()
    .max(100)
    .transform((text, ctx) => {
      const cursor = decodeCursor(text);
      if (!cursor) ctx.addIssue({ code: 'custom', message: 'not a cursor this API returned' });
      return cursor ?? undefined;
    })
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** `hide` leaves out the SDK's behaviour events ($click, $scroll): the customer file's reading view. */
  behaviour: z.enum(['show', 'hide']).default('show'),
});

const profileId = z.object({ id: z.string().min(1).max(200) });

const notFound = (id: string) => new AppError(404, 'profile_not_found', `no profile ${id} on this site`);

function readId(raw: string): string {
  const parsed = profileId.safeParse({ id: raw });
  if (!parsed.success) throw new AppError(400, 'invalid_profile_id', 'the profile id is empty or too long', 'id');
  return parsed.data.id;
}

/** The profile API; a merged profile id answers for the profile that absorbed it. */
export function profileRoutes(db: Kysely<Database>) {
  return new Hono<SiteEnv>()
    .use('/api/profiles', requireSecretKey(db))
    .use('/api/profiles/*', requireSecretKey(db))
    .get('/api/profiles', queryParams(listQuery), async (c) => {
      return c.json(await searchProfiles(db, c.get('site').siteId, c.req.valid('query')), 200);
    })
    .get('/api/profiles/:id', async (c) => {
      const id = readId(c.req.param('id'));
      const person = await findPerson(db, c.get('site').siteId, id);
      if (!person) throw notFound(id);
      return c.json(await customerFile(db, person), 200);
    })
    .get('/api/profiles/:id/timeline', queryParams(timelineQuery), async (c) => {
      const id = readId(c.req.param('id'));
      const person = await findPerson(db, c.get('site').siteId, id);
      if (!person) throw notFound(id);
      const { behaviour, ...page } = c.req.valid('query');
      return c.json(await personTimeline(db, person, { ...page, hideBehaviour: behaviour === 'hide' }), 200);
    })
    .get('/api/profiles/:id/export', async (c) => {
      const id = readId(c.req.param('id'));
      const data = await exportProfile(db, c.get('site').siteId, id);
      if (!data) throw notFound(id);
      await audit(c, 'profile.export', data.profile.id);
      c.header('content-disposition', `attachment; filename="profile-${data.profile.id}.json"`);
      return c.json(data, 200);
    })
    .delete('/api/profiles/:id', async (c) => {
      const id = readId(c.req.param('id'));
      const erased = await eraseProfile(db, c.get('site').siteId, id);
      if (!erased) throw notFound(id);
      await audit(c, 'profile.erase', erased.profileId, erased.counts);
      return c.json({ erased: erased.profileId, erasedAt: erased.erasedAt.toISOString(), counts: erased.counts }, 200);
    });
}
