import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDb, testDialects } from '../db/testing.ts';
import { createApp } from '../http/app.ts';
import { createSite, updateSiteSettings } from './index.ts';

const config = { TRUST_PROXY: false, RATE_LIMIT_RPS: 100, RATE_LIMIT_BURST: 100 };

describe.each(testDialects)('GET /v1/config on %s', (dialect) => {
  let db: TestDb;
  let app: ReturnType<typeof createApp>;
  let site: Awaited<ReturnType<typeof createSite>>;

  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    site = await createSite(db.kysely, { name: 'Tienda', origins: ['https://tienda.example'] });
    app = createApp({ db, config });
  });
  afterAll(() => db.close());

  it('tells the SDK the widget settings, with defaults for a new site', async () => {
    const res = await app.app.request(`/v1/config?writeKey=${site.writeKey}`, {
      headers: { origin: 'https://tienda.example' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://tienda.example');
    expect(await res.json()).toEqual({ widget: { enabled: false, color: '#1f6feb', position: 'right' } });
  });

  it('reflects changed settings once the site cache is cleared', async () => {
    await updateSiteSettings(db.kysely, site.siteId, { widget: { enabled: true, color: '#aa3300', position: 'left' } });
    app.sites.clear();
    const res = await app.app.request(`/v1/config?writeKey=${site.writeKey}`);
    expect(await res.json()).toEqual({ widget: { enabled: true, color: '#aa3300', position: 'left' } });
  });

  it('refuses invalid settings and keeps the stored ones', async () => {
    await expect(updateSiteSettings(db.kysely, site.siteId, { widget: { color: 'red' } })).rejects.toThrow(
      'a colour like #1a73e8',
    );
    app.sites.clear();
    const res = await app.app.request(`/v1/config?writeKey=${site.writeKey}`);
    expect(((await res.json()) as { widget: { color: string } }).widget.color).toBe('#aa3300');
  });

  it('answers 400 without a key and 401 for an unknown one', async () => {
    const missing = await app.app.request('/v1/config');
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ error: { code: 'invalid_query', field: 'writeKey' } });
    const unknown = await app.app.request('/v1/config?writeKey=wk_s000000000000000_aaaaaaaaaaaaaaaaaaaaaaaa');
    expect(unknown.status).toBe(401);
  });
});
