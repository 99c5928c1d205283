// The projector and what it derives: stitching, merges, traits, counters, replay, crashes, commit order.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDb, testDialects } from '../db/testing.ts';
import { createSite } from '../sites/index.ts';
import { onProfileMerge, type ProfileMerge, Projector, profileIdFor, rebuild } from './index.ts';
import { MIN, snapshot, T0, write } from './test-fixtures.ts';

const at = (minutes: number) => new Date(T0 + minutes * MIN);

describe.each(testDialects)('projector on %s', (dialect) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDatabase(dialect);
  });
  afterAll(() => db.close());

  const newSite = async () => (await createSite(db.kysely, { name: `s-${randomUUID()}`, origins: [] })).siteId;

  it('stitches anonymous visits to the user, merges a second device, counts sessions and keeps the latest traits', async () => {
    const site = await newSite();
    const merges: ProfileMerge[] = [];
    const off = onProfileMerge(async (_trx, m) => {
      if (m.siteId === site) merges.push(m);
    });
    await write(db.kysely, site, [
      { type: 'page', at: T0, anonymousId: 'a1' },
      { type: 'page', at: T0 + 10 * MIN, anonymousId: 'a1' },
      { type: 'identify', at: T0 + 11 * MIN, anonymousId: 'a1', userId: 'u1', traits: { email: 'ana@x', name: 'Ana' } },
      { type: 'page', at: T0 + 60 * MIN, anonymousId: 'a2' },
      {
        type: 'track',
        at: T0 + 61 * MIN,
        anonymousId: 'a2',
        event: 'Product Viewed',
        properties: { product_id: 'p1' },
      },
      { type: 'identify', at: T0 + 62 * MIN, anonymousId: 'a2', userId: 'u1', traits: { email: 'ana@new' } },
      // Arrives last but happened earlier: its email loses, its phone is new.
      { type: 'identify', at: T0 + 30 * MIN, userId: 'u1', traits: { email: 'stale@x', phone: '600' } },
      // 90 minutes after a1's last activity: a new session.
      { type: 'page', at: T0 + 100 * MIN, anonymousId: 'a1' },
    ]);
    // Small batches: the merge and the traits cross batch boundaries.
    const projected = await new Projector(db.kysely, { batchSize: 3 }).projectAll();
    off();
    expect(projected).toBeGreaterThanOrEqual(8);

    const p1 = profileIdFor(site, 'anonymous', 'a1');
    const p2 = profileIdFor(site, 'anonymous', 'a2');
    const snap = await snapshot(db.kysely, site);
    expect(snap.profiles).toEqual([
      {
        site_id: site,
        profile_id: p1,
        user_id: 'u1',
        first_seen: at(0),
        last_seen: at(100),
        sessions: 3,
        page_views: 4,
        orders: 0,
        revenue: '0',
        average_order_value: null,
        first_order_at: null,
        last_order_at: null,
      },
    ]);
    expect(snap.identities?.map((i) => i)).toEqual([
      { site_id: site, kind: 'anonymous', value: 'a1', profile_id: p1, first_seen: at(0), last_seen: at(100) },
      { site_id: site, kind: 'anonymous', value: 'a2', profile_id: p1, first_seen: at(60), last_seen: at(61) },
      { site_id: site, kind: 'user', value: 'u1', profile_id: p1, first_seen: at(11), last_seen: at(11) },
    ]);
    expect(snap.profile_traits).toEqual([
      { site_id: site, profile_id: p1, key: 'email', value: 'ana@new', updated_at: at(62) },
      { site_id: site, profile_id: p1, key: 'name', value: 'Ana', updated_at: at(11) },
      { site_id: site, profile_id: p1, key: 'phone', value: '600', updated_at: at(30) },
    ]);
    expect(snap.profile_merges).toEqual([
      { site_id: site, from_profile_id: p2, into_profile_id: p1, merged_at: at(62) },
    ]);
    expect(merges).toEqual([{ siteId: site, fromProfileId: p2, intoProfileId: p1 }]);
    expect(snap.products).toMatchObject([{ product_id: 'p1', from_catalog: false }]);
  });

  it('moves a shared device to the new user without merging two people, and merges on alias', async () => {
    const site = await newSite();
    await write(db.kysely, site, [
      { type: 'identify', at: T0, anonymousId: 'd1', userId: 'ana' },
      { type: 'identify', at: T0 + MIN, anonymousId: 'd1', userId: 'luis' },
      { type: 'page', at: T0 + 2 * MIN, anonymousId: 'd1' },
      { type: 'identify', at: T0 + 3 * MIN, userId: 'old-id', traits: { plan: 'gold' } },
      { type: 'alias', at: T0 + 4 * MIN, previousId: 'old-id', userId: 'ana' },
    ]);
    await new Projector(db.kysely).projectAll();
    const ana = profileIdFor(site, 'user', 'ana');
    const luis = profileIdFor(site, 'user', 'luis');
    const snap = await snapshot(db.kysely, site);
    expect(snap.profiles?.map((p) => [p.profile_id, p.user_id, p.page_views])).toEqual(
      [
        [ana, 'ana', 0],
        [luis, 'luis', 1],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    expect(snap.identities?.map((i) => [i.kind, i.value, i.profile_id])).toEqual([
      ['anonymous', 'd1', luis],
      ['user', 'ana', ana],
      ['user', 'luis', luis],
      ['user', 'old-id', ana],
    ]);
    expect(snap.profile_traits?.map((t) => [t.profile_id, t.key, t.value])).toEqual([[ana, 'plan', 'gold']]);
  });

  it('passes a stored profile merged into a new one on to the profile that one is merged into, in one batch', async () => {
    const site = await newSite();
    await write(db.kysely, site, [
      { type: 'page', at: T0, anonymousId: 'a1' },
      { type: 'identify', at: T0 + MIN, anonymousId: 'b2', userId: 'u2' },
      { type: 'page', at: T0 + 2 * MIN, anonymousId: 'b2' },
    ]);
    const projector = new Projector(db.kysely);
    await projector.projectAll();
    // One batch: u1 is new, a1's stored profile is merged into it, and it is merged into u2's.
    await write(db.kysely, site, [
      { type: 'page', at: T0 + 60 * MIN, userId: 'u1' },
      { type: 'identify', at: T0 + 61 * MIN, anonymousId: 'a1', userId: 'u1' },
      { type: 'alias', at: T0 + 62 * MIN, previousId: 'u1', userId: 'u2' },
    ]);
    expect(await projector.projectAll()).toBe(3);

    const a1 = profileIdFor(site, 'anonymous', 'a1');
    const u1 = profileIdFor(site, 'user', 'u1');
    const u2 = profileIdFor(site, 'user', 'u2');
    const snap = await snapshot(db.kysely, site);
    expect(snap.profiles).toMatchObject([
      { profile_id: u2, user_id: 'u2', first_seen: at(0), last_seen: at(62), sessions: 2, page_views: 3 },
    ]);
    expect(snap.identities?.map((i) => [i.kind, i.value, i.profile_id])).toEqual([
      ['anonymous', 'a1', u2],
      ['anonymous', 'b2', u2],
      ['user', 'u1', u2],
      ['user', 'u2', u2],
    ]);
    expect(snap.profile_merges?.map((m) => [m.from_profile_id, m.into_profile_id])).toEqual(
      [
        [a1, u2],
        [u1, u2],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
  });

  it('gives the same tables whatever the batch size, after a rebuild, and changes nothing when run again', async () => {
    const site = await newSite();
    await write(db.kysely, site, [
      { type: 'page', at: T0, anonymousId: 'x1' },
      { type: 'page', at: T0 + 40 * MIN, anonymousId: 'x1' },
      { type: 'page', at: T0 + 5 * MIN, anonymousId: 'x2' },
      { type: 'identify', at: T0 + 6 * MIN, anonymousId: 'x2', userId: 'u', traits: { email: 'u@x' } },
      { type: 'identify', at: T0 + 41 * MIN, anonymousId: 'x1', userId: 'u', traits: { email: 'u2@x' } },
      {
        type: 'track',
        at: T0 + 42 * MIN,
        userId: 'u',
        event: 'Order Completed',
        properties: { order_id: 'A1', total: 19.99, currency: 'EUR', products: [{ product_id: 'p', price: 19.99 }] },
      },
      {
        type: 'track',
        at: T0 + 43 * MIN,
        userId: 'u',
        event: 'Order Refunded',
        properties: { order_id: 'A1', total: 5 },
      },
      // A browser first named by an identify: its page five minutes later still opens its first visit, whether
      // or not the two events are projected in one batch.
      { type: 'identify', at: T0 + 50 * MIN, anonymousId: 'x3', userId: 'u' },
      { type: 'page', at: T0 + 55 * MIN, anonymousId: 'x3' },
    ]);
    await new Projector(db.kysely, { batchSize: 1 }).projectAll();
    const first = await snapshot(db.kysely, site);
    expect(first.profiles).toMatchObject([{ user_id: 'u', sessions: 4, page_views: 4, orders: 1, revenue: '14.99' }]);
    expect(first.visitor_sessions?.map((v) => [v.anonymous_id, v.page_views])).toEqual([
      ['x1', 1],
      ['x1', 1],
      ['x2', 1],
      ['x3', 1],
    ]);

    expect(await new Projector(db.kysely).projectAll()).toBe(0);
    expect(await snapshot(db.kysely, site)).toEqual(first);

    expect(await rebuild(db.kysely, { siteId: site, batchSize: 1000 })).toBe(9);
    expect(await snapshot(db.kysely, site)).toEqual(first);
  });

  it('loses and doubles nothing when a batch fails half-way', async () => {
    const site = await newSite();
    await write(db.kysely, site, [
      { type: 'page', at: T0, anonymousId: 'c1' },
      { type: 'page', at: T0 + MIN, anonymousId: 'c2' },
      { type: 'identify', at: T0 + 2 * MIN, anonymousId: 'c1', userId: 'cu' },
      { type: 'identify', at: T0 + 3 * MIN, anonymousId: 'c2', userId: 'cu' },
    ]);
    const projector = new Projector(db.kysely);
    // The merge hook runs after the batch has written profiles and identities: the crash point.
    const off = onProfileMerge(async (_trx, m) => {
      if (m.siteId === site) throw new Error('crash');
    });
    await expect(projector.projectSite(site)).rejects.toThrow('crash');
    off();
    expect(await snapshot(db.kysely, site)).toMatchObject({ profiles: [], identities: [] });
    expect(await projector.lag(site)).toBe(4);

    await projector.projectSite(site);
    expect(await projector.lag(site)).toBe(0);
    const snap = await snapshot(db.kysely, site);
    expect(snap.profiles).toMatchObject([
      { profile_id: profileIdFor(site, 'anonymous', 'c1'), sessions: 2, page_views: 2 },
    ]);
    expect(snap.profile_merges).toHaveLength(1);
  });

  it('steps over an event that cannot be projected and goes on with the rest', async () => {
    const site = await newSite();
    await write(db.kysely, site, [
      { type: 'page', at: T0, anonymousId: 'k1' },
      { type: 'page', at: T0 + MIN, anonymousId: 'k2' },
      { type: 'identify', at: T0 + 2 * MIN, anonymousId: 'k2', userId: 'ku' },
      { type: 'identify', at: T0 + 3 * MIN, anonymousId: 'k1', userId: 'ku' },
      { type: 'page', at: T0 + 4 * MIN, anonymousId: 'k1' },
    ]);
    // A data error (SQLSTATE class 22) raised by the merge, as bad data the checks missed would.
    const off = onProfileMerge(async (_trx, m) => {
      if (m.siteId === site) throw Object.assign(new Error('bad data'), { code: '22000' });
    });
    const projector = new Projector(db.kysely);
    try {
      expect(await projector.projectSite(site)).toBe(4);
    } finally {
      off();
    }
    expect(projector.stats.skipped).toBe(1);
    expect(await projector.lag(site)).toBe(0);
    const snap = await snapshot(db.kysely, site);
    expect(snap.profiles?.map((p) => [p.profile_id, p.user_id, p.page_views])).toEqual(
      [
        [profileIdFor(site, 'anonymous', 'k1'), null, 2],
        [profileIdFor(site, 'anonymous', 'k2'), 'ku', 1],
      ].sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
    );
  });

  // Registered on Postgres only (concurrent connections; PGlite has one), so no run reports it skipped.
  if (dialect === 'postgres')
    it('projects a writer that took a lower seq but commits later, once it commits', async () => {
      const site = await newSite();
      const [early, late] = [new pg.Client({ connectionString: db.url }), new pg.Client({ connectionString: db.url })];
      await early.connect();
      await late.connect();
      const insert = (c: pg.Client, anon: string) =>
        c.query<{ seq: string }>(
          `insert into events (site_id, message_id, type, anonymous_id, "timestamp", received_at)
         values ($1, $2, 'page', $3, $4, $4) returning seq`,
          [site, randomUUID(), anon, new Date(T0).toISOString()],
        );
      try {
        await early.query('begin');
        const low = await insert(early, 'slow-writer');
        const earlyXid = (await early.query<{ xid: string }>('select pg_current_xact_id()::text as xid')).rows[0]?.xid;
        await late.query('begin');
        const high = await insert(late, 'fast-writer');
        await late.query('commit');
        expect(Number(low.rows[0]?.seq)).toBeLessThan(Number(high.rows[0]?.seq));

        const projector = new Projector(db.kysely);
        // The committed row is projected; the running writer below it is remembered, not skipped.
        expect(await projector.projectAll()).toBe(1);
        expect(await projector.lag(site)).toBe(0);
        const cursor = await db.kysely
          .selectFrom('projector_cursors')
          .select(sql<string[]>`pending::text[]`.as('pending'))
          .where('site_id', '=', site)
          .executeTakeFirstOrThrow();
        // Other databases' running transactions (the cluster is shared with parallel test files) may be there too.
        expect(cursor.pending).toContain(earlyXid);

        await early.query('commit');
        expect(await projector.lag(site)).toBe(1);
        expect(await projector.projectAll()).toBe(1);
        expect(await projector.lag(site)).toBe(0);
        expect(await projector.projectAll()).toBe(0);
        const snap = await snapshot(db.kysely, site);
        expect(snap.identities?.map((i) => i.value)).toEqual(['fast-writer', 'slow-writer']);
      } finally {
        await early.end();
        await late.end();
      }
    });

  it('never lets two projectors hold the same site at once', async () => {
    const site = await newSite();
    await write(db.kysely, site, [{ type: 'page', at: T0, anonymousId: 'z' }]);
    const a = new Projector(db.kysely);
    const b = new Projector(db.kysely);
    const [na, nb] = await Promise.all([a.projectAll(), b.projectAll()]);
    expect(na + nb).toBe(1);
    expect((await snapshot(db.kysely, site)).profiles).toMatchObject([{ sessions: 1, page_views: 1 }]);
  });
});
