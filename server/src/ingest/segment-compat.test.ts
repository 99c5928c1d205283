// Segment's own Node library, pointed at a listening server, is accepted unchanged and its messages are stored.
import { Analytics } from '@segment/analytics-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/index.ts';
import type { DialectName } from '../db/index.ts';
import { openTestDatabase, type TestDb, testDialects } from '../db/testing.ts';
import { type RunningServer, startServer } from '../http/server.ts';
import { createSite } from '../sites/index.ts';

describe.each(testDialects)('@segment/analytics-node against the server on %s', (dialect: DialectName) => {
  let db: TestDb;
  let server: RunningServer | undefined;
  let siteId: string;
  let writeKey: string;

  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    ({ siteId, writeKey } = await createSite(db.kysely, { name: 'Segment shop', origins: [] }));
    server = await startServer({ ...loadConfig({}), PORT: 0, HOST: '127.0.0.1' }, db);
  });

  afterAll(async () => {
    // stop() closes (and, on Postgres, drops) the test database.
    if (server) await server.stop();
    else await db?.close();
  });

  it('stores track, identify, page and alias with their ids, properties and traits', async () => {
    const analytics = new Analytics({ writeKey, host: `http://127.0.0.1:${server?.port}`, maxRetries: 0 });
    const statuses: number[] = [];
    const errors: unknown[] = [];
    analytics.on('http_response', (r) => statuses.push(r.status));
    analytics.on('error', (e) => errors.push(e));
    const delivered = (err?: unknown) => {
      if (err) errors.push(err);
    };

    const orderedAt = new Date('2026-01-15T10:00:00.000Z');
    analytics.identify(
      { userId: 'user-1', anonymousId: 'anon-1', traits: { email: 'ana@example.com', name: 'Ana', plan: 'gold' } },
      delivered,
    );
    analytics.track(
      {
        userId: 'user-1',
        event: 'Order Completed',
        messageId: 'order-42-completed',
        timestamp: orderedAt,
        properties: {
          order_id: '42',
          total: 59.9,
          currency: 'EUR',
          products: [{ product_id: 'p-1', price: 29.95, quantity: 2 }],
        },
      },
      delivered,
    );
    // The same messageId again (a retried send): stored once.
    analytics.track(
      { userId: 'user-1', event: 'Order Completed', messageId: 'order-42-completed', properties: { order_id: '42' } },
      delivered,
    );
    analytics.page(
      {
        anonymousId: 'anon-1',
        category: 'Shop',
        name: 'Pricing',
        properties: { url: 'https://shop.example/pricing?utm_source=mail', title: 'Prices' },
      },
      delivered,
    );
    analytics.alias({ userId: 'user-1', previousId: 'anon-1' }, delivered);
    await analytics.closeAndFlush({ timeout: 20_000 });

    expect(errors).toEqual([]);
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 200)).toBe(true);

    const rows = await db.kysely
      .selectFrom('events')
      .select([
        'type',
        'event',
        'message_id',
        'user_id',
        'anonymous_id',
        'previous_id',
        'properties',
        'traits',
        'context',
        'original_timestamp',
        'sent_at',
        'url_path',
      ])
      .where('site_id', '=', siteId)
      .orderBy('seq')
      .execute();
    expect(rows.map((r) => r.type)).toEqual(['identify', 'track', 'page', 'alias']);
    for (const r of rows) {
      expect(r.message_id.length).toBeGreaterThan(0);
      expect(r.sent_at).not.toBeNull();
      expect(r.context).toMatchObject({ library: { name: '@segment/analytics-node' } });
    }
    expect(new Set(rows.map((r) => r.message_id)).size).toBe(4);

    const [identify, track, page, alias] = rows;
    expect(identify).toMatchObject({
      event: null,
      user_id: 'user-1',
      anonymous_id: 'anon-1',
      traits: { email: 'ana@example.com', name: 'Ana', plan: 'gold' },
      properties: null,
    });
    expect(track).toMatchObject({
      event: 'Order Completed',
      message_id: 'order-42-completed',
      user_id: 'user-1',
      traits: null,
      properties: {
        order_id: '42',
        total: 59.9,
        currency: 'EUR',
        products: [{ product_id: 'p-1', price: 29.95, quantity: 2 }],
      },
    });
    expect(track?.original_timestamp?.toISOString()).toBe(orderedAt.toISOString());
    expect(page).toMatchObject({
      event: 'Pricing',
      anonymous_id: 'anon-1',
      user_id: null,
      url_path: '/pricing',
      properties: { url: 'https://shop.example/pricing?utm_source=mail', title: 'Prices' },
    });
    expect(alias).toMatchObject({ user_id: 'user-1', previous_id: 'anon-1', event: null });
  });
});
