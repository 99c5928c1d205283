// GET /api/profiles/:id/recommendations: the customer file's "for you", the same list the shop's pages get.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDb, testDialects } from '../db/testing.ts';
import { createApp } from '../http/app.ts';
import { profileIdFor } from '../profiles/index.ts';
import { createSite } from '../sites/index.ts';
import { refreshSite } from './refresh.ts';
import { writeShop } from './testing.ts';

const config = { TRUST_PROXY: false, RATE_LIMIT_RPS: 1000, RATE_LIMIT_BURST: 1000 };

describe.each(testDialects)('a profile’s recommendations on %s', (dialect) => {
  let db: TestDb;
  let app: ReturnType<typeof createApp>['app'];
  let site: { siteId: string; writeKey: string; secretKey: string };
  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    site = await createSite(db.kysely, { name: `r-${randomUUID()}`, origins: [] });
    await writeShop(db.kysely, site.siteId);
    await refreshSite(db.kysely, site.siteId);
    app = createApp({ db, config }).app;
  });
  afterAll(() => db.close());

  type Answer = { recommendations: { productId: string; reason: string; name: string | null }[] };
  const get = (path: string, key = site.secretKey) =>
    app.request(path, { headers: { authorization: `Bearer ${key}` } });

  it('ranks for the person behind a profile id what /v1/recommendations ranks for their user id', async () => {
    // c1 bought {A, B} and identified as u1.
    const profile = profileIdFor(site.siteId, 'anonymous', 'c1');
    const res = await get(`/api/profiles/${profile}/recommendations?limit=2`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Answer;
    expect(body.recommendations.map((r) => [r.productId, r.reason, r.name])).toEqual([
      ['C', 'bought_together', 'Producto C'],
      ['E', 'viewed_together', 'Producto E'],
    ]);
    const shop = await app.request(`/v1/recommendations?writeKey=${site.writeKey}&userId=u1&limit=2`);
    expect(((await shop.json()) as Answer).recommendations).toEqual(body.recommendations);
  });

  it('answers 404 for an unknown profile, 400 for a bad limit, 401 without credentials', async () => {
    expect((await get('/api/profiles/p_nobody/recommendations')).status).toBe(404);
    const profile = profileIdFor(site.siteId, 'anonymous', 'c1');
    expect((await get(`/api/profiles/${profile}/recommendations?limit=500`)).status).toBe(400);
    expect((await app.request(`/api/profiles/${profile}/recommendations`)).status).toBe(401);
    const other = await createSite(db.kysely, { name: `r-${randomUUID()}`, origins: [] });
    expect((await get(`/api/profiles/${profile}/recommendations`, other.secretKey)).status).toBe(404);
  });
});
