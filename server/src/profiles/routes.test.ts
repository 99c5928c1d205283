// POST /api/catalog (JSON and CSV, per-row errors, upsert), GET /metrics and the lag in /readyz.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDb, testDialects } from '../db/testing.ts';
import { createApp } from '../http/app.ts';
import { type CreatedSite, createSite } from '../sites/index.ts';
import { MAX_CATALOG_BYTES, profileIdFor, rebuild } from './index.ts';
import { snapshot, T0, write } from './test-fixtures.ts';

const config = { TRUST_PROXY: false, RATE_LIMIT_RPS: 1000, RATE_LIMIT_BURST: 1000 };

describe.each(testDialects)('profiles routes on %s', (dialect) => {
  let db: TestDb;
  let app: ReturnType<typeof createApp>;
  let site: CreatedSite;

  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    app = createApp({ db, config });
    site = await createSite(db.kysely, { name: `c-${randomUUID()}`, origins: [] });
  });
  afterAll(() => db.close());

  const importCatalog = (body: string, type: string, key = site.secretKey) =>
    app.app.request('/api/catalog', {
      method: 'POST',
      headers: { 'content-type': type, authorization: `Bearer ${key}` },
      body,
    });

  it('imports a JSON array, reporting each bad row and storing the good ones', async () => {
    const res = await importCatalog(
      JSON.stringify([
        { product_id: 'p1', name: 'Bota', price: 59.9, currency: 'eur', category: 'calzado' },
        { product_id: '', name: 'sin id' },
        { product_id: 'p2', price: '12,5' },
        { product_id: 'p3', price: '10.00', brand: 'Marca' },
      ]),
      'application/json',
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      imported: 2,
      rejected: [
        { row: 2, field: 'product_id', message: 'required' },
        { row: 3, field: 'price', message: 'a non-negative decimal like 19.99' },
      ],
    });
    const { products } = await snapshot(db.kysely, site.siteId);
    expect(
      products?.map((p) => [p.product_id, p.name, p.price, p.currency, p.category, p.brand, p.from_catalog]),
    ).toEqual([
      ['p1', 'Bota', '59.9', 'EUR', 'calzado', null, true],
      ['p3', null, '10.00', null, null, 'Marca', true],
    ]);
  });

  it('imports CSV with quoted fields, upserting what exists', async () => {
    const csv = 'product_id,name,price,brand\r\np4,"Bota, alta",20.5,"Marca ""A"""\r\np5,,abc,\r\np1,Bota negra,,\r\n';
    const res = await importCatalog(csv, 'text/csv');
    expect(await res.json()).toEqual({
      imported: 2,
      rejected: [{ row: 3, field: 'price', message: 'a non-negative decimal like 19.99' }],
    });
    const { products } = await snapshot(db.kysely, site.siteId);
    expect(products?.map((p) => [p.product_id, p.name, p.price, p.brand])).toEqual([
      ['p1', 'Bota negra', '59.9', null],
      ['p3', null, '10.00', 'Marca'],
      ['p4', 'Bota, alta', '20.5', 'Marca "A"'],
    ]);
  });

  it('refuses a missing key, a body that is no catalogue, a body too large and a CSV without product_id', async () => {
    expect((await importCatalog('[]', 'application/json', 'sk_nope')).status).toBe(401);
    const notArray = await importCatalog('{"a":1}', 'application/json');
    expect(notArray.status).toBe(400);
    expect(await notArray.json()).toMatchObject({ error: { code: 'invalid_catalog' } });
    const tooLarge = await importCatalog(`product_id\n${'x'.repeat(MAX_CATALOG_BYTES)}`, 'text/csv');
    expect(tooLarge.status).toBe(413);
    expect(await tooLarge.json()).toMatchObject({ error: { code: 'body_too_large' } });
    const noId = await importCatalog('sku,name\nA,B\n', 'text/csv');
    expect(await noId.json()).toMatchObject({
      error: { message: 'the CSV header line must name a product_id column' },
    });
  });

  it('keeps catalogue values over product events, and catalogue products through a rebuild', async () => {
    await write(db.kysely, site.siteId, [
      {
        type: 'track',
        at: T0,
        anonymousId: 'v',
        event: 'Product Viewed',
        properties: { product_id: 'p1', name: 'Otra', price: 1, brand: 'B' },
      },
      {
        type: 'track',
        at: T0,
        anonymousId: 'v',
        event: 'Product Added',
        properties: { product_id: 'p9', name: 'Nuevo' },
      },
    ]);
    await app.projector.projectAll();
    await rebuild(db.kysely, { siteId: site.siteId });
    const { products } = await snapshot(db.kysely, site.siteId);
    expect(products?.map((p) => [p.product_id, p.name, p.price, p.brand, p.from_catalog])).toEqual([
      ['p1', 'Bota negra', '59.9', 'B', true],
      ['p3', null, '10.00', 'Marca', true],
      ['p4', 'Bota, alta', '20.5', 'Marca "A"', true],
      ['p9', 'Nuevo', null, null, false],
    ]);
  });

  it('is woken by an ingest commit instead of waiting for its next tick', async () => {
    // The app's own projector, started as startServer starts it, with a tick too slow to matter here.
    const woken = createApp({ db, config, projector: { intervalMs: 3_600_000 } });
    const running = woken.projector;
    running.start();
    try {
      const res = await woken.app.request('/v1/track', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Basic ${btoa(`${site.writeKey}:`)}` },
        body: JSON.stringify({ anonymousId: 'woken', event: 'Signed Up' }),
      });
      expect(res.status).toBe(200);
      // Settles on a server-side fact: the profile exists (an hour-long tick could not have made it).
      const profileId = profileIdFor(site.siteId, 'anonymous', 'woken');
      for (let i = 0; i < 200; i++) {
        const found = await db.kysely
          .selectFrom('profiles')
          .select('profile_id')
          .where('site_id', '=', site.siteId)
          .where('profile_id', '=', profileId)
          .executeTakeFirst();
        if (found) break;
        await new Promise((r) => setTimeout(r, 25));
      }
      expect((await snapshot(db.kysely, site.siteId)).identities?.map((i) => i.value)).toContain('woken');
    } finally {
      await running.stop();
    }
  });

  it('reports the lag in /readyz and /metrics until the projector catches up', async () => {
    const other = await createSite(db.kysely, { name: `m-${randomUUID()}`, origins: [] });
    await app.projector.projectAll();
    await write(db.kysely, other.siteId, [
      { type: 'page', at: T0, anonymousId: 'm1' },
      { type: 'page', at: T0, anonymousId: 'm2' },
      { type: 'page', at: T0, anonymousId: 'm3' },
    ]);
    const ready = await app.app.request('/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', projectorLag: 3 });
    const before = app.projector.stats.events;
    const lagging = await app.app.request('/metrics');
    expect(lagging.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    expect(await lagging.text()).toContain(
      '# HELP fideliza_projector_lag_events Committed events not yet projected.\n# TYPE fideliza_projector_lag_events gauge\nfideliza_projector_lag_events 3\n',
    );
    await app.projector.projectAll();
    const text = await (await app.app.request('/metrics')).text();
    expect(text).toContain('fideliza_projector_lag_events 0\n');
    expect(text).toContain(`fideliza_projector_events_total ${before + 3}\n`);
    expect(text).toContain('# TYPE fideliza_projector_events_total counter\n');
  });
});
