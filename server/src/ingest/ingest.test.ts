// The ingestion rules of issue 2 (section 6) against the in-process app, each checked on what the database holds.
import { randomBytes, randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../config/index.ts';
import type { DialectName } from '../db/index.ts';
import { openTestDatabase, type TestDb, testDialects } from '../db/testing.ts';
import { createApp } from '../http/app.ts';
import { type IngestResult, MAX_MESSAGE_BYTES, type MessageType } from '../protocol/index.ts';
import { createSite } from '../sites/index.ts';
import { MAX_JSON_DEPTH } from './validate.ts';

type AppConfig = Pick<Config, 'TRUST_PROXY' | 'RATE_LIMIT_RPS' | 'RATE_LIMIT_BURST'>;
type App = ReturnType<typeof createApp>['app'];

/** Limits high enough that no test but the rate-limit one meets them. */
const ROOMY: AppConfig = { TRUST_PROXY: false, RATE_LIMIT_RPS: 100_000, RATE_LIMIT_BURST: 100_000 };
const PEER = '203.0.113.77';
const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
const IPAD =
  'Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
const WINDOWS_CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
const HOUR = 60 * 60 * 1000;

interface ErrorBody {
  code: string;
  message: string;
  field?: string;
}

interface Answer {
  status: number;
  headers: Headers;
  /** The body of a 200. */
  result: IngestResult;
  /** The body of any other answer. */
  error: ErrorBody | undefined;
}

interface SendOptions {
  /** Sent as the HTTP Basic user name, the way Segment's libraries send it. */
  key?: string;
  headers?: Record<string, string>;
}

const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;

/** POSTs a body (an object is sent as JSON; a string or bytes as they are) and reads the answer. */
async function post(app: App, path: string, body: unknown, options: SendOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
  if (options.key) headers.authorization = basic(options.key);
  const raw =
    typeof body === 'string' ? body : body instanceof Uint8Array ? new Uint8Array(body) : JSON.stringify(body);
  const res = await app.request(path, { method: 'POST', headers, body: raw });
  const json: { error?: ErrorBody } & IngestResult = await res.json();
  return { status: res.status, headers: res.headers, result: json, error: json.error };
}

let seq = 0;
const uniqueId = (label: string) => `${label}-${++seq}-${randomUUID().slice(0, 8)}`;

/** A valid track message with a fresh messageId. */
function track(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'track',
    messageId: uniqueId('msg'),
    anonymousId: 'anon-1',
    event: 'Product Viewed',
    properties: { product_id: 'p-1', price: 19.99 },
    ...fields,
  };
}

/** A valid track message as JSON text whose properties are `depth` objects deep (too deep to build with stringify). */
function deepTrackText(messageId: string, depth: number): string {
  const deep = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
  return `{"type":"track","messageId":${JSON.stringify(messageId)},"anonymousId":"a","event":"Deep","properties":${deep}}`;
}

describe.each(testDialects)('ingestion API on %s', (dialect: DialectName) => {
  let db: TestDb;
  let app: App;
  let drain: () => Promise<void>;

  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    ({ app, drain } = createApp({ db, config: ROOMY, remoteAddress: () => PEER }));
  });

  afterAll(async () => {
    await drain?.();
    await db?.close();
  });

  /** A fresh site (so each test reads only its own rows) with one allowed origin of its own. */
  async function newSite() {
    const origin = `https://${uniqueId('shop')}.example`;
    const created = await createSite(db.kysely, { name: 'Test shop', origins: [origin] });
    return { ...created, origin };
  }

  const eventsOf = (siteId: string) =>
    db.kysely.selectFrom('events').selectAll().where('site_id', '=', siteId).orderBy('seq').execute();

  async function storedIds(siteId: string): Promise<{ events: string[]; eventIds: string[] }> {
    const events = await db.kysely
      .selectFrom('events')
      .select('message_id')
      .where('site_id', '=', siteId)
      .orderBy('message_id')
      .execute();
    const eventIds = await db.kysely
      .selectFrom('event_ids')
      .select('message_id')
      .where('site_id', '=', siteId)
      .orderBy('message_id')
      .execute();
    return { events: events.map((r) => r.message_id), eventIds: eventIds.map((r) => r.message_id) };
  }

  async function expectNothingStored(siteId: string) {
    expect(await storedIds(siteId)).toEqual({ events: [], eventIds: [] });
  }

  const sorted = (ids: unknown[]) => ids.map(String).sort();

  describe('routes, keys and bodies', () => {
    it('stores a batch sent with the write key as the Basic user name, answering only after the commit', async () => {
      const site = await newSite();
      const batch = [track(), track({ event: 'Product Added' }), { ...track(), type: 'page', name: 'Home' }];
      const answer = await post(app, '/v1/batch', { batch, sentAt: new Date().toISOString() }, { key: site.writeKey });

      expect(answer.status).toBe(200);
      expect(answer.result).toEqual({ accepted: 3, duplicates: 0, rejected: [] });
      // Read at once, without drain(): a 200 means the rows are committed.
      const rows = await eventsOf(site.siteId);
      expect(rows.map((r) => [r.message_id, r.type, r.event])).toEqual([
        [batch[0]?.messageId, 'track', 'Product Viewed'],
        [batch[1]?.messageId, 'track', 'Product Added'],
        [batch[2]?.messageId, 'page', 'Home'],
      ]);
      expect(rows[0]).toMatchObject({
        anonymous_id: 'anon-1',
        user_id: null,
        properties: { product_id: 'p-1', price: 19.99 },
      });
      const ids = await storedIds(site.siteId);
      expect(ids.eventIds).toEqual(sorted(batch.map((m) => m.messageId)));
    });

    it('takes the write key from the body of a batch', async () => {
      const site = await newSite();
      const message = track();
      const answer = await post(app, '/v1/batch', { writeKey: site.writeKey, batch: [message] });
      expect(answer.result).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
      expect((await storedIds(site.siteId)).events).toEqual([message.messageId]);
    });

    const singles: Array<{ type: MessageType; body: Record<string, unknown>; stored: Record<string, unknown> }> = [
      {
        type: 'track',
        body: {
          userId: 'u-1',
          event: 'Order Completed',
          properties: { order_id: 'o-1', total: 59.9, currency: 'EUR' },
        },
        stored: {
          event: 'Order Completed',
          user_id: 'u-1',
          properties: { order_id: 'o-1', total: 59.9, currency: 'EUR' },
        },
      },
      {
        type: 'page',
        body: { anonymousId: 'a-1', name: 'Pricing', properties: { url: 'https://shop.example/pricing?x=1' } },
        stored: { event: 'Pricing', anonymous_id: 'a-1', url_path: '/pricing' },
      },
      {
        type: 'screen',
        body: { anonymousId: 'a-1', name: 'Cart', properties: { items: 2 } },
        stored: { event: 'Cart', properties: { items: 2 } },
      },
      {
        type: 'identify',
        body: { userId: 'u-1', anonymousId: 'a-1', traits: { email: 'ana@example.com' } },
        stored: { event: null, user_id: 'u-1', anonymous_id: 'a-1', traits: { email: 'ana@example.com' } },
      },
      {
        type: 'alias',
        body: { userId: 'u-1', previousId: 'a-1' },
        stored: { user_id: 'u-1', previous_id: 'a-1', group_id: null },
      },
      {
        type: 'group',
        body: { userId: 'u-1', groupId: 'company-7', traits: { plan: 'pro' } },
        stored: { group_id: 'company-7', traits: { plan: 'pro' } },
      },
    ];

    it.each(singles)('stores one $type message from POST /v1/$type, with the key in the body', async (single) => {
      const site = await newSite();
      const messageId = uniqueId(single.type);
      const answer = await post(app, `/v1/${single.type}`, { ...single.body, messageId, writeKey: site.writeKey });
      expect(answer.status).toBe(200);
      expect(answer.result).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
      const rows = await eventsOf(site.siteId);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ message_id: messageId, type: single.type, ...single.stored });
      expect((await storedIds(site.siteId)).eventIds).toEqual([messageId]);
    });

    it.each(singles)('stores one $type message from POST /v1/$type, with the key as Basic user', async (single) => {
      const site = await newSite();
      // The type comes from the route, whatever the body says; a server-generated messageId is stored.
      const answer = await post(app, `/v1/${single.type}`, { ...single.body, type: 'bogus' }, { key: site.writeKey });
      expect(answer.result).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
      const rows = await eventsOf(site.siteId);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ type: single.type, ...single.stored });
      expect(rows[0]?.message_id).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('rejects a single message that fails validation with 400 naming the field, storing nothing', async () => {
      const site = await newSite();
      const answer = await post(app, '/v1/track', { anonymousId: 'a', properties: {} }, { key: site.writeKey });
      expect(answer.status).toBe(400);
      expect(answer.error).toMatchObject({ code: 'invalid_message', field: 'event' });
      const alias = await post(app, '/v1/alias', { userId: 'u-1' }, { key: site.writeKey });
      expect(alias.status).toBe(400);
      expect(alias.error?.field).toBe('previousId');
      await expectNothingStored(site.siteId);
    });

    it('reads text/plain bodies (browser beacons) like JSON ones', async () => {
      const site = await newSite();
      const asText = track();
      const asJson = track();
      const text = await post(app, '/v1/batch', JSON.stringify({ batch: [asText] }), {
        key: site.writeKey,
        headers: { 'content-type': 'text/plain;charset=UTF-8' },
      });
      const json = await post(app, '/v1/batch', { batch: [asJson] }, { key: site.writeKey });
      expect([text.result.accepted, json.result.accepted]).toEqual([1, 1]);
      // A beacon without the key header carries it in the body.
      const beacon = track();
      const noHeader = await post(app, '/v1/track', JSON.stringify({ ...beacon, writeKey: site.writeKey }), {
        headers: { 'content-type': 'text/plain' },
      });
      expect(noHeader.result.accepted).toBe(1);
      expect((await storedIds(site.siteId)).events).toEqual(sorted([asText, asJson, beacon].map((m) => m.messageId)));
    });

    it('undoes Content-Encoding: gzip, allowing more than 512 KB once decompressed', async () => {
      const site = await newSite();
      // 500 messages of about 2 KB: over 1 MB of JSON that compresses far below the wire limit.
      const batch = Array.from({ length: 500 }, (_, i) => track({ properties: { i, note: 'x'.repeat(2000) } }));
      const json = JSON.stringify({ batch });
      expect(json.length).toBeGreaterThan(1024 * 1024);
      const gz = new Uint8Array(gzipSync(json));
      expect(gz.byteLength).toBeLessThan(512 * 1024);
      const answer = await post(app, '/v1/batch', gz, {
        key: site.writeKey,
        headers: { 'content-encoding': 'gzip' },
      });
      expect(answer.status).toBe(200);
      expect(answer.result.accepted).toBe(500);
      const rows = await eventsOf(site.siteId);
      expect(rows).toHaveLength(500);
      expect(rows[499]?.properties).toEqual({ i: 499, note: 'x'.repeat(2000) });
    });

    it('answers a gzip bomb (over 2.5 MB decompressed) with 413 and stores nothing', async () => {
      const site = await newSite();
      const bomb = JSON.stringify({ batch: [track()], padding: 'a'.repeat(3 * 1024 * 1024) });
      const gz = new Uint8Array(gzipSync(bomb));
      expect(gz.byteLength).toBeLessThan(64 * 1024);
      const answer = await post(app, '/v1/batch', gz, { key: site.writeKey, headers: { 'content-encoding': 'gzip' } });
      expect(answer.status).toBe(413);
      expect(answer.error?.code).toBe('payload_too_large');
      expect(answer.error?.message).toMatch(/decompressed/);
      await expectNothingStored(site.siteId);
    });

    it('answers a body that is not gzip but says so with 400, and an unknown encoding with 415', async () => {
      const site = await newSite();
      const bad = await post(
        app,
        '/v1/batch',
        { batch: [track()] },
        {
          key: site.writeKey,
          headers: { 'content-encoding': 'gzip' },
        },
      );
      expect(bad.status).toBe(400);
      const br = await post(
        app,
        '/v1/batch',
        { batch: [track()] },
        {
          key: site.writeKey,
          headers: { 'content-encoding': 'br' },
        },
      );
      expect(br.status).toBe(415);
      await expectNothingStored(site.siteId);
    });

    it('answers a body over 512 KB with 413 and stores nothing', async () => {
      const site = await newSite();
      const batch = Array.from({ length: 20 }, () => track({ properties: { blob: 'y'.repeat(28 * 1024) } }));
      const body = JSON.stringify({ batch });
      expect(body.length).toBeGreaterThan(512 * 1024);
      const streamed = await post(app, '/v1/batch', body, { key: site.writeKey });
      expect(streamed.status).toBe(413);
      expect(streamed.error?.code).toBe('payload_too_large');
      // A declared length over the limit is refused before the body is read.
      const declared = await post(app, '/v1/batch', body, {
        key: site.writeKey,
        headers: { 'content-length': String(Buffer.byteLength(body)) },
      });
      expect(declared.status).toBe(413);
      // The wire limit holds for compressed bodies too: random text hardly compresses.
      const noise = JSON.stringify({
        batch: [track({ properties: { noise: randomBytes(600 * 1024).toString('base64') } })],
      });
      const gz = new Uint8Array(gzipSync(noise));
      expect(gz.byteLength).toBeGreaterThan(512 * 1024);
      const compressed = await post(app, '/v1/batch', gz, {
        key: site.writeKey,
        headers: { 'content-encoding': 'gzip' },
      });
      expect(compressed.status).toBe(413);
      await expectNothingStored(site.siteId);
    });

    it('answers more than 500 messages with 400 naming the field, storing nothing', async () => {
      const site = await newSite();
      const batch = Array.from({ length: 501 }, () => track({ properties: {} }));
      const answer = await post(app, '/v1/batch', { batch }, { key: site.writeKey });
      expect(answer.status).toBe(400);
      expect(answer.error).toMatchObject({ code: 'invalid_batch', field: 'batch' });
      expect(answer.error?.message).toMatch(/500/);
      await expectNothingStored(site.siteId);
    });

    it('rejects a message over 32 KB alone and stores the rest', async () => {
      const site = await newSite();
      const big = track({ properties: { blob: 'z'.repeat(MAX_MESSAGE_BYTES) } });
      const batch = [track(), big, track()];
      const answer = await post(app, '/v1/batch', { batch }, { key: site.writeKey });
      expect(answer.status).toBe(200);
      expect(answer.result.accepted).toBe(2);
      expect(answer.result.rejected).toEqual([
        { index: 1, messageId: big.messageId, error: expect.stringMatching(/32 KB/) },
      ]);
      expect((await storedIds(site.siteId)).events).toEqual(sorted([batch[0]?.messageId, batch[2]?.messageId]));
    });

    it('answers malformed JSON and bodies of the wrong shape with 400, storing nothing', async () => {
      const site = await newSite();
      const text = JSON.stringify({ batch: [track()] });
      const truncated = await post(app, '/v1/batch', text.slice(0, -5), { key: site.writeKey });
      expect(truncated.status).toBe(400);
      expect(truncated.error?.code).toBe('malformed_json');
      const array = await post(app, '/v1/batch', [track()], { key: site.writeKey });
      expect(array.status).toBe(400);
      expect(array.error?.code).toBe('invalid_body');
      const noBatch = await post(app, '/v1/batch', { messages: [track()] }, { key: site.writeKey });
      expect(noBatch.status).toBe(400);
      expect(noBatch.error).toMatchObject({ code: 'invalid_batch', field: 'batch' });
      const empty = await post(app, '/v1/batch', '', { key: site.writeKey });
      expect(empty.status).toBe(400);
      await expectNothingStored(site.siteId);
    });

    it('answers an unknown or missing write key with 401, storing nothing', async () => {
      const site = await newSite();
      const forged = `${site.writeKey.slice(0, -4)}zzzz`;
      const header = await post(app, '/v1/batch', { batch: [track()] }, { key: forged });
      expect(header.status).toBe(401);
      expect(header.error?.code).toBe('unknown_write_key');
      const inBody = await post(app, '/v1/track', { ...track(), writeKey: 'wk_nonsense' });
      expect(inBody.status).toBe(401);
      const missing = await post(app, '/v1/batch', { batch: [track()] });
      expect(missing.status).toBe(401);
      expect(missing.error?.code).toBe('missing_write_key');
      await expectNothingStored(site.siteId);
    });
  });

  describe('origins and CORS', () => {
    it('answers an Origin the site does not allow with 403 and stores nothing', async () => {
      const site = await newSite();
      const other = await newSite();
      // Allowed for another site is not enough.
      for (const origin of ['https://evil.example', other.origin]) {
        const answer = await post(app, '/v1/batch', { batch: [track()] }, { key: site.writeKey, headers: { origin } });
        expect(answer.status).toBe(403);
        expect(answer.error).toMatchObject({ code: 'origin_not_allowed', field: 'Origin' });
        const single = await post(app, '/v1/track', { ...track(), writeKey: site.writeKey }, { headers: { origin } });
        expect(single.status).toBe(403);
      }
      await expectNothingStored(site.siteId);
    });

    it('stores a request from an allowed Origin and lets the page read the answer', async () => {
      const site = await newSite();
      const message = track();
      const answer = await post(
        app,
        '/v1/batch',
        { batch: [message] },
        {
          key: site.writeKey,
          headers: { origin: site.origin },
        },
      );
      expect(answer.status).toBe(200);
      expect(answer.headers.get('access-control-allow-origin')).toBe(site.origin);
      expect((await storedIds(site.siteId)).events).toEqual([message.messageId]);
    });

    it('answers a preflight for an allowed origin with 204 and CORS headers, and 403 for an unknown one', async () => {
      const site = await newSite();
      const preflight = (origin: string) =>
        app.request('/v1/batch', {
          method: 'OPTIONS',
          headers: {
            origin,
            'access-control-request-method': 'POST',
            'access-control-request-headers': 'content-type',
          },
        });
      const allowed = await preflight(site.origin);
      expect(allowed.status).toBe(204);
      expect(allowed.headers.get('access-control-allow-origin')).toBe(site.origin);
      expect(allowed.headers.get('access-control-allow-methods')).toContain('POST');
      expect(allowed.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('content-type');
      const unknown = await preflight('https://unknown.example');
      expect(unknown.status).toBe(403);
      expect(unknown.headers.get('access-control-allow-origin')).toBeNull();
      await expectNothingStored(site.siteId);
    });
  });

  describe('rate limit', () => {
    it('answers 429 with Retry-After to a noisy key while another site is still accepted', async () => {
      const limited = createApp({
        db,
        config: { ...ROOMY, RATE_LIMIT_RPS: 1, RATE_LIMIT_BURST: 2 },
        remoteAddress: () => PEER,
      });
      const noisy = await newSite();
      const quiet = await newSite();
      const noisyMessages = Array.from({ length: 6 }, () => track());
      const quietMessage = track();
      const [quietAnswer, ...noisyAnswers] = await Promise.all([
        post(limited.app, '/v1/batch', { batch: [quietMessage] }, { key: quiet.writeKey }),
        ...noisyMessages.map((m) => post(limited.app, '/v1/batch', { batch: [m] }, { key: noisy.writeKey })),
      ]);
      await limited.drain();

      expect(noisyAnswers.every((a) => a.status === 200 || a.status === 429)).toBe(true);
      const refused = noisyAnswers.filter((a) => a.status === 429);
      expect(refused.length).toBeGreaterThan(0);
      for (const a of refused) {
        expect(a.error?.code).toBe('rate_limited');
        expect(Number(a.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      }
      const acceptedIds = noisyMessages.filter((_, i) => noisyAnswers[i]?.status === 200).map((m) => m.messageId);
      expect((await storedIds(noisy.siteId)).events).toEqual(sorted(acceptedIds));

      expect(quietAnswer?.status).toBe(200);
      expect((await storedIds(quiet.siteId)).events).toEqual([quietMessage.messageId]);
    });
  });

  describe('partial batches and deduplication', () => {
    it('stores the valid messages of a batch and lists the rejected ones with index, messageId and a reason', async () => {
      const site = await newSite();
      const batch: unknown[] = [
        track(),
        { type: 'track', messageId: 'no-event', anonymousId: 'a' },
        { type: 'track', messageId: 'nobody', event: 'Cart Viewed' },
        track(),
        { type: 'purchase', messageId: 'bad-type', anonymousId: 'a' },
        'not a message',
        track({ timestamp: 'yesterday' }),
      ];
      const answer = await post(app, '/v1/batch', { batch }, { key: site.writeKey });
      expect(answer.status).toBe(200);
      expect(answer.result.accepted).toBe(2);
      expect(answer.result.duplicates).toBe(0);
      const rejected = answer.result.rejected;
      expect(rejected.map((r) => [r.index, r.messageId])).toEqual([
        [1, 'no-event'],
        [2, 'nobody'],
        [4, 'bad-type'],
        [5, null],
        [6, (batch[6] as { messageId: string }).messageId],
      ]);
      expect(rejected[0]?.error).toMatch(/^event: /);
      expect(rejected[1]?.error).toMatch(/userId or anonymousId/);
      expect(rejected[2]?.error).toMatch(/^type: /);
      expect(rejected[4]?.error).toMatch(/^timestamp: /);
      const valid = [batch[0], batch[3]].map((m) => (m as { messageId: string }).messageId);
      expect(await storedIds(site.siteId)).toEqual({ events: sorted(valid), eventIds: sorted(valid) });
    });

    it('stores a message sent twice once and counts the second as a duplicate', async () => {
      const site = await newSite();
      const message = track();
      const first = await post(app, '/v1/batch', { batch: [message] }, { key: site.writeKey });
      const second = await post(app, '/v1/batch', { batch: [message, track()] }, { key: site.writeKey });
      const single = await post(app, '/v1/track', message, { key: site.writeKey });
      expect(first.result).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
      expect(second.result).toEqual({ accepted: 1, duplicates: 1, rejected: [] });
      expect(single.result).toEqual({ accepted: 0, duplicates: 1, rejected: [] });
      const ids = await storedIds(site.siteId);
      expect(ids.events.filter((id) => id === message.messageId)).toHaveLength(1);
      expect(ids.events).toHaveLength(2);
      expect(ids.eventIds).toEqual(ids.events);
    });

    it('counts a repeat inside one batch as a duplicate, and keeps the same messageId of two sites apart', async () => {
      const site = await newSite();
      const other = await newSite();
      const message = track();
      const answer = await post(app, '/v1/batch', { batch: [message, message] }, { key: site.writeKey });
      expect(answer.result).toEqual({ accepted: 1, duplicates: 1, rejected: [] });
      const elsewhere = await post(app, '/v1/batch', { batch: [message] }, { key: other.writeKey });
      expect(elsewhere.result).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
      expect((await storedIds(site.siteId)).events).toEqual([message.messageId]);
      expect((await storedIds(other.siteId)).events).toEqual([message.messageId]);
    });

    it('stores fifty concurrent sends of one message exactly once, counting 49 duplicates', async () => {
      const site = await newSite();
      const message = track();
      const answers = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          i % 2 === 0
            ? post(app, '/v1/batch', { batch: [message] }, { key: site.writeKey })
            : post(app, '/v1/track', message, { key: site.writeKey }),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
      expect(answers.reduce((n, a) => n + a.result.accepted, 0)).toBe(1);
      expect(answers.reduce((n, a) => n + a.result.duplicates, 0)).toBe(49);
      expect(await storedIds(site.siteId)).toEqual({ events: [message.messageId], eventIds: [message.messageId] });
    });
  });

  describe('enrichment', () => {
    it('stores browser, os and device type from the User-Agent header, or from context.userAgent first', async () => {
      const site = await newSite();
      const phone = track();
      const tablet = track();
      const desktop = track({ context: { userAgent: WINDOWS_CHROME } });
      await post(app, '/v1/batch', { batch: [phone] }, { key: site.writeKey, headers: { 'user-agent': IPHONE } });
      await post(app, '/v1/batch', { batch: [tablet] }, { key: site.writeKey, headers: { 'user-agent': IPAD } });
      // A server library forwards the shopper's browser in context; its own User-Agent says nothing.
      await post(app, '/v1/batch', { batch: [desktop] }, { key: site.writeKey, headers: { 'user-agent': 'node' } });
      const rows = await eventsOf(site.siteId);
      expect(rows.map((r) => [r.message_id, r.browser, r.os, r.device_type])).toEqual([
        [phone.messageId, 'Mobile Safari', 'iOS', 'mobile'],
        [tablet.messageId, 'Mobile Safari', 'iOS', 'tablet'],
        [desktop.messageId, 'Chrome', 'Windows', 'desktop'],
      ]);
      expect(rows[2]?.context).toEqual({ userAgent: WINDOWS_CHROME });
    });

    it('stores the peer address truncated and ignores X-Forwarded-For without TRUST_PROXY', async () => {
      const site = await newSite();
      const message = track();
      await post(
        app,
        '/v1/batch',
        { batch: [message] },
        {
          key: site.writeKey,
          headers: { 'x-forwarded-for': '198.51.100.9' },
        },
      );
      const [row] = await eventsOf(site.siteId);
      expect(row?.ip).toBe('203.0.113.0');
      expect(JSON.stringify(row)).not.toContain(PEER);
    });

    it('takes the first X-Forwarded-For address behind a trusted proxy, truncated (IPv4 /24, IPv6 /48)', async () => {
      const proxied = createApp({ db, config: { ...ROOMY, TRUST_PROXY: true }, remoteAddress: () => '10.0.0.1' });
      const site = await newSite();
      const v4 = track();
      const v6 = track();
      const none = track();
      await post(
        proxied.app,
        '/v1/batch',
        { batch: [v4] },
        {
          key: site.writeKey,
          headers: { 'x-forwarded-for': '198.51.100.23, 10.0.0.1' },
        },
      );
      await post(
        proxied.app,
        '/v1/batch',
        { batch: [v6] },
        {
          key: site.writeKey,
          headers: { 'x-forwarded-for': '2001:DB8:85a3:8d3:1319:8a2e:370:7348' },
        },
      );
      await post(proxied.app, '/v1/batch', { batch: [none] }, { key: site.writeKey });
      await proxied.drain();
      const rows = await eventsOf(site.siteId);
      expect(rows.map((r) => [r.message_id, r.ip])).toEqual([
        [v4.messageId, '198.51.100.0'],
        [v6.messageId, '2001:db8:85a3::'],
        [none.messageId, '10.0.0.0'],
      ]);
    });

    it('truncates context.ip from a server library and removes it from the stored context', async () => {
      const site = await newSite();
      const forwarded = track({ context: { ip: '192.0.2.201', locale: 'es-ES', library: { name: 'analytics-node' } } });
      const garbage = track({ context: { ip: 'not-an-ip' } });
      await post(app, '/v1/batch', { batch: [forwarded, garbage] }, { key: site.writeKey });
      const rows = await eventsOf(site.siteId);
      expect(rows[0]).toMatchObject({
        ip: '192.0.2.0',
        context: { locale: 'es-ES', library: { name: 'analytics-node' } },
      });
      expect(rows[0]?.context).not.toHaveProperty('ip');
      expect(JSON.stringify(rows[0])).not.toContain('192.0.2.201');
      // An unreadable address is dropped, never stored as given.
      expect(rows[1]).toMatchObject({ ip: null, context: {} });
    });

    it('moves client times onto the server clock: timestamp − (sentAt − receivedAt)', async () => {
      const site = await newSite();
      const now = Date.now();
      // A client whose clock runs an hour fast sends a batch; its event happened ten seconds before sending.
      const fast = track({ timestamp: new Date(now + HOUR - 10_000).toISOString() });
      await post(
        app,
        '/v1/batch',
        { batch: [fast], sentAt: new Date(now + HOUR).toISOString() },
        { key: site.writeKey },
      );
      // A client two days slow sends one message with its own sentAt.
      const slow = track({
        timestamp: new Date(now - 48 * HOUR - 5_000).toISOString(),
        sentAt: new Date(now - 48 * HOUR).toISOString(),
      });
      await post(app, '/v1/track', slow, { key: site.writeKey });
      // Without sentAt the client's time is kept as it is; originalTimestamp stands in for timestamp.
      const old = track({ timestamp: '2026-01-15T10:00:00.000Z' });
      const original = track({ originalTimestamp: '2026-02-01T08:30:00+01:00' });
      await post(app, '/v1/batch', { batch: [old, original] }, { key: site.writeKey });
      const after = Date.now();

      const rows = await eventsOf(site.siteId);
      const byId = new Map(rows.map((r) => [r.message_id, r]));
      const at = (m: Record<string, unknown>) => byId.get(String(m.messageId));
      for (const r of rows) {
        expect(r.received_at.getTime()).toBeGreaterThanOrEqual(now);
        expect(r.received_at.getTime()).toBeLessThanOrEqual(after);
      }
      const skewed = (m: Record<string, unknown>, before: number) => {
        const row = at(m);
        expect(
          Math.abs((row?.timestamp.getTime() ?? 0) - ((row?.received_at.getTime() ?? 0) - before)),
        ).toBeLessThanOrEqual(1);
      };
      skewed(fast, 10_000);
      skewed(slow, 5_000);
      expect(at(fast)?.original_timestamp?.toISOString()).toBe(fast.timestamp);
      expect(at(fast)?.sent_at?.getTime()).toBe(now + HOUR);
      expect(at(slow)?.sent_at?.getTime()).toBe(now - 48 * HOUR);
      expect(at(old)?.timestamp.toISOString()).toBe('2026-01-15T10:00:00.000Z');
      expect(at(old)?.sent_at).toBeNull();
      expect(at(original)?.timestamp.toISOString()).toBe('2026-02-01T07:30:00.000Z');
    });

    it('puts events more than 23 h in the future at the receive time, and keeps those just under', async () => {
      const site = await newSite();
      const now = Date.now();
      const farFuture = track({ timestamp: new Date(now + 30 * HOUR).toISOString() });
      const nearFuture = track({ timestamp: new Date(now + 22 * HOUR).toISOString() });
      // A sentAt far in the past pushes a present timestamp far into the future: clamped as well.
      const ancientClock = track({ timestamp: new Date(now).toISOString(), sentAt: '1999-01-01T00:00:00Z' });
      await post(app, '/v1/batch', { batch: [farFuture, nearFuture, ancientClock] }, { key: site.writeKey });
      const rows = await eventsOf(site.siteId);
      expect(rows).toHaveLength(3);
      const [far, near, ancient] = rows;
      expect(far?.timestamp.getTime()).toBe(far?.received_at.getTime());
      expect(far?.original_timestamp?.toISOString()).toBe(farFuture.timestamp);
      expect(near?.timestamp.toISOString()).toBe(nearFuture.timestamp);
      expect(ancient?.timestamp.getTime()).toBe(ancient?.received_at.getTime());
    });

    it('fills the hot columns from a $click event and the page context', async () => {
      const site = await newSite();
      const click = track({
        event: '$click',
        context: { page: { url: 'https://shop.example/product/42?ref=mail#reviews', title: 'Shoe' } },
        properties: { selector: 'main > button.buy', x: 120.4, y: 980.6, vw: 1280, rage: false },
      });
      const withPath = track({
        event: '$click',
        context: { page: { path: '/cart', url: 'https://shop.example/other' } },
        properties: { selector: '#checkout', x: '12', y: null, vw: 375 },
      });
      const page = { type: 'page', messageId: uniqueId('page'), anonymousId: 'a', properties: { path: '/about' } };
      await post(app, '/v1/batch', { batch: [click, withPath, page] }, { key: site.writeKey });
      const rows = await eventsOf(site.siteId);
      expect(rows.map((r) => [r.event, r.url_path, r.selector, r.x, r.y, r.viewport_width])).toEqual([
        ['$click', '/product/42', 'main > button.buy', 120, 981, 1280],
        ['$click', '/cart', '#checkout', null, null, 375],
        [null, '/about', null, null, null, null],
      ]);
      // The full properties stay in jsonb.
      expect(rows[0]?.properties).toEqual({ selector: 'main > button.buy', x: 120.4, y: 980.6, vw: 1280, rage: false });
    });

    it('stores a $click whose numbers do not fit an integer column, keeping them only in properties', async () => {
      const site = await newSite();
      const huge = track({
        event: '$click',
        properties: { selector: 'a', x: 2147483647.6, y: -2147483648.7, vw: 1e300 },
      });
      const answer = await post(app, '/v1/batch', { batch: [huge, track()] }, { key: site.writeKey });
      expect(answer.status).toBe(200);
      expect(answer.result.accepted).toBe(2);
      const [row] = await eventsOf(site.siteId);
      expect(row).toMatchObject({ x: null, y: null, viewport_width: null });
      expect(row?.properties).toEqual({ selector: 'a', x: 2147483647.6, y: -2147483648.7, vw: 1e300 });
    });

    it('cuts a long selector or path without splitting a character', async () => {
      const site = await newSite();
      // The emoji's two UTF-16 halves straddle the 512-character cut of the selector (and 1000 of the path).
      const selector = `${'s'.repeat(511)}😀tail`;
      const path = `/${'p'.repeat(998)}😀tail`;
      const click = track({ event: '$click', context: { page: { path } }, properties: { selector, x: 1, y: 2 } });
      const answer = await post(app, '/v1/batch', { batch: [click] }, { key: site.writeKey });
      expect(answer.status).toBe(200);
      expect(answer.result.accepted).toBe(1);
      const [row] = await eventsOf(site.siteId);
      expect(row?.selector).toBe('s'.repeat(511));
      expect(row?.url_path).toBe(`/${'p'.repeat(998)}`);
      expect(row?.properties).toMatchObject({ selector });
    });
  });

  describe('text Postgres cannot store', () => {
    it('rejects NUL, lone surrogates and deep nesting for that message only, storing the rest', async () => {
      const site = await newSite();
      const ok1 = track();
      const ok2 = track();
      const items = [
        JSON.stringify(ok1),
        // Escapes written by hand, as a hostile or broken client would send them.
        `{"type":"track","messageId":"nul","anonymousId":"a","event":"Nul","properties":{"note":"a\\u0000b"}}`,
        `{"type":"track","messageId":"nul-key","anonymousId":"a","event":"Nul","properties":{"\\u0000":1}}`,
        `{"type":"track","messageId":"high","anonymousId":"a","event":"Lone \\ud800 high"}`,
        `{"type":"track","messageId":"low","anonymousId":"a","event":"Low","context":{"x":"\\uDC00"}}`,
        deepTrackText('deep-200', 200),
        deepTrackText('deep-20000', 20_000),
        JSON.stringify(ok2),
      ];
      const answer = await post(app, '/v1/batch', `{"batch":[${items.join(',')}]}`, { key: site.writeKey });
      expect(answer.status).toBe(200);
      expect(answer.result.accepted).toBe(2);
      expect(answer.result.rejected.map((r) => [r.index, r.messageId])).toEqual([
        [1, 'nul'],
        [2, 'nul-key'],
        [3, 'high'],
        [4, 'low'],
        [5, 'deep-200'],
        [6, 'deep-20000'],
      ]);
      for (const r of answer.result.rejected.slice(0, 4)) expect(r.error).toMatch(/NUL|surrogate/);
      for (const r of answer.result.rejected.slice(4)) expect(r.error).toMatch(/nested deeper/);
      expect((await storedIds(site.siteId)).events).toEqual(sorted([ok1.messageId, ok2.messageId]));
    });

    it('answers 400 to such a message on a single-message route, storing nothing', async () => {
      const site = await newSite();
      const bodies = [
        `{"messageId":"nul","anonymousId":"a\\u0000","event":"E"}`,
        `{"messageId":"sur","anonymousId":"a","event":"E","properties":{"k":"\\ud83d"}}`,
        deepTrackText('deep', 5000),
        deepTrackText('deep-limit', MAX_JSON_DEPTH + 1),
      ];
      for (const body of bodies) {
        const answer = await post(app, '/v1/track', body, { key: site.writeKey });
        expect(answer.status).toBe(400);
        expect(answer.error?.code).toBe('invalid_message');
      }
      await expectNothingStored(site.siteId);
    });

    it('keeps what only looks like those escapes: escaped backslashes, surrogate pairs, nesting within the limit', async () => {
      const site = await newSite();
      const items = [
        // The text `C:\u0000` with a real backslash, and `\ud800` likewise.
        `{"type":"track","messageId":"backslash","anonymousId":"a","event":"E","properties":{"p":"C:\\\\u0000","q":"\\\\ud800"}}`,
        // A surrogate pair written as escapes is one emoji.
        `{"type":"track","messageId":"pair","anonymousId":"a","event":"E \\ud83d\\ude00"}`,
        deepTrackText('deep-ok', MAX_JSON_DEPTH - 1),
      ];
      const answer = await post(app, '/v1/batch', `{"batch":[${items.join(',')}]}`, { key: site.writeKey });
      expect(answer.result).toEqual({ accepted: 3, duplicates: 0, rejected: [] });
      const rows = await eventsOf(site.siteId);
      expect(rows[0]?.properties).toEqual({ p: 'C:\\u0000', q: '\\ud800' });
      expect(rows[1]?.event).toBe('E 😀');
      expect(rows[2]?.message_id).toBe('deep-ok');
    });
  });

  describe('health', () => {
    it('answers /healthz and /readyz', async () => {
      const health = await app.request('/healthz');
      expect(health.status).toBe(200);
      const ready = await app.request('/readyz');
      expect(ready.status).toBe(200);
      // The projector does not run in these tests, so everything stored is still waiting to be projected.
      expect(await ready.json()).toMatchObject({ status: 'ready', projectorLag: expect.any(Number) });
    });
  });
});
