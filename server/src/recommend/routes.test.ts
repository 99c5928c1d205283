// GET /v1/recommendations (write key, origin, validation) and GET /api/recommendations/rules (secret key, values).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDb, testDialects } from '../db/testing.ts';
import { createApp } from '../http/app.ts';
import { createSite } from '../sites/index.ts';
import { refreshSite } from './refresh.ts';
import { byLift, mineRules } from './rules.ts';
import { BASKETS, writeShop } from './testing.ts';

const ORIGIN = 'https://tienda.example';
const config = { TRUST_PROXY: false, RATE_LIMIT_RPS: 1000, RATE_LIMIT_BURST: 1000 };

interface Rule {
  lhs: string[];
  rhs: string;
  count: number;
  support: number;
  confidence: number;
  lift: number;
}

describe.each(testDialects)('recommendation APIs on %s', (dialect) => {
  let db: TestDb;
  let app: ReturnType<typeof createApp>['app'];
  let keys: { writeKey: string; secretKey: string };
  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    const site = await createSite(db.kysely, { name: `r-${randomUUID()}`, origins: [ORIGIN] });
    keys = site;
    await writeShop(db.kysely, site.siteId);
    await refreshSite(db.kysely, site.siteId);
    app = createApp({ db, config }).app;
  });
  afterAll(() => db.close());

  const get = (query: string, headers: Record<string, string> = { origin: ORIGIN }) =>
    app.request(`/v1/recommendations?${query}`, { headers });

  it('answers for a product and for a person, with CORS for the site origin', async () => {
    const res = await get(`writeKey=${keys.writeKey}&product=A&limit=3`);
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    const body = (await res.json()) as { product: string; recommendations: { productId: string; reason: string }[] };
    expect(body.product).toBe('A');
    expect(body.recommendations.map((r) => [r.productId, r.reason])).toEqual([
      ['B', 'bought_together'],
      ['C', 'bought_together'],
      ['E', 'viewed_together'],
    ]);
    expect(body.recommendations[0]).toEqual({
      productId: 'B',
      reason: 'bought_together',
      score: 0.75,
      count: 3,
      name: 'Producto B',
      price: '10',
      currency: null,
      url: null,
      imageUrl: null,
    });

    // Segment's libraries send the key as the Basic-auth user name; a server-side caller sends no Origin.
    const basic = `Basic ${Buffer.from(`${keys.writeKey}:`).toString('base64')}`;
    const person = await get('userId=u1&limit=2', { authorization: basic });
    expect(person.status).toBe(200);
    expect(person.headers.get('cache-control')).toBe('private, max-age=60');
    const forYou = (await person.json()) as { recommendations: { productId: string; reason: string }[] };
    expect(forYou.recommendations.map((r) => [r.productId, r.reason])).toEqual([
      ['C', 'bought_together'],
      ['E', 'viewed_together'],
    ]);

    const preflight = await app.request('/v1/recommendations', {
      method: 'OPTIONS',
      headers: { origin: ORIGIN, 'access-control-request-method': 'GET' },
    });
    expect(preflight.status).toBe(204);
  });

  it('refuses missing and unknown keys, foreign origins and bad queries with clear errors', async () => {
    const error = async (res: Response) => ({ status: res.status, ...((await res.json()) as { error: object }).error });
    expect(await error(await get('product=A'))).toMatchObject({ status: 401, code: 'missing_write_key' });
    expect(await error(await get('writeKey=nope&product=A'))).toMatchObject({ status: 401, code: 'unknown_write_key' });
    expect(
      await error(await get(`writeKey=${keys.writeKey}&product=A`, { origin: 'https://evil.example' })),
    ).toMatchObject({ status: 403, code: 'origin_not_allowed' });
    expect(await error(await get(`writeKey=${keys.writeKey}`))).toMatchObject({
      status: 400,
      code: 'invalid_query',
      field: 'product',
    });
    expect(await error(await get(`writeKey=${keys.writeKey}&product=A&anonymousId=v1`))).toMatchObject({
      status: 400,
      field: 'product',
    });
    for (const limit of ['0', '51', 'x', '2.5']) {
      expect(await error(await get(`writeKey=${keys.writeKey}&product=A&limit=${limit}`))).toMatchObject({
        status: 400,
        field: 'limit',
      });
    }
    expect(await error(await get(`writeKey=${keys.writeKey}&product=${'x'.repeat(201)}`))).toMatchObject({
      status: 400,
      field: 'product',
    });
  });

  const rules = async (query: string, key = keys.secretKey) => {
    const res = await app.request(`/api/recommendations/rules?${query}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    return {
      status: res.status,
      body: (await res.json()) as {
        rules: Rule[];
        source: string;
        baskets: number;
        total: number;
        names: Record<string, string>;
      },
    };
  };
  const shape = (r: Rule) => ({
    lhs: r.lhs,
    rhs: r.rhs,
    count: r.count,
    support: r.support,
    confidence: r.confidence,
    lift: r.lift,
  });

  it('lists 1 => 1 rules equal to mineRules on the same baskets, filtered and sorted as asked', async () => {
    expect((await rules('minSupport=0.2', 'sk_nope')).status).toBe(401);
    const { status, body } = await rules('minSupport=0.2&minConfidence=0.6&sort=lift');
    expect(status).toBe(200);
    expect(body.source).toBe('pairs');
    expect(body.baskets).toBe(7);
    const expected = mineRules(BASKETS, { minSupport: 0.2, minConfidence: 0.6, maxLen: 2 })
      .filter((r) => r.lhs.length === 1)
      .sort((a, b) => b.lift - a.lift || b.confidence - a.confidence || a.lhs[0]!.localeCompare(b.lhs[0]!));
    expect(expected.map((r) => `${r.lhs}=>${r.rhs}`)).toEqual(['A=>B', 'B=>A', 'C=>A']);
    expect(body.rules).toEqual(expected.map(shape));

    const bySupport = await rules('minSupport=0.2&minConfidence=0&sort=support&limit=2');
    expect(bySupport.body.rules.map((r) => `${r.lhs}=>${r.rhs}:${r.count}`)).toEqual(['A=>B:3', 'B=>A:3']);
    expect((await rules('sort=weird')).status).toBe(400);
    expect((await rules('minSupport=0')).status).toBe(400);
  });

  it('pages the rules, filters by lift and names their products from the catalogue', async () => {
    const all = await rules('minSupport=0.2&minConfidence=0&sort=lift');
    expect(all.body.total).toBe(4);
    expect(all.body.rules.map((r) => `${r.lhs}=>${r.rhs}`)).toEqual(['A=>B', 'B=>A', 'A=>C', 'C=>A']);
    expect(all.body.names).toEqual({ A: 'Producto A', B: 'Producto B', C: 'Producto C' });
    const second = await rules('minSupport=0.2&minConfidence=0&sort=lift&offset=2&limit=1');
    expect(second.body.total).toBe(4);
    expect(second.body.rules.map((r) => `${r.lhs}=>${r.rhs}`)).toEqual(['A=>C']);
    expect(second.body.names).toEqual({ A: 'Producto A', C: 'Producto C' });
    // lift(A=>B) = 21/16 = 1.3125; lift(A=>C) = 3.5/3 and lift(C=>A) = 14/12 are both 7/6 (the first a last bit higher).
    const lifted = await rules('minSupport=0.2&minConfidence=0&minLift=1.2');
    expect([lifted.body.total, lifted.body.rules.map((r) => `${r.lhs}=>${r.rhs}`)]).toEqual([2, ['A=>B', 'B=>A']]);
    const mined = await rules('maxLen=3&minSupport=0.1&minConfidence=0.5&minLift=1.2&offset=1&limit=2');
    const expected = mineRules(BASKETS, { minSupport: 0.1, minConfidence: 0.5, maxLen: 3 })
      .filter((r) => r.lhs.length > 0 && r.lift >= 1.2)
      .sort(byLift);
    expect(mined.body.total).toBe(expected.length);
    expect(mined.body.rules).toEqual(expected.slice(1, 3).map(shape));
    for (const [query, field] of [
      ['offset=-1', 'offset'],
      ['minLift=x', 'minLift'],
    ] as const) {
      expect((await rules(query)).status, query).toBe(400);
      expect(((await rules(query)).body as unknown as { error: { field: string } }).error.field).toBe(field);
    }
  });

  it('mines rules with larger left sides on the baskets when maxLen > 2', async () => {
    const { status, body } = await rules('maxLen=3&minSupport=0.1&minConfidence=0.5&limit=100');
    expect(status).toBe(200);
    expect(body.source).toBe('mined');
    const expected = mineRules(BASKETS, { minSupport: 0.1, minConfidence: 0.5, maxLen: 3 }).filter(
      (r) => r.lhs.length > 0,
    );
    expect(body.rules.length).toBe(expected.length);
    expect(body.rules.some((r) => r.lhs.length === 2)).toBe(true);
    const key = (r: Rule) => `${r.lhs.join('+')}=>${r.rhs}`;
    const byKey = new Map(expected.map((r) => [key(r), shape(r)]));
    for (const r of body.rules) expect(r).toEqual(byKey.get(key(r)));
    expect((await rules('maxLen=3&minSupport=0.0001')).status).toBe(400);
  });
});
