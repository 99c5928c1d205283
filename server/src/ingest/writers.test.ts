// The two ways a group of rows reaches `events`: insertEvents (one statement; PGlite's path) and copyWriter
// (id claim then COPY; the server's path on Postgres) must store the same bytes and give the same answers.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDb, testDialects } from '../db/testing.ts';
import { createSite } from '../sites/index.ts';
import { copyWriter } from './copy-store.ts';
import type { EventRow } from './event-row.ts';
import { insertEvents } from './store.ts';

// Everything COPY's text format treats specially, in plain text columns and inside JSON.
const AWKWARD = 'tab\there, new\nline, return\r, back\\slash, \\N, \\., "quotes", ñ·€ 😀';

function row(siteId: string, messageId: string, extra: Partial<EventRow> = {}): EventRow {
  const at = '2026-11-20T10:00:00.123Z';
  return {
    site_id: siteId,
    message_id: messageId,
    type: 'track',
    event: AWKWARD,
    anonymous_id: 'anon-1',
    user_id: null,
    previous_id: null,
    group_id: null,
    timestamp: at,
    original_timestamp: at,
    sent_at: at,
    received_at: at,
    url_path: '/p/a\tb',
    selector: 'button[data-x="a\\b"]',
    x: -12,
    y: 3400,
    viewport_width: 390,
    browser: 'Firefox',
    os: null,
    device_type: 'mobile',
    ip: '203.0.113.0',
    properties: { note: AWKWARD, nested: { list: [1, 'two\\', null, { k: '\n' }] }, total: 10.5 },
    traits: null,
    context: { page: { title: AWKWARD } },
    ...extra,
  };
}

describe.each(testDialects)('event writers on %s', (dialect) => {
  let db: TestDb;
  let siteId: string;
  const writers: [string, (rows: EventRow[]) => Promise<boolean[]>][] = [];

  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    siteId = (await createSite(db.kysely, { name: 'Tienda', origins: [] })).siteId;
    writers.push(['insertEvents', (rows) => insertEvents(db.kysely, rows)]);
    if (db.pool) writers.push(['copyWriter', copyWriter(db.kysely, db.pool)]);
  });
  afterAll(() => db.close());

  const stored = async (messageIds: string[]) =>
    (
      await db.kysely
        .selectFrom('events')
        .select([
          'message_id',
          'type',
          'event',
          'anonymous_id',
          'user_id',
          sql<string>`"timestamp"::text`.as('timestamp'),
          'url_path',
          'selector',
          'x',
          'y',
          'viewport_width',
          'browser',
          'os',
          'device_type',
          'ip',
          'properties',
          'traits',
          'context',
        ])
        .where('message_id', 'in', messageIds)
        .orderBy('message_id')
        .execute()
    ).map(({ message_id: _, ...rest }) => rest);

  it('stores awkward text and JSON byte for byte, the same whichever writer wrote it', async () => {
    const results = [];
    for (const [, write] of writers) {
      const id = randomUUID();
      expect(await write([row(siteId, id)])).toEqual([true]);
      results.push(await stored([id]));
    }
    const [first] = results;
    expect(first).toHaveLength(1);
    expect(first?.[0]).toMatchObject({
      event: AWKWARD,
      url_path: '/p/a\tb',
      selector: 'button[data-x="a\\b"]',
      x: -12,
      os: null,
      properties: row(siteId, '').properties,
      context: { page: { title: AWKWARD } },
    });
    for (const other of results) expect(other).toEqual(first);
  });

  it('answers each row: the first copy of a new message true, repeats and known messages false', async () => {
    for (const [name, write] of writers) {
      const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
      expect(await write([row(siteId, a)]), name).toEqual([true]);
      const answer = await write([row(siteId, b), row(siteId, a), row(siteId, b), row(siteId, c)]);
      expect(answer, name).toEqual([true, false, false, true]);
      const { n } = await db.kysely
        .selectFrom('events')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('message_id', 'in', [a, b, c])
        .executeTakeFirstOrThrow();
      expect(Number(n), name).toBe(3);
    }
  });

  it('writes two concurrent groups holding the same new ids in opposite orders, each id once', async () => {
    // Each dialect's server writer: insertEvents on PGlite (one connection), copyWriter on Postgres.
    for (const [name, write] of writers.filter(([name]) => dialect === 'pglite' || name === 'copyWriter')) {
      // Two connections open first (on Postgres), so both groups really run at once.
      await Promise.all([write([row(siteId, randomUUID())]), write([row(siteId, randomUUID())])]);
      const ids = Array.from({ length: 500 }, () => randomUUID());
      const [forward, backward] = await Promise.all([
        write(ids.map((id) => row(siteId, id))),
        write([...ids].reverse().map((id) => row(siteId, id))),
      ]);
      // Whichever committed first stored them all; the other found them stored.
      const firstWon = forward?.[0] === true;
      expect(forward, name).toEqual(ids.map(() => firstWon));
      expect(backward, name).toEqual(ids.map(() => !firstWon));
      const { n } = await db.kysely
        .selectFrom('events')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('message_id', 'in', ids)
        .executeTakeFirstOrThrow();
      expect(Number(n), name).toBe(ids.length);
    }
  });

  it('stores nothing of a group the database refuses, and says why', async () => {
    for (const [name, write] of writers) {
      const good = randomUUID();
      const bad = randomUUID();
      const failed = await write([row(siteId, good), row(siteId, bad, { timestamp: 'not a time' })]).catch(
        (e: { code?: string }) => e,
      );
      expect((failed as { code?: string }).code, name).toMatch(/^22/);
      expect(await stored([good, bad]), name).toEqual([]);
      // Its ids were not claimed either: the same messages go through once fixed.
      expect(await write([row(siteId, good), row(siteId, bad)]), name).toEqual([true, true]);
    }
  });
});
