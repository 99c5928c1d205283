// Sites and keys: key formats, the secret stored only as a hash, lookups by either key, origin normalisation.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DialectName } from '../db/index.ts';
import { openTestDatabase, type TestDb, testDialects } from '../db/testing.ts';
import { createSite, findSiteBySecretKey, findSiteByWriteKey, listSites, normalizeOrigin } from './index.ts';

describe('normalizeOrigin', () => {
  it('keeps scheme, host and a non-default port only', () => {
    expect(normalizeOrigin('https://Shop.Example/')).toBe('https://shop.example');
    expect(normalizeOrigin('https://shop.example:443/cart?x=1#top')).toBe('https://shop.example');
    expect(normalizeOrigin('http://localhost:8080/path')).toBe('http://localhost:8080');
  });

  it('refuses what is not an http(s) origin', () => {
    expect(() => normalizeOrigin('ftp://shop.example')).toThrow(/not an http\(s\) origin/);
    expect(() => normalizeOrigin('shop.example')).toThrow();
  });
});

describe.each(testDialects)('sites on %s', (dialect: DialectName) => {
  let db: TestDb;

  beforeAll(async () => {
    db = await openTestDatabase(dialect);
  });

  afterAll(async () => {
    await db?.close();
  });

  it('creates a site with keys that carry its id, storing only the hash of the secret', async () => {
    const site = await createSite(db.kysely, { name: 'Zapatos Ana', origins: ['https://zapatos.example'] });
    expect(site.siteId).toMatch(/^s[a-z0-9]{15}$/);
    expect(site.writeKey).toMatch(new RegExp(`^wk_${site.siteId}_[a-z0-9]{24}$`));
    expect(site.secretKey).toMatch(new RegExp(`^sk_${site.siteId}_[a-z0-9]{32}$`));

    const row = await db.kysely
      .selectFrom('sites')
      .selectAll()
      .where('site_id', '=', site.siteId)
      .executeTakeFirstOrThrow();
    expect(row.name).toBe('Zapatos Ana');
    expect(row.write_key).toBe(site.writeKey);
    expect(row.secret_key_hash).toBe(createHash('sha256').update(site.secretKey).digest('hex'));
    // The plain secret appears nowhere in the stored row.
    expect(JSON.stringify(row)).not.toContain(site.secretKey);
    expect(JSON.stringify(row)).not.toContain(site.secretKey.slice(-32));

    const other = await createSite(db.kysely, { name: 'Other', origins: [] });
    expect(new Set([site.siteId, other.siteId]).size).toBe(2);
    expect(other.writeKey).not.toBe(site.writeKey);
  });

  it('normalises and deduplicates allowed origins', async () => {
    const { siteId } = await createSite(db.kysely, {
      name: 'Origins',
      origins: ['https://Shop.Example/', 'https://shop.example', 'http://localhost:3000/cart'],
    });
    const site = (await listSites(db.kysely)).find((s) => s.siteId === siteId);
    expect(site?.allowedOrigins).toEqual(['https://shop.example', 'http://localhost:3000']);
    // Default settings are filled in.
    expect(site?.settings.widget).toEqual({ enabled: false, color: '#1f6feb', position: 'right' });
    await expect(createSite(db.kysely, { name: 'Bad', origins: ['javascript:alert(1)'] })).rejects.toThrow();
    expect((await listSites(db.kysely)).some((s) => s.name === 'Bad')).toBe(false);
  });

  it('finds a site by its write key or secret key, and by nothing else', async () => {
    const a = await createSite(db.kysely, { name: 'A', origins: ['https://a.example'] });
    const b = await createSite(db.kysely, { name: 'B', origins: [] });

    const byWrite = await findSiteByWriteKey(db.kysely, a.writeKey);
    expect(byWrite).toMatchObject({ siteId: a.siteId, name: 'A', allowedOrigins: ['https://a.example'] });
    expect(byWrite?.writeKey).toBe(a.writeKey);
    expect((await findSiteBySecretKey(db.kysely, a.secretKey))?.siteId).toBe(a.siteId);
    expect((await findSiteBySecretKey(db.kysely, b.secretKey))?.siteId).toBe(b.siteId);

    // Keys are not interchangeable.
    expect(await findSiteByWriteKey(db.kysely, a.secretKey)).toBeNull();
    expect(await findSiteBySecretKey(db.kysely, a.writeKey)).toBeNull();
    // Right site id, wrong random part.
    const forgedWrite = `${a.writeKey.slice(0, -1)}${a.writeKey.endsWith('a') ? 'b' : 'a'}`;
    const forgedSecret = `${a.secretKey.slice(0, -1)}${a.secretKey.endsWith('a') ? 'b' : 'a'}`;
    expect(await findSiteByWriteKey(db.kysely, forgedWrite)).toBeNull();
    expect(await findSiteBySecretKey(db.kysely, forgedSecret)).toBeNull();
    // Another site's id with this site's random part.
    expect(await findSiteByWriteKey(db.kysely, a.writeKey.replace(a.siteId, b.siteId))).toBeNull();
    // A well-formed key of a site that does not exist, and malformed ones.
    expect(await findSiteByWriteKey(db.kysely, `wk_s${'0'.repeat(15)}_${'a'.repeat(24)}`)).toBeNull();
    for (const junk of ['', 'wk_', 'nonsense', `${a.writeKey}x`, a.writeKey.toUpperCase(), "wk_' or 1=1 --"]) {
      expect(await findSiteByWriteKey(db.kysely, junk)).toBeNull();
      expect(await findSiteBySecretKey(db.kysely, junk)).toBeNull();
    }
  });
});
