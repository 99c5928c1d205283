// Classification: a hand-computed RFM/ABC/lifecycle/premium/churn table, the rule table's totality, and upkeep.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDb, testDialects } from '../db/testing.ts';
import { createSite } from '../sites/index.ts';
import {
  ClassificationScheduler,
  classifySite,
  Projector,
  profileIdFor,
  RFM_RULES,
  rebuild,
  rfmSegment,
} from './index.ts';
import { type EventInput, MIN, write } from './test-fixtures.ts';

const DAY = 24 * 60 * MIN;
const NOW = Date.parse('2026-11-20T12:00:00Z');
const ago = (days: number) => NOW - days * DAY;

const order = (who: string, days: number, id: string, total: number): EventInput => ({
  type: 'track',
  at: ago(days),
  anonymousId: who,
  event: 'Order Completed',
  properties: { order_id: id, total, currency: 'EUR' },
});

/** Orders per customer: [days ago, total]. */
const ORDERS: Record<string, [number, number][]> = {
  c1: [
    [85, 160],
    [65, 160],
    [45, 160],
    [25, 160],
    [5, 160],
  ],
  c2: [
    [40, 100],
    [30, 150],
    [20, 150],
  ],
  c3: [
    [50, 125],
    [40, 125],
  ],
  c4: [
    [160, 75],
    [60, 75],
  ],
  c5: [[2, 120]],
  c6: [[90, 100]],
  c7: [
    [250, 40],
    [150, 40],
  ],
  c8: [[10, 60]],
  c9: [[200, 30]],
  c10: [[20, 10]],
};

/*
 * Site settings: lapsedAfterDays 90, premiumSpend "400". NOW = 2026-11-20T12:00Z. n = 10 customers.
 * Score = 1 + ⌊5 × (rank − 1) / 10⌋, rank() ascending in "goodness" (ties share the lower rank).
 * R ranks by days since last order (more days = worse); c4's 1-day-old order is fully refunded and does not count;
 * p2's only order is fully refunded, so p2 is a prospect.
 *
 *  who  orders revenue days | R-rank R | F-rank F | M-rank M | FM | segment             | before/2000 ABC | lifecycle | premium | gap  churn
 *  c1   5      800     5    | 9      5 | 10     5 | 10     5 | 5  | champions           | 0      0 %  A   | customer  | yes     | 20   5/20=0.25 low
 *  c2   3      400     20   | 6      3 | 9      5 | 9      5 | 5  | loyal               | 800   40 %  A   | customer  | yes (=) | 10   20/10=2 medium
 *  c3   2      250     40   | 5      3 | 6      3 | 8      4 | 4  | loyal               | 1200  60 %  A   | customer  | no      | 10   40/10=4 high
 *  c4   2      150     60   | 4      2 | 6      3 | 7      4 | 4  | at_risk             | 1450 72.5%  A   | customer  | no      | 100  0.6 low
 *  c5   1      120     2    | 10     5 | 1      1 | 6      3 | 2  | potential_loyalists | 1600  80 %  B   | customer  | no      | –    null
 *  c6   1      100     90   | 3      2 | 1      1 | 5      3 | 2  | hibernating         | 1720  86 %  B   | customer (90 = not more than 90) | no | null
 *  c7   2      80      150  | 2      1 | 6      3 | 4      2 | 3  | at_risk             | 1820  91 %  B   | lapsed    | no      | 100  1.5 medium
 *  c8   1      60      10   | 8      4 | 1      1 | 3      2 | 2  | potential_loyalists | 1900  95 %  C   | customer  | no      | null
 *  c9   1      30      200  | 1      1 | 1      1 | 2      1 | 1  | lost                | 1960  98 %  C   | lapsed    | no      | null
 *  c10  1      10      20   | 6      3 | 1      1 | 1      1 | 1  | potential_loyalists | 1990 99.5%  C   | customer  | no      | null
 *  p1, p2: prospect, every score/segment/class null, premium false, churn null, days null.
 */
const EXPECTED = {
  c1: ['customer', 5, 5, 5, 'champions', 'A', true, 'low', 5],
  c2: ['customer', 3, 5, 5, 'loyal', 'A', true, 'medium', 20],
  c3: ['customer', 3, 3, 4, 'loyal', 'A', false, 'high', 40],
  c4: ['customer', 2, 3, 4, 'at_risk', 'A', false, 'low', 60],
  c5: ['customer', 5, 1, 3, 'potential_loyalists', 'B', false, null, 2],
  c6: ['customer', 2, 1, 3, 'hibernating', 'B', false, null, 90],
  c7: ['lapsed', 1, 3, 2, 'at_risk', 'B', false, 'medium', 150],
  c8: ['customer', 4, 1, 2, 'potential_loyalists', 'C', false, null, 10],
  c9: ['lapsed', 1, 1, 1, 'lost', 'C', false, null, 200],
  c10: ['customer', 3, 1, 1, 'potential_loyalists', 'C', false, null, 20],
  p1: ['prospect', null, null, null, null, null, false, null, null],
  p2: ['prospect', null, null, null, null, null, false, null, null],
};

describe('the RFM rule table', () => {
  it('gives every (R, F, M) exactly the first matching segment and leaves no segment unreachable', () => {
    const reached = new Set<string>();
    for (let r = 1; r <= 5; r++)
      for (let f = 1; f <= 5; f++)
        for (let m = 1; m <= 5; m++) {
          const seg = rfmSegment(r, f, m);
          reached.add(seg);
        }
    expect([...reached].sort()).toEqual(RFM_RULES.map((x) => x.segment).sort());
    // The grid by R (rows 5→1) and FM (columns 1→5), as documented in the README.
    const grid = [5, 4, 3, 2, 1].map((r) => [1, 2, 3, 4, 5].map((fm) => rfmSegment(r, fm, fm)));
    expect(grid).toEqual([
      ['new', 'potential_loyalists', 'loyal', 'champions', 'champions'],
      ['promising', 'potential_loyalists', 'loyal', 'champions', 'champions'],
      ['potential_loyalists', 'need_attention', 'need_attention', 'loyal', 'loyal'],
      ['hibernating', 'hibernating', 'need_attention', 'at_risk', 'at_risk'],
      ['lost', 'hibernating', 'at_risk', 'cant_lose', 'cant_lose'],
    ]);
    // FM rounds half up: F1 M2 is FM 2.
    expect(rfmSegment(5, 1, 2)).toBe('potential_loyalists');
  });
});

describe.each(testDialects)('classification on %s', (dialect) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDatabase(dialect);
  });
  afterAll(() => db.close());

  const fixtureSite = async () => {
    const site = (
      await createSite(db.kysely, {
        name: `k-${randomUUID()}`,
        origins: [],
        settings: { knowledge: { lapsedAfterDays: 90, premiumSpend: '400' } },
      })
    ).siteId;
    const events: EventInput[] = [];
    for (const [who, orders] of Object.entries(ORDERS))
      orders.forEach(([days, total], i) => {
        events.push(order(who, days, `${who}-${i}`, total));
      });
    events.push(order('c4', 1, 'c4-refunded', 999));
    events.push({
      type: 'track',
      at: ago(0.5),
      anonymousId: 'c4',
      event: 'Order Refunded',
      properties: { order_id: 'c4-refunded' },
    });
    events.push({ type: 'page', at: ago(3), anonymousId: 'p1' });
    events.push(order('p2', 3, 'p2-0', 50));
    events.push({
      type: 'track',
      at: ago(2),
      anonymousId: 'p2',
      event: 'Order Refunded',
      properties: { order_id: 'p2-0' },
    });
    await write(db.kysely, site, events);
    await new Projector(db.kysely, { batchSize: 7 }).projectAll();
    return site;
  };

  const table = async (site: string) => {
    const rows = await db.kysely.selectFrom('profile_classes').selectAll().where('site_id', '=', site).execute();
    const byId = new Map(rows.map((r) => [r.profile_id, r]));
    return Object.fromEntries(
      Object.keys(EXPECTED).map((who) => {
        const r = byId.get(profileIdFor(site, 'anonymous', who));
        return [
          who,
          r
            ? [
                r.lifecycle,
                r.recency_score,
                r.frequency_score,
                r.monetary_score,
                r.rfm_segment,
                r.abc_class,
                r.premium,
                r.churn_risk,
                r.days_since_last_order,
              ]
            : null,
        ];
      }),
    );
  };

  it('classifies the hand-computed fixture exactly', async () => {
    const site = await fixtureSite();
    const result = await classifySite(db.kysely, site, { now: new Date(NOW) });
    expect(result).toEqual({ changed: 12, removed: 0 });
    expect(await table(site)).toEqual(EXPECTED);
    const c1 = await db.kysely
      .selectFrom('profile_classes')
      .select('computed_at')
      .where('site_id', '=', site)
      .where('profile_id', '=', profileIdFor(site, 'anonymous', 'c1'))
      .executeTakeFirstOrThrow();
    expect(c1.computed_at).toEqual(new Date(NOW));

    // Same data, same moment: nothing is rewritten.
    expect(await classifySite(db.kysely, site, { now: new Date(NOW) })).toEqual({ changed: 0, removed: 0 });
  });

  it('moves with the clock: an hour later only the boundary cases change, 20 days later recency, lapsing and churn do', async () => {
    const site = await fixtureSite();
    await classifySite(db.kysely, site, { now: new Date(NOW) });
    // An hour later exactly the two customers sitting on a boundary move: c6 (90 days) is now more than 90 days
    // out, and c2 (gap 10, 20 days out, ratio exactly 2) passes 2×.
    expect(await classifySite(db.kysely, site, { now: new Date(NOW + 60 * MIN) })).toEqual({ changed: 2, removed: 0 });
    const hour = await table(site);
    expect(hour).toEqual({
      ...EXPECTED,
      c2: ['customer', 3, 5, 5, 'loyal', 'A', true, 'high', 20],
      c6: ['lapsed', 2, 1, 3, 'hibernating', 'B', false, null, 90],
    });
    await classifySite(db.kysely, site, { now: new Date(NOW + 20 * DAY) });
    const t = await table(site);
    // c6 (now 110 days) lapses; c1's ratio 25/20 turns medium; c4's (80/100) stays low.
    expect(t.c6?.[0]).toBe('lapsed');
    expect(t.c6?.[8]).toBe(110);
    expect(t.c1?.[7]).toBe('medium');
    expect(t.c4?.[7]).toBe('low');
    // Relative order is unchanged, so the scores are too.
    expect(t.c1?.slice(1, 6)).toEqual(EXPECTED.c1.slice(1, 6));
  });

  it('a site with one customer scores it 1 on every axis; without a premium threshold nobody is premium', async () => {
    const site = (await createSite(db.kysely, { name: `one-${randomUUID()}`, origins: [] })).siteId;
    await write(db.kysely, site, [order('solo', 3, 'o1', 5000)]);
    await new Projector(db.kysely).projectAll();
    await classifySite(db.kysely, site, { now: new Date(NOW) });
    const row = await db.kysely
      .selectFrom('profile_classes')
      .selectAll()
      .where('site_id', '=', site)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      lifecycle: 'customer',
      recency_score: 1,
      frequency_score: 1,
      monetary_score: 1,
      rfm_segment: 'lost',
      abc_class: 'A',
      premium: false,
      churn_risk: null,
      days_since_last_order: 3,
    });
  });

  it('schedules: every site at first, a changed site at most every 10 s, every site hourly', async () => {
    const site = (await createSite(db.kysely, { name: `sch-${randomUUID()}`, origins: [] })).siteId;
    let clock = NOW;
    const scheduler = new ClassificationScheduler(db.kysely, {}, () => clock);
    expect(await scheduler.runDue()).toContain(site);
    expect(await scheduler.runDue()).not.toContain(site);
    scheduler.markDirty(site);
    clock += 9_999;
    expect(await scheduler.runDue()).not.toContain(site);
    clock += 1;
    expect(await scheduler.runDue()).toEqual([site]);
    clock += 3_599_999;
    expect(await scheduler.runDue()).not.toContain(site);
    clock += 10_001;
    expect(await scheduler.runDue()).toContain(site);
  });

  it('drops rows of merged-away profiles, and rebuild reclassifies', async () => {
    const site = await fixtureSite();
    await classifySite(db.kysely, site, { now: new Date(NOW) });
    // p1 identifies as c1's user: c1 takes the user id, then p1 (anonymous) is merged into it.
    await write(db.kysely, site, [
      { type: 'identify', at: ago(0.2), anonymousId: 'c1', userId: 'u1' },
      { type: 'identify', at: ago(0.1), anonymousId: 'p1', userId: 'u1' },
    ]);
    await new Projector(db.kysely).projectAll();
    const r = await classifySite(db.kysely, site, { now: new Date(NOW) });
    expect(r.removed).toBe(1);
    expect((await table(site)).p1).toBeNull();
    await db.kysely.deleteFrom('profile_classes').where('site_id', '=', site).execute();
    await rebuild(db.kysely, { siteId: site });
    const count = await db.kysely
      .selectFrom('profile_classes')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('site_id', '=', site)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(11);
  });
});
