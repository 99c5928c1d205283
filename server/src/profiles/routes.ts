// Server-to-server routes of the profiles capability: POST /api/catalog (secret key).
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.ts';
import { AppError } from '../http/errors.ts';
import { requireSecretKey, type SiteEnv } from '../http/middleware/secret-key.ts';
import { CatalogFormatError, catalogRecords, checkRows, importCatalog } from './catalog.ts';

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
