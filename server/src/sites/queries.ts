// Sites and their keys in the database.
import { type Kysely, sql } from 'kysely';
import type { z } from 'zod';
import type { Database } from '../db/index.ts';
import {
  hashSecretKey,
  newSecretKey,
  newSiteId,
  newWriteKey,
  normalizeOrigin,
  sameSecret,
  siteIdOfKey,
} from './keys.ts';
import { readSettings, type SiteSettings, siteSettingsSchema } from './settings.ts';

export interface Site {
  siteId: string;
  name: string;
  allowedOrigins: string[];
  writeKey: string;
  settings: SiteSettings;
}

export interface CreatedSite {
  siteId: string;
  writeKey: string;
  /** Shown once: only its hash is stored. */
  secretKey: string;
}

/** Creates a site with fresh keys; origins are normalised to scheme://host[:port]. */
export async function createSite(
  db: Kysely<Database>,
  input: { name: string; origins: string[]; settings?: z.input<typeof siteSettingsSchema> },
): Promise<CreatedSite> {
  const siteId = newSiteId();
  const writeKey = newWriteKey(siteId);
  const secretKey = newSecretKey(siteId);
  const allowedOrigins = [...new Set(input.origins.map(normalizeOrigin))];
  await db
    .insertInto('sites')
    .values({
      site_id: siteId,
      name: input.name,
      allowed_origins: allowedOrigins,
      write_key: writeKey,
      secret_key_hash: hashSecretKey(secretKey),
      settings: JSON.stringify(siteSettingsSchema.parse(input.settings ?? {})),
    })
    .execute();
  return { siteId, writeKey, secretKey };
}

const columns = ['site_id', 'name', 'allowed_origins', 'write_key', 'settings'] as const;

function toSite(row: {
  site_id: string;
  name: string;
  allowed_origins: string[];
  write_key: string;
  settings: unknown;
}): Site {
  return {
    siteId: row.site_id,
    name: row.name,
    allowedOrigins: row.allowed_origins,
    writeKey: row.write_key,
    settings: readSettings(row.settings),
  };
}

export async function listSites(db: Kysely<Database>): Promise<Site[]> {
  const rows = await db.selectFrom('sites').select(columns).orderBy('created_at').execute();
  return rows.map(toSite);
}

/** The site a public write key belongs to, or null for an unknown key. */
export async function findSiteByWriteKey(db: Kysely<Database>, writeKey: string): Promise<Site | null> {
  const siteId = siteIdOfKey(writeKey);
  if (!siteId) return null;
  const row = await db.selectFrom('sites').select(columns).where('site_id', '=', siteId).executeTakeFirst();
  return row && sameSecret(row.write_key, writeKey) ? toSite(row) : null;
}

/** A site by its id (for callers that already authenticated it some other way, e.g. a signed token). */
export async function findSiteById(db: Kysely<Database>, siteId: string): Promise<Site | null> {
  const row = await db.selectFrom('sites').select(columns).where('site_id', '=', siteId).executeTakeFirst();
  return row ? toSite(row) : null;
}

/** The site a secret key belongs to, or null. */
export async function findSiteBySecretKey(db: Kysely<Database>, secretKey: string): Promise<Site | null> {
  const siteId = siteIdOfKey(secretKey);
  if (!siteId) return null;
  const row = await db
    .selectFrom('sites')
    .select([...columns, 'secret_key_hash'])
    .where('site_id', '=', siteId)
    .executeTakeFirst();
  return row && sameSecret(row.secret_key_hash, hashSecretKey(secretKey)) ? toSite(row) : null;
}

/** Whether any site lets browsers send from this origin (answers CORS preflights, which carry no key). */
export async function isOriginAllowedAnywhere(db: Kysely<Database>, origin: string): Promise<boolean> {
  const row = await db
    .selectFrom('sites')
    .select('site_id')
    .where(sql<boolean>`${origin} = any(allowed_origins)`)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Replaces a site's settings (validated); other processes see it within the directory's cache time. */
export async function updateSiteSettings(
  db: Kysely<Database>,
  siteId: string,
  settings: z.input<typeof siteSettingsSchema>,
): Promise<SiteSettings> {
  const valid = siteSettingsSchema.parse(settings);
  await db
    .updateTable('sites')
    .set({ settings: JSON.stringify(valid) })
    .where('site_id', '=', siteId)
    .execute();
  return valid;
}

/** Replaces a site's name, allowed origins (normalised) and settings (validated); null when there is no such site. */
export async function updateSite(
  db: Kysely<Database>,
  siteId: string,
  input: { name: string; origins: string[]; settings: z.input<typeof siteSettingsSchema> },
): Promise<Site | null> {
  const row = await db
    .updateTable('sites')
    .set({
      name: input.name,
      allowed_origins: [...new Set(input.origins.map(normalizeOrigin))],
      settings: JSON.stringify(siteSettingsSchema.parse(input.settings)),
    })
    .where('site_id', '=', siteId)
    .returning(columns)
    .executeTakeFirst();
  return row ? toSite(row) : null;
}

/** Gives the site a new write key; the old one matches nothing from now on (callers drop their caches). */
export async function rotateWriteKey(db: Kysely<Database>, siteId: string): Promise<string> {
  const writeKey = newWriteKey(siteId);
  await db.updateTable('sites').set({ write_key: writeKey }).where('site_id', '=', siteId).execute();
  return writeKey;
}

/** Gives the site a new secret key, returned once (only its hash is stored); the old one stops at once. */
export async function rotateSecretKey(db: Kysely<Database>, siteId: string): Promise<string> {
  const secretKey = newSecretKey(siteId);
  await db
    .updateTable('sites')
    .set({ secret_key_hash: hashSecretKey(secretKey) })
    .where('site_id', '=', siteId)
    .execute();
  return secretKey;
}
