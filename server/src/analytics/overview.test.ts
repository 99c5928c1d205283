// The overview as the running product builds it: SDK-shaped events through the ingestion API, folded in by the
// projector (in batches of 3, so visits and merges cross batches), read through GET /api/overview. The figures
// below are worked out by hand from the fixture.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStaff, sessionFor, signedIn } from '../auth/testing.ts';
import { openTestDatabase, type TestDb, testDialects } from '../db/testing.ts';
import { createApp } from '../http/app.ts';
import { Projector, rebuild } from '../profiles/index.ts';
import { createSite } from '../sites/index.ts';
import type { FunnelStep, Overview } from './index.ts';

const config = { TRUST_PROXY: false, RATE_LIMIT_RPS: 1000, RATE_LIMIT_BURST: 1000 };

type Message = Record<string, unknown>;
let n = 0;
const base = (at: string, anonymousId?: string, userId?: string) => ({
  messageId: `m-${++n}`,
  timestamp: at,
  ...(anonymousId ? { anonymousId } : {}),
  ...(userId ? { userId } : {}),
});
const page = (anon: string, at: string, user?: string): Message => ({ type: 'page', ...base(at, anon, user) });
const track = (event: string, at: string, ids: { anon?: string; user?: string }, properties = {}): Message => ({
  type: 'track',
  event,
  properties,
  ...base(at, ids.anon, ids.user),
});
const identify = (anon: string, user: string, at: string): Message => ({ type: 'identify', ...base(at, anon, user) });
const order = (id: string, total: number, currency = 'EUR') => ({ order_id: id, total, currency });

/**
 * November in Madrid is UTC+1: the days 2026-11-02..04 there are [11-01T23:00Z, 11-04T23:00Z).
 * Cara comes first so that her EUR order makes EUR the site's currency.
 */
const fixture: Message[] = [
  // Cara: a whole purchase in the previous period; a visit in the last minute of 11-04 whose product view and
  // order fall on 11-05 in Madrid (but on 11-04 in UTC).
  page('cara-pc', '2026-10-31T18:00:00Z'),
  track('Product Viewed', '2026-10-31T18:01:00Z', { anon: 'cara-pc' }, { product_id: 'p1' }),
  track('Product Added', '2026-10-31T18:02:00Z', { anon: 'cara-pc' }, { product_id: 'p1' }),
  track('Checkout Started', '2026-10-31T18:03:00Z', { anon: 'cara-pc' }),
  identify('cara-pc', 'cara', '2026-10-31T18:04:00Z'),
  track('Order Completed', '2026-10-31T18:05:00Z', { anon: 'cara-pc', user: 'cara' }, order('o-cara-1', 50)),
  page('cara-pc', '2026-11-04T22:59:00Z', 'cara'),
  track('Product Viewed', '2026-11-04T23:00:00Z', { anon: 'cara-pc', user: 'cara' }, { product_id: 'p1' }),
  track('Order Completed', '2026-11-04T23:01:00Z', { anon: 'cara-pc', user: 'cara' }, order('o-cara-2', 70)),
  // Ana: 00:10 on 11-02 in Madrid (still 11-01 in UTC), the four steps in order; 30 of her 100 refunded later.
  page('ana-phone', '2026-11-01T23:10:00Z'),
  track('Product Viewed', '2026-11-01T23:11:00Z', { anon: 'ana-phone' }, { product_id: 'p1' }),
  track('Product Added', '2026-11-01T23:12:00Z', { anon: 'ana-phone' }, { product_id: 'p1' }),
  page('ana-phone', '2026-11-01T23:13:00Z'),
  track('Checkout Started', '2026-11-01T23:14:00Z', { anon: 'ana-phone' }),
  identify('ana-phone', 'ana', '2026-11-01T23:15:00Z'),
  track('Order Completed', '2026-11-01T23:16:00Z', { anon: 'ana-phone', user: 'ana' }, order('o-ana', 100)),
  track('Order Refunded', '2026-11-05T09:00:00Z', { user: 'ana' }, { order_id: 'o-ana', total: 30 }),
  // Ben: adds before viewing, so only the first step counts; two visits (57 minutes apart); a USD order that
  // the EUR site leaves out of its orders and revenue.
  page('ben-laptop', '2026-11-03T10:00:00Z'),
  track('Product Added', '2026-11-03T10:01:00Z', { anon: 'ben-laptop' }, { product_id: 'p2' }),
  track('Product Viewed', '2026-11-03T10:02:00Z', { anon: 'ben-laptop' }, { product_id: 'p2' }),
  track('Checkout Started', '2026-11-03T10:03:00Z', { anon: 'ben-laptop' }),
  page('ben-laptop', '2026-11-03T11:00:00Z'),
  track('Checkout Started', '2026-11-03T11:01:00Z', { anon: 'ben-laptop' }),
  track('Order Completed', '2026-11-03T11:02:00Z', { anon: 'ben-laptop' }, order('o-ben', 40, 'USD')),
  // Dan: his order and its whole refund come from the shop's backend with his user id only.
  page('dan-tablet', '2026-11-03T11:50:00Z'),
  identify('dan-tablet', 'dan', '2026-11-03T11:51:00Z'),
  track('Product Viewed', '2026-11-03T11:52:00Z', { anon: 'dan-tablet', user: 'dan' }, { product_id: 'p3' }),
  track('Product Added', '2026-11-03T11:53:00Z', { anon: 'dan-tablet', user: 'dan' }, { product_id: 'p3' }),
  track('Checkout Started', '2026-11-03T11:54:00Z', { anon: 'dan-tablet', user: 'dan' }),
  track('Order Completed', '2026-11-03T12:00:00Z', { user: 'dan' }, order('o-dan', 20)),
  track('Order Refunded', '2026-11-04T08:00:00Z', { user: 'dan' }, { order_id: 'o-dan' }),
  // Eve: a visit on her computer (identified), then one on her phone, whose anonymous profile is merged into the
  // first when she logs in there: one visitor with two visits.
  page('eve-pc', '2026-11-02T09:00:00Z'),
  identify('eve-pc', 'eve', '2026-11-02T09:01:00Z'),
  page('eve-phone', '2026-11-02T10:00:00Z'),
  track('Product Viewed', '2026-11-02T10:01:00Z', { anon: 'eve-phone' }, { product_id: 'p1' }),
  identify('eve-phone', 'eve', '2026-11-02T10:02:00Z'),
  // Flor, around the end of summer time (2026-10-25 03:00 CEST → 02:00 CET): that day lasts 25 hours in Madrid,
  // [10-24T22:00Z, 10-25T23:00Z). Visits at 23:59 on 10-24, 00:30 and 23:30 on 10-25, 00:05 on 10-26.
  page('flor', '2026-10-24T21:59:00Z'),
  page('flor', '2026-10-24T22:30:00Z'),
  page('flor', '2026-10-25T22:30:00Z'),
  page('flor', '2026-10-25T23:05:00Z'),
];

const zeroDay = { visitors: 0, sessions: 0, pageViews: 0, orders: 0, revenue: '0' };
const funnel = (reached: number[]): FunnelStep[] =>
  (['Product Viewed', 'Product Added', 'Checkout Started', 'Order Completed'] as const).map((event, i) => ({
    event,
    visitors: reached[i] as number,
    fromPrevious: i === 0 || !reached[i - 1] ? null : (reached[i] as number) / (reached[i - 1] as number),
    fromFirst: reached[0] ? (reached[i] as number) / reached[0] : null,
  }));

describe.each(testDialects)('GET /api/overview on %s', (dialect) => {
  let db: TestDb;
  let app: ReturnType<typeof createApp>;
  let site: Awaited<ReturnType<typeof createSite>>;

  const get = (query: string, key = site.secretKey) =>
    app.app.request(`/api/overview?${query}`, { headers: { authorization: `Bearer ${key}` } });
  const overview = async (query: string) => {
    const res = await get(query);
    expect(res.status).toBe(200);
    return (await res.json()) as Overview;
  };

  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    site = await createSite(db.kysely, { name: 'Tienda', origins: [] });
    app = createApp({ db, config });
    const res = await app.app.request('/v1/batch', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${btoa(`${site.writeKey}:`)}` },
      body: JSON.stringify({ batch: fixture }),
    });
    expect(await res.json()).toMatchObject({ accepted: fixture.length, rejected: [] });
    await new Projector(db.kysely, { batchSize: 3 }).projectAll();
  });
  afterAll(() => db.close());

  const madrid = 'from=2026-11-02&to=2026-11-04&tz=Europe/Madrid';
  const expectedMadrid: Overview = {
    timeZone: 'Europe/Madrid',
    currency: 'EUR',
    current: {
      from: '2026-11-02',
      to: '2026-11-04',
      totals: {
        visitors: 5,
        sessions: 7,
        pageViews: 8,
        orders: 1,
        revenue: '70',
        refunds: '50',
        averageOrderValue: '70.00',
        conversionRate: 1 / 7,
      },
      funnel: funnel([4, 2, 2, 2]),
    },
    previous: {
      from: '2026-10-30',
      to: '2026-11-01',
      totals: {
        visitors: 1,
        sessions: 1,
        pageViews: 1,
        orders: 1,
        revenue: '50',
        refunds: '0',
        averageOrderValue: '50.00',
        conversionRate: 1,
      },
      funnel: funnel([1, 1, 1, 1]),
    },
    days: [
      { day: '2026-11-02', visitors: 2, sessions: 3, pageViews: 4, orders: 1, revenue: '70' },
      { day: '2026-11-03', visitors: 2, sessions: 3, pageViews: 3, orders: 0, revenue: '0' },
      { day: '2026-11-04', visitors: 1, sessions: 1, pageViews: 1, orders: 0, revenue: '0' },
    ],
  };

  it('counts visits, orders, refunds and the funnel of Madrid days, against the period before', async () => {
    expect(await overview(madrid)).toEqual(expectedMadrid);
  });

  it('moves every figure when the days are UTC days', async () => {
    expect(await overview('from=2026-11-02&to=2026-11-04')).toEqual({
      timeZone: 'UTC',
      currency: 'EUR',
      current: {
        from: '2026-11-02',
        to: '2026-11-04',
        totals: {
          visitors: 4,
          sessions: 6,
          pageViews: 6,
          orders: 1,
          revenue: '70',
          refunds: '20',
          averageOrderValue: '70.00',
          conversionRate: 1 / 6,
        },
        funnel: funnel([4, 1, 1, 1]),
      },
      previous: {
        from: '2026-10-30',
        to: '2026-11-01',
        totals: {
          visitors: 2,
          sessions: 2,
          pageViews: 3,
          orders: 2,
          revenue: '120',
          refunds: '30',
          averageOrderValue: '60.00',
          conversionRate: 1,
        },
        funnel: funnel([2, 2, 2, 2]),
      },
      days: [
        { day: '2026-11-02', visitors: 1, sessions: 2, pageViews: 2, orders: 0, revenue: '0' },
        { day: '2026-11-03', visitors: 2, sessions: 3, pageViews: 3, orders: 0, revenue: '0' },
        { day: '2026-11-04', visitors: 1, sessions: 1, pageViews: 1, orders: 1, revenue: '70' },
      ],
    });
  });

  it('counts the 25 hours of the day summer time ends, and no more', async () => {
    const o = await overview('from=2026-10-25&to=2026-10-25&tz=Europe/Madrid');
    expect(o.current.totals).toMatchObject({ visitors: 1, sessions: 2, pageViews: 2 });
    expect(o.days).toEqual([{ ...zeroDay, day: '2026-10-25', visitors: 1, sessions: 2, pageViews: 2 }]);
    expect(o.previous).toMatchObject({ from: '2026-10-24', to: '2026-10-24', totals: { sessions: 1 } });
  });

  it('keeps one visit per session the profiles count, and the same figures after a rebuild', async () => {
    const counted = async () =>
      (
        await sql<{ visits: number; views: number; sessions: number; pages: number }>`
          select (select count(*)::int from visitor_sessions where site_id = ${site.siteId}) as visits,
            (select sum(page_views)::int from visitor_sessions where site_id = ${site.siteId}) as views,
            (select sum(sessions)::int from profiles where site_id = ${site.siteId}) as sessions,
            (select sum(page_views)::int from profiles where site_id = ${site.siteId}) as pages`.execute(db.kysely)
      ).rows[0];
    // Cara 2, Ana 1, Ben 2, Dan 1, Eve 2, Flor 4 (Ana's and Dan's backend events belong to no visit).
    expect(await counted()).toEqual({ visits: 12, views: 13, sessions: 12, pages: 13 });
    await rebuild(db.kysely, { siteId: site.siteId, batchSize: 1000 });
    expect(await counted()).toEqual({ visits: 12, views: 13, sessions: 12, pages: 13 });
    expect(await overview(madrid)).toEqual(expectedMadrid);
  });

  it('answers zeros for every day of a site with no data', async () => {
    const empty = await createSite(db.kysely, { name: 'Vacía', origins: [] });
    const res = await get('from=2026-11-01&to=2026-11-03&tz=Europe/Madrid', empty.secretKey);
    const zeros = {
      visitors: 0,
      sessions: 0,
      pageViews: 0,
      orders: 0,
      revenue: '0',
      refunds: '0',
      averageOrderValue: null,
      conversionRate: null,
    };
    expect(await res.json()).toEqual({
      timeZone: 'Europe/Madrid',
      currency: null,
      current: { from: '2026-11-01', to: '2026-11-03', totals: zeros, funnel: funnel([0, 0, 0, 0]) },
      previous: { from: '2026-10-29', to: '2026-10-31', totals: zeros, funnel: funnel([0, 0, 0, 0]) },
      days: ['2026-11-01', '2026-11-02', '2026-11-03'].map((day) => ({ ...zeroDay, day })),
    });
  });

  it.each([
    ['to=2026-11-04', 'from'],
    ['from=2026-11-01', 'to'],
    ['from=2026-02-30&to=2026-03-01', 'from'],
    ['from=2026-11-04&to=2026-11-01', 'to'],
    ['from=2025-01-01&to=2026-01-02', 'to'],
    ['from=2026-11-01&to=2026-11-02&tz=Mars/Olympus', 'tz'],
    ['from=2026-11-01&to=2026-11-02&tz=%2B01:00', 'tz'],
  ])('refuses %s with a 400 naming %s', async (query, field) => {
    const res = await get(query);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'invalid_query', field } });
  });

  it('answers marketers and admins, not agents or validators', async () => {
    const statusFor = async (role: 'admin' | 'marketer' | 'agent' | 'validator') => {
      const { userId } = await addStaff(db.kysely, role, [site.siteId]);
      const staff = signedIn(app.app, await sessionFor(db.kysely, userId), site.siteId);
      return (await staff.get(`/api/overview?${madrid}`)).status;
    };
    expect(await statusFor('marketer')).toBe(200);
    expect(await statusFor('admin')).toBe(200);
    expect(await statusFor('agent')).toBe(403);
    expect(await statusFor('validator')).toBe(403);
  });
});
