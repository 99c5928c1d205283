import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDb, testDialects } from '../../db/testing.ts';
import { createSite } from '../../sites/index.ts';
import { errorResponse } from '../errors.ts';
import { requireSecretKey, type SiteEnv } from './secret-key.ts';

describe.each(testDialects)('requireSecretKey on %s', (dialect) => {
  let db: TestDb;
  let app: Hono<SiteEnv>;
  let site: Awaited<ReturnType<typeof createSite>>;
  let other: Awaited<ReturnType<typeof createSite>>;

  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    site = await createSite(db.kysely, { name: 'Tienda', origins: [] });
    other = await createSite(db.kysely, { name: 'Otra', origins: [] });
    app = new Hono<SiteEnv>().use(requireSecretKey(db.kysely)).get('/api/whoami', (c) => c.json(c.get('site').siteId));
    app.onError(errorResponse);
  });
  afterAll(() => db.close());

  const call = (authorization?: string) =>
    app.request('/api/whoami', { headers: authorization ? { authorization } : {} });

  it('admits the secret key as a bearer token or Basic user name, and names its site', async () => {
    for (const auth of [
      `Bearer ${site.secretKey}`,
      `Basic ${btoa(`${site.secretKey}:`)}`,
      `Basic ${btoa(site.secretKey)}`,
    ]) {
      const res = await call(auth);
      expect(res.status).toBe(200);
      expect(await res.json()).toBe(site.siteId);
    }
    expect(await (await call(`Bearer ${other.secretKey}`)).json()).toBe(other.siteId);
  });

  it('refuses a missing key, the write key, and a key altered by one character', async () => {
    const missing = await call();
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
    expect((await missing.json()).error.code).toBe('missing_secret_key');
    const altered = `${site.secretKey.slice(0, -1)}${site.secretKey.endsWith('a') ? 'b' : 'a'}`;
    for (const key of [site.writeKey, altered, `sk_${other.siteId}_${site.secretKey.split('_').pop()}`]) {
      const res = await call(`Bearer ${key}`);
      expect(res.status).toBe(401);
      expect((await res.json()).error.code).toBe('unknown_secret_key');
    }
  });
});
