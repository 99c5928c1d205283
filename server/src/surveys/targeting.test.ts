// Targeting on GET /v1/widget/surveys: URL globs, share, delay, caps (seen/dismissed/answered), segment, events.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWidgetSecrets, userHash } from '../conversations/index.ts';
import { openTestDatabase, type TestDb, testDialects } from '../db/testing.ts';
import type { EventFilter, SurveyDefinitionInput, WidgetSurveys } from '../protocol/index.ts';
import { matchesPath, pageTargeted, pathOf } from './glob.ts';
import type { SegmentMembership } from './index.ts';
import { inShare, sharePosition } from './targeting.ts';
import {
  type Clock,
  DAY_MS,
  makeClock,
  makeSurveyApp,
  newSite,
  q,
  type Site,
  staffApi,
  type TestApp,
  track,
  visitorSession,
} from './testing.ts';

describe('URL patterns', () => {
  it.each([
    ['/checkout/*', '/checkout/payment', true],
    ['/checkout/*', '/checkout/', true],
    ['/checkout/*', '/checkout', false],
    ['/checkout/*', '/checkout/payment/card', false],
    ['/products/**', '/products/shoes/red-42', true],
    ['/products/**', '/products/', true],
    ['/products/**', '/products', false],
    ['/**/cart', '/es/shop/cart', true],
    ['/p/*.html', '/p/shoe.html', true],
    ['/p/*.html', '/p/shoeXhtml', false],
    ['/item-?', '/item-7', true],
    ['/item-?', '/item-77', false],
    ['/', '/', true],
    ['/', '/home', false],
    ['/Sale', '/sale', false],
    ['/a+b/(x)', '/a+b/(x)', true],
    ['/a+b/(x)', '/aab/x', false],
  ])('%s on %s → %s', (pattern, path, expected) => {
    expect(matchesPath(pattern, path)).toBe(expected);
  });
  it('matches the path only, and applies exclusions first', () => {
    expect(pathOf('https://tienda.example/checkout/pay?step=2#top')).toBe('/checkout/pay');
    expect(pathOf('/checkout/pay?x=1')).toBe('/checkout/pay');
    expect(pageTargeted('/any', [], [])).toBe(true);
    expect(pageTargeted('/products/a', ['/products/**'], ['/products/a'])).toBe(false);
    expect(pageTargeted('/products/b', ['/products/**'], ['/products/a'])).toBe(true);
  });
  it('takes time linear in the path for any pattern (no regex backtracking)', () => {
    const started = performance.now();
    expect(matchesPath(`/${'**a'.repeat(150)}b`, `/${'a'.repeat(2000)}`)).toBe(false);
    expect(performance.now() - started).toBeLessThan(2000);
  });
  it('agrees with a reference on random patterns and paths', () => {
    const reference = (pattern: string, path: string) => {
      const source = pattern
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*\*+|\*|\?/g, (w) => (w === '?' ? '[^/]' : w === '*' ? '[^/]*' : '.*'));
      return new RegExp(`^${source}$`).test(path);
    };
    const piece = fc.constantFrom('/', 'a', 'b', '.', '*', '**', '?');
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 8 }),
        fc.array(fc.constantFrom('/', 'a', 'b', '.'), { maxLength: 10 }),
        (p, s) => {
          const pattern = `/${p.join('')}`;
          const path = `/${s.join('')}`;
          expect(matchesPath(pattern, path)).toBe(reference(pattern, path));
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('share of visitors', () => {
  it('is deterministic per survey and visitor, independent between surveys, and close to the share', () => {
    expect(sharePosition('s1', 'anon')).toBe(sharePosition('s1', 'anon'));
    const ids = Array.from({ length: 10_000 }, (_, i) => `visitor-${i}`);
    const inA = ids.filter((id) => inShare('survey-a', id, 20));
    const inB = ids.filter((id) => inShare('survey-b', id, 20));
    expect(inA.length / ids.length).toBeGreaterThan(0.18);
    expect(inA.length / ids.length).toBeLessThan(0.22);
    // Independent: about 20 % of A's visitors are in B too, not all of them.
    const both = inA.filter((id) => inB.includes(id)).length;
    expect(both / inA.length).toBeGreaterThan(0.15);
    expect(both / inA.length).toBeLessThan(0.25);
    expect(ids.every((id) => inShare('x', id, 100))).toBe(true);
    expect(ids.some((id) => inShare('x', id, 0))).toBe(false);
  });
});

describe.each(testDialects)('survey targeting on %s', (dialect) => {
  let db: TestDb;
  let app: TestApp;
  let site: Site;
  let staff: ReturnType<typeof staffApi>;
  let clock: Clock;
  let n = 0;

  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    clock = makeClock();
    app = makeSurveyApp(db, clock);
  });
  afterAll(async () => {
    await app.closeRealtime();
    await db.close();
  });

  /** Each test gets its own site, so surveys of other tests do not compete for the page. */
  async function freshSite(onApp: TestApp = app) {
    site = await newSite(db);
    staff = staffApi(onApp, site.secretKey);
  }
  const create = (d: Partial<SurveyDefinitionInput>) =>
    staff.create({ name: `S${n++}`, status: 'active', questions: [q.nps()], ...d });
  const visitor = (anonymousId = `anon-${n++}`, onApp: TestApp = app) =>
    visitorSession(onApp, site.writeKey, { anonymousId });
  async function shown(v: Awaited<ReturnType<typeof visitor>>, url: string, max?: number) {
    const res = await v.get(`/v1/widget/surveys?url=${encodeURIComponent(url)}${max ? `&max=${max}` : ''}`);
    expect(res.status).toBe(200);
    return ((await res.json()) as WidgetSurveys).surveys;
  }
  const ids = async (v: Awaited<ReturnType<typeof visitor>>, url: string, max?: number) =>
    (await shown(v, url, max)).map((s) => s.id);

  it('shows only active surveys on matching pages, with their questions and delay, one by default', async () => {
    await freshSite();
    await create({ status: 'draft' });
    const checkout = await create({ targeting: { urls: ['/checkout/*'], delaySeconds: 12 } });
    const products = await create({ targeting: { urls: ['/products/**'], excludeUrls: ['/products/gift/**'] } });
    const anywhere = await create({});
    const v = await visitor();
    const got = await shown(v, 'https://tienda.example/checkout/pay?x=1');
    expect(got).toEqual([{ id: checkout.id, questions: checkout.questions, delaySeconds: 12 }]);
    expect(await ids(v, '/checkout/pay', 5)).toEqual([checkout.id, anywhere.id]);
    expect(await ids(v, '/products/a/b', 5)).toEqual([products.id, anywhere.id]);
    expect(await ids(v, '/products/gift/card', 5)).toEqual([anywhere.id]);
    expect(await ids(v, '/about', 5)).toEqual([anywhere.id]);
    await staff.send('POST', `/api/surveys/${anywhere.id}/archive`);
    expect(await ids(v, '/about', 5)).toEqual([]);
    expect((await v.get('/v1/widget/surveys?url=javascript:alert(1)')).status).toBe(400);
    expect((await v.get('/v1/widget/surveys')).status).toBe(400);
    expect((await app.app.request('/v1/widget/surveys?url=/')).status).toBe(401);
  });

  it('never shows another site’s surveys', async () => {
    await freshSite();
    await create({});
    const mine = site;
    await freshSite();
    const v = await visitor();
    expect(await ids(v, '/', 5)).toEqual([]);
    site = mine;
  });

  it('shows a survey to its share of visitors, always the same ones', async () => {
    await freshSite();
    const s = await create({ targeting: { sharePercent: 30 } });
    let got = 0;
    for (let i = 0; i < 40; i++) {
      const anon = `share-${i}`;
      const v = await visitor(anon);
      const first = await ids(v, '/');
      expect(first.length === 1).toBe(inShare(s.id, anon, 30));
      expect(await ids(v, '/')).toEqual(first);
      if (first.length === 1) got++;
    }
    expect(got).toBeGreaterThan(4);
    expect(got).toBeLessThan(22);
  });

  it('caps `once`: a survey seen, dismissed or answered is not shown again, ever', async () => {
    await freshSite();
    const s = await create({ frequency: { mode: 'once' } });
    for (const action of ['seen', 'dismiss', 'responses'] as const) {
      const v = await visitor();
      expect(await ids(v, '/')).toEqual([s.id]);
      const body = action === 'responses' ? { answers: { nps: 7 } } : {};
      expect((await v.post(`/v1/widget/surveys/${s.id}/${action}`, body)).status).toBe(
        action === 'responses' ? 201 : 204,
      );
      expect(await ids(v, '/')).toEqual([]);
      clock.now += 1000 * DAY_MS;
      expect(await ids(v, '/')).toEqual([]);
    }
    // Fetching alone does not count as seen: only the widget's report does.
    const w = await visitor();
    await ids(w, '/');
    expect(await ids(w, '/')).toEqual([s.id]);
  });

  it('caps `every N days`: shown again N days after the last seen, dismissal or answer', async () => {
    await freshSite();
    const s = await create({ frequency: { mode: 'every', days: 7 } });
    const v = await visitor();
    await v.post(`/v1/widget/surveys/${s.id}/seen`, {});
    clock.now += 7 * DAY_MS - 60_000;
    expect(await ids(v, '/')).toEqual([]);
    await v.post(`/v1/widget/surveys/${s.id}/dismiss`, {});
    clock.now += 7 * DAY_MS - 60_000;
    // 7 days after the seen, but not after the dismissal.
    expect(await ids(v, '/')).toEqual([]);
    clock.now += 60_000;
    expect(await ids(v, '/')).toEqual([s.id]);
    expect((await v.post(`/v1/widget/surveys/${s.id}/responses`, { answers: { nps: 10 } })).status).toBe(201);
    expect(await ids(v, '/')).toEqual([]);
    clock.now += 7 * DAY_MS;
    expect(await ids(v, '/')).toEqual([s.id]);
    const stored = await db.kysely
      .selectFrom('survey_impressions')
      .select(['kind', 'times'])
      .where('site_id', '=', site.siteId)
      .where('survey_id', '=', s.id)
      .orderBy('kind')
      .execute();
    expect(stored).toEqual([
      { kind: 'dismissed', times: 1 },
      { kind: 'seen', times: 1 },
    ]);
  });

  it('with a capped survey out of the way, shows the next one', async () => {
    await freshSite();
    const first = await create({});
    const second = await create({});
    const v = await visitor();
    expect(await ids(v, '/')).toEqual([first.id]);
    await v.post(`/v1/widget/surveys/${first.id}/dismiss`, {});
    expect(await ids(v, '/')).toEqual([second.id]);
  });

  it('hides segment-targeted surveys without the segments hook, and asks the hook when present', async () => {
    await freshSite();
    const s = await create({ targeting: { segmentId: 'vip' } });
    expect(await ids(await visitor('member'), '/')).toEqual([]);
    const asked: Parameters<SegmentMembership>[] = [];
    const segmentMembership: SegmentMembership = async (...args) => {
      asked.push(args);
      return args[2].anonymousId === 'member';
    };
    const withSegments = makeSurveyApp(db, clock, { segmentMembership });
    expect(await ids(await visitor('member', withSegments), '/')).toEqual([s.id]);
    expect(await ids(await visitor('stranger', withSegments), '/')).toEqual([]);
    expect(asked[0]?.slice(0, 2)).toEqual([site.siteId, 'vip']);
    await withSegments.closeRealtime();
  });

  describe('event targeting', () => {
    const order = (filters: EventFilter[], withinDays = 30) =>
      create({ targeting: { event: { name: 'Order Completed', withinDays, filters } } });

    it('needs the event, by this visitor, within the window', async () => {
      await freshSite();
      const now = Date.now();
      clock.now = now;
      const s = await order([], 7);
      await track(app, site.writeKey, [
        { anonymousId: 'recent', event: 'Order Completed', at: now - 6 * DAY_MS },
        { anonymousId: 'old', event: 'Order Completed', at: now - 8 * DAY_MS },
        { anonymousId: 'other-event', event: 'Product Viewed', at: now - DAY_MS },
        { userId: 'cust-9', event: 'Order Completed', at: now - DAY_MS },
      ]);
      expect(await ids(await visitor('recent'), '/')).toEqual([s.id]);
      expect(await ids(await visitor('old'), '/')).toEqual([]);
      expect(await ids(await visitor('other-event'), '/')).toEqual([]);
      expect(await ids(await visitor('nobody'), '/')).toEqual([]);
      // The same anonymous id on another site did nothing here.
      const here = site;
      await freshSite();
      await order([], 7);
      expect(await ids(await visitor('recent'), '/')).toEqual([]);
      site = here;
      // Seen from the injected clock: 3 days on, the 6-day-old order is out of the window.
      clock.now = now + 3 * DAY_MS;
      expect(await ids(await visitor('recent'), '/')).toEqual([]);
      clock.now = now;
    });

    it('matches a logged-in user by user id', async () => {
      await freshSite();
      const secret = (await loadWidgetSecrets(db.kysely, site.siteId)).identitySecret;
      clock.now = Date.now();
      const s = await order([]);
      await track(app, site.writeKey, [{ userId: 'cust-9', event: 'Order Completed', at: clock.now - DAY_MS }]);
      const v = await visitorSession(app, site.writeKey, {
        anonymousId: 'new-device',
        userId: 'cust-9',
        userHash: userHash(secret, 'cust-9'),
      });
      expect(await ids(v, '/')).toEqual([s.id]);
      // An unproven user id does not count.
      expect(await ids(await visitorSession(app, site.writeKey, { anonymousId: 'x', userId: 'cust-9' }), '/')).toEqual(
        [],
      );
    });

    it.each<[string, EventFilter, string[]]>([
      ['gt on numbers and numeric strings', { property: 'total', op: 'gt', value: 100 }, ['num150', 'str150']],
      ['gte', { property: 'total', op: 'gte', value: 99.5 }, ['num150', 'str150', 'num99.5']],
      ['lt', { property: 'total', op: 'lt', value: 100 }, ['num99.5', 'str20']],
      ['lte', { property: 'total', op: 'lte', value: 20 }, ['str20']],
      ['eq numeric (20 = "20.0")', { property: 'total', op: 'eq', value: 20 }, ['str20']],
      [
        'neq numeric (absent counts as different)',
        { property: 'total', op: 'neq', value: 150 },
        ['num99.5', 'str20', 'text', 'none'],
      ],
      ['eq text', { property: 'currency', op: 'eq', value: 'EUR' }, ['num150', 'str150', 'num99.5']],
      ['neq text', { property: 'currency', op: 'neq', value: 'EUR' }, ['str20', 'text', 'none']],
      ['contains text, ignoring case', { property: 'coupon', op: 'contains', value: 'summer' }, ['num150']],
      ['contains in an array', { property: 'tags', op: 'contains', value: 'gift' }, ['str150']],
      ['contains a number in an array', { property: 'ids', op: 'contains', value: 7 }, ['num99.5']],
      ['a nested property', { property: 'shipping.method', op: 'eq', value: 'express' }, ['str20']],
      ['a boolean', { property: 'first', op: 'eq', value: true }, ['text']],
      ['text compared as text', { property: 'currency', op: 'gt', value: 'F' }, ['str20']],
    ])('filters with %s', async (_, filter, expected) => {
      await freshSite();
      clock.now = Date.now();
      const s = await order([filter]);
      const at = clock.now - DAY_MS;
      const props: Record<string, object> = {
        num150: { total: 150, currency: 'EUR', coupon: 'SUMMER-24' },
        str150: { total: '150', currency: 'EUR', tags: ['gift', 'sale'] },
        'num99.5': { total: 99.5, currency: 'EUR', ids: [3, 7] },
        str20: { total: ' 20.0 ', currency: 'USD', shipping: { method: 'express' } },
        text: { total: 'lots', first: true },
        none: {},
      };
      await track(
        app,
        site.writeKey,
        Object.entries(props).map(([anonymousId, properties]) => ({
          anonymousId,
          event: 'Order Completed',
          properties,
          at,
        })),
      );
      const matched: string[] = [];
      for (const anonymousId of Object.keys(props)) {
        if ((await ids(await visitor(anonymousId), '/')).includes(s.id)) matched.push(anonymousId);
      }
      expect(matched).toEqual(expected);
    });

    it('needs every filter to hold on the same event', async () => {
      await freshSite();
      clock.now = Date.now();
      const s = await order([
        { property: 'total', op: 'gt', value: 100 },
        { property: 'currency', op: 'eq', value: 'EUR' },
      ]);
      const at = clock.now - DAY_MS;
      await track(app, site.writeKey, [
        { anonymousId: 'split', event: 'Order Completed', properties: { total: 500, currency: 'USD' }, at },
        { anonymousId: 'split', event: 'Order Completed', properties: { total: 5, currency: 'EUR' }, at },
        { anonymousId: 'both', event: 'Order Completed', properties: { total: 500, currency: 'EUR' }, at },
      ]);
      expect(await ids(await visitor('split'), '/')).toEqual([]);
      expect(await ids(await visitor('both'), '/')).toEqual([s.id]);
    });
  });
});
