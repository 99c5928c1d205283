// Property-based: arbitrary and mutated payloads never get a 5xx, and only messages the API accepted are stored.
import { gunzipSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DialectName } from '../db/index.ts';
import { openTestDatabase, type TestDb, testDialects } from '../db/testing.ts';
import { createApp } from '../http/app.ts';
import { type IngestResult, messageTypes } from '../protocol/index.ts';
import { createSite } from '../sites/index.ts';

type App = ReturnType<typeof createApp>['app'];
type Json = Record<string, unknown>;

const NUM_RUNS = 200;
const ORIGIN = 'https://fuzz-shop.example';
const UAS = [
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'curl/8.5.0',
  '',
];

// ---- Raw JSON that JSON.stringify cannot write: placed in the text through `"@@RAW:<i>@@"` tokens. ----
const deepArrays = (n: number) => `${'['.repeat(n)}1${']'.repeat(n)}`;
const deepObjects = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
const RAW_SNIPPETS = [
  '1e999',
  '-1e999',
  '123456789012345678901234567890',
  '1e-400',
  '-0',
  '2147483647.5',
  '"\\u0000"',
  '"a\\ud800b"',
  '"\\udfff"',
  '"\\uDBFF"',
  '"\\ud83d\\ude00"',
  '"\\\\u0000"',
  '"\\\\\\u0000"',
  '"\\u2028\\u2029"',
  '"\\x41"',
  '{"\\u0000":1}',
  '{"__proto__":{"polluted":true}}',
  '{"a":1,"a":2}',
  deepArrays(31),
  deepArrays(33),
  deepObjects(40),
  deepObjects(200),
  deepArrays(6000),
  deepObjects(5000),
  deepArrays(100_000),
];
const rawToken = fc.nat(RAW_SNIPPETS.length - 1).map((i) => `@@RAW:${i}@@`);
const withRawSnippets = (text: string) =>
  text.replace(/"@@RAW:(\d+)@@"/g, (_, i: string) => RAW_SNIPPETS[Number(i)] ?? 'null');

// ---- Values that break things: odd strings, odd numbers, odd shapes. ----
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
const oddChar = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: loneSurrogate },
  { weight: 1, arbitrary: fc.constantFrom('\u0000', '\\', '"', '\u2028', '\ufeff', '😀', '\n', '%', '\u0301') },
);
const weirdString = fc.oneof(
  fc.string({ unit: oddChar, maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.constantFrom('', ' ', '   ', 'null', 'undefined', '\\u0000', '1970-01-01T00:00:00Z', '9999-12-31T23:59:59Z'),
  fc.constantFrom(
    '+275760-09-13T00:00:00Z',
    '2026-02-31T00:00:00Z',
    '2026-01-01T25:00:00Z',
    '2026-01-01T00:00:00+99:00',
  ),
  fc.integer({ min: 100, max: 40_000 }).map((n) => 'x'.repeat(n)),
);
const weirdNumber = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(1e308, -1e308, 2 ** 31, 2 ** 31 - 0.4, -(2 ** 31) - 0.6, 2 ** 53 + 1, 5e-324, -0, 0.5),
);
const nested = (depth: number, leaf: unknown): unknown => {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { n: v };
  return v;
};
const weirdValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: weirdString },
  { weight: 2, arbitrary: weirdNumber },
  { weight: 1, arbitrary: fc.constantFrom(true, false, null, [], {}) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 2, arbitrary: rawToken },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 1, max: 45 }), weirdString).map(([d, leaf]) => nested(d, leaf)) },
);

// ---- Valid messages, then mutations of them. ----
const isoTime = fc
  .date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString());
const identifier = fc.oneof(
  fc.uuid(),
  fc.string({ minLength: 1, maxLength: 12 }).filter((s) => s.trim().length > 0),
  fc.integer(),
);

const validMessage = fc
  .record({
    type: fc.constantFrom(...messageTypes),
    // A small pool of ids makes duplicates within and across requests common.
    messageId: fc.option(fc.oneof(fc.uuid(), fc.constantFrom('dup-a', 'dup-b', 'dup-c', ' dup-a ')), {
      nil: undefined,
    }),
    anonymousId: identifier,
    userId: fc.option(identifier, { nil: undefined }),
    event: fc.constantFrom('Product Viewed', 'Order Completed', '$click', '$scroll'),
    properties: fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
    click: fc.record({
      // Long selectors are cut at 512 UTF-16 units, here sometimes in the middle of an emoji.
      selector: fc.oneof(
        fc.string({ maxLength: 20 }),
        fc.nat(1).map((k) => `${'a'.repeat(k)}${'😀'.repeat(300)}`),
      ),
      x: weirdNumber,
      y: weirdNumber,
      vw: weirdNumber,
    }),
    timestamp: fc.option(isoTime, { nil: undefined }),
    sentAt: fc.option(isoTime, { nil: undefined }),
    page: fc.option(fc.record({ url: fc.webUrl(), path: fc.string({ maxLength: 20 }) }), { nil: undefined }),
    userAgent: fc.option(fc.constantFrom(...UAS), { nil: undefined }),
    ip: fc.option(fc.oneof(fc.ipV4(), fc.ipV6(), fc.string({ maxLength: 10 })), { nil: undefined }),
  })
  .map((m): Json => {
    const context: Json = {};
    if (m.page) context.page = m.page;
    if (m.userAgent !== undefined) context.userAgent = m.userAgent;
    if (m.ip !== undefined) context.ip = m.ip;
    const base: Json = {
      type: m.type,
      messageId: m.messageId,
      anonymousId: m.anonymousId,
      userId: m.userId,
      timestamp: m.timestamp,
      sentAt: m.sentAt,
      context,
    };
    switch (m.type) {
      case 'track':
        return {
          ...base,
          event: m.event,
          properties: m.event === '$click' ? { ...m.properties, ...m.click } : m.properties,
        };
      case 'page':
      case 'screen':
        return { ...base, name: m.event, properties: m.properties };
      case 'identify':
        return { ...base, traits: m.properties };
      case 'group':
        return { ...base, groupId: m.anonymousId, traits: m.properties };
      case 'alias':
        return { ...base, userId: m.userId ?? 'user-1', previousId: m.anonymousId };
      default:
        return base;
    }
  });

const fieldName = fc.oneof(
  fc.constantFrom(
    'type',
    'messageId',
    'anonymousId',
    'userId',
    'event',
    'name',
    'previousId',
    'groupId',
    'timestamp',
    'originalTimestamp',
    'sentAt',
    'properties',
    'traits',
    'context',
    'integrations',
  ),
  fc.constantFrom('properties.x', 'properties.selector', 'properties.vw', 'context.page', 'context.page.url'),
  fc.constantFrom('context.page.path', 'context.userAgent', 'context.ip', 'traits.email'),
  fc.string({ maxLength: 8 }),
);

type Mutation =
  | { op: 'set'; field: string; value: unknown }
  | { op: 'delete'; field: string }
  | { op: 'nest'; field: string; depth: number }
  | { op: 'replace'; value: unknown };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('set' as const), field: fieldName, value: weirdValue }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), field: fieldName }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('nest' as const),
      field: fieldName,
      depth: fc.integer({ min: 1, max: 40 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('replace' as const), value: weirdValue }) },
);

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Sets an own property, even one named `__proto__`. */
function put(target: Json, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Applies a mutation to a copy of the message; dotted fields reach into nested objects, making them as needed. */
function mutate(message: unknown, m: Mutation): unknown {
  if (m.op === 'replace') return m.value;
  if (!isObject(message)) return message;
  const root: Json = structuredClone(message);
  const path = m.field.split('.');
  const last = path.pop() ?? '';
  let target = root;
  for (const key of path) {
    const next = Object.hasOwn(target, key) ? target[key] : undefined;
    if (isObject(next)) target = next;
    else {
      const fresh: Json = {};
      put(target, key, fresh);
      target = fresh;
    }
  }
  if (m.op === 'delete') delete target[last];
  else if (m.op === 'set') put(target, last, m.value);
  else put(target, last, nested(m.depth, Object.hasOwn(target, last) ? target[last] : {}));
  return root;
}

const mutatedMessage = fc
  .tuple(validMessage, fc.oneof(fc.constant<Mutation[]>([]), fc.array(mutation, { minLength: 1, maxLength: 3 })))
  .map(([message, mutations]) => mutations.reduce<unknown>(mutate, message));

type Envelope =
  | { op: 'none' }
  | { op: 'batch'; value: unknown }
  | { op: 'sentAt'; value: unknown }
  | { op: 'writeKey'; value: unknown }
  | { op: 'extra'; value: unknown }
  | { op: 'too-many' };

const envelope: fc.Arbitrary<Envelope> = fc.oneof(
  { weight: 12, arbitrary: fc.constant({ op: 'none' as const }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('batch' as const), value: weirdValue }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('sentAt' as const), value: fc.oneof(isoTime, weirdValue) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('writeKey' as const), value: weirdValue }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('extra' as const), value: weirdValue }) },
  { weight: 1, arbitrary: fc.constant({ op: 'too-many' as const }) },
);

const WRITE_KEY_TOKEN = '@@WRITE_KEY@@';

/** A Segment-shaped body (messages mutated), as JSON text; raw snippets are spliced in when it is sent. */
const structuredBody = fc
  .record({
    route: fc.oneof({ weight: 3, arbitrary: fc.constant('batch' as const) }, fc.constantFrom(...messageTypes)),
    messages: fc.array(mutatedMessage, { minLength: 1, maxLength: 12 }),
    sentAt: fc.option(isoTime, { nil: undefined }),
    keyInBody: fc.boolean(),
    envelope,
  })
  .map(({ route, messages, sentAt, keyInBody, envelope }) => {
    const writeKey = keyInBody ? WRITE_KEY_TOKEN : undefined;
    let body: unknown;
    if (route === 'batch') {
      const batch: Json = { batch: envelope.op === 'too-many' ? Array(501).fill(messages[0] ?? {}) : messages, sentAt };
      if (writeKey) batch.writeKey = writeKey;
      if (envelope.op === 'batch' || envelope.op === 'sentAt' || envelope.op === 'writeKey') {
        put(batch, envelope.op, envelope.value);
      }
      if (envelope.op === 'extra') batch.extra = envelope.value;
      body = batch;
    } else {
      const single = messages[0] ?? {};
      body = isObject(single) && writeKey ? { ...single, writeKey } : single;
    }
    return { route, body: JSON.stringify(body) ?? '' };
  });

type Route = 'batch' | (typeof messageTypes)[number];

/** A fuzzed request, kept as plain values so a failing case prints readably. */
interface FuzzCase {
  route: Route;
  /** The body as text, or raw bytes. */
  body: string | number[];
  textMutation: { op: 'truncate' | 'insert' | 'delete'; at: number; char: string } | null;
  encoding:
    | 'none'
    | 'gzip'
    | 'gzip-header-only'
    | 'gzip-no-header'
    | 'gzip-truncated'
    | 'br'
    | 'GZIP'
    | 'gzip, identity';
  contentType: string | null;
  key: 'basic' | 'wrong' | 'garbage' | 'none';
  origin: string | null;
}

const route: fc.Arbitrary<Route> = fc.constantFrom('batch', ...messageTypes);

const payload: fc.Arbitrary<{ route: Route; body: string | number[] }> = fc.oneof(
  { weight: 6, arbitrary: structuredBody },
  { weight: 1, arbitrary: fc.record({ route, body: fc.json({ maxDepth: 4 }) }) },
  { weight: 1, arbitrary: fc.record({ route, body: fc.array(fc.nat(255), { maxLength: 200 }) }) },
);

const fuzzCase: fc.Arbitrary<FuzzCase> = fc
  .record({
    payload,
    textMutation: fc.oneof(
      { weight: 6, arbitrary: fc.constant(null) },
      {
        weight: 1,
        arbitrary: fc.record({ op: fc.constantFrom('truncate', 'insert', 'delete'), at: fc.nat(), char: oddChar }),
      },
    ),
    encoding: fc.oneof(
      { weight: 8, arbitrary: fc.constant('none' as const) },
      { weight: 3, arbitrary: fc.constant('gzip' as const) },
      {
        weight: 3,
        arbitrary: fc.constantFrom(
          'gzip-header-only' as const,
          'gzip-no-header' as const,
          'gzip-truncated' as const,
          'br' as const,
          'GZIP' as const,
          'gzip, identity' as const,
        ),
      },
    ),
    contentType: fc.constantFrom(
      'application/json',
      'text/plain;charset=UTF-8',
      null,
      'application/x-www-form-urlencoded',
    ),
    key: fc.oneof(
      { weight: 8, arbitrary: fc.constant('basic' as const) },
      { weight: 2, arbitrary: fc.constantFrom('wrong' as const, 'garbage' as const, 'none' as const) },
    ),
    origin: fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom(null, ORIGIN) },
      fc.constantFrom('https://evil.example', 'null'),
    ),
  })
  .map(({ payload, ...rest }) => ({ ...rest, route: payload.route, body: payload.body }));

/** The bytes and headers of a case, given the site's real write key. */
function toRequest(c: FuzzCase, writeKey: string): { body: Uint8Array<ArrayBuffer>; headers: Record<string, string> } {
  let bytes: Buffer;
  if (typeof c.body === 'string') {
    let text = withRawSnippets(c.body).replaceAll(WRITE_KEY_TOKEN, writeKey);
    const m = c.textMutation;
    if (m) {
      const at = m.at % (text.length + 1);
      if (m.op === 'truncate') text = text.slice(0, at);
      else if (m.op === 'insert') text = text.slice(0, at) + m.char + text.slice(at);
      else text = text.slice(0, at) + text.slice(at + 1);
    }
    bytes = Buffer.from(text, 'utf8');
  } else bytes = Buffer.from(c.body);

  const headers: Record<string, string> = {};
  if (c.contentType) headers['content-type'] = c.contentType;
  if (c.origin) headers.origin = c.origin;
  if (c.key === 'basic') headers.authorization = `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;
  if (c.key === 'wrong') headers.authorization = `Basic ${Buffer.from(`${writeKey}x:`).toString('base64')}`;
  if (c.key === 'garbage') headers.authorization = 'Basic !!!not base64';
  switch (c.encoding) {
    case 'gzip':
    case 'GZIP':
    case 'gzip-truncated': {
      const gz = gzipSync(bytes);
      bytes = c.encoding === 'gzip-truncated' ? gz.subarray(0, Math.floor(gz.length / 2)) : gz;
      headers['content-encoding'] = c.encoding === 'GZIP' ? 'GZIP' : 'gzip';
      break;
    }
    case 'gzip-no-header':
      bytes = gzipSync(bytes);
      break;
    case 'gzip-header-only':
      headers['content-encoding'] = 'gzip';
      break;
    case 'br':
    case 'gzip, identity':
      headers['content-encoding'] = c.encoding;
      break;
  }
  return { body: new Uint8Array(bytes), headers };
}

/** What the server read from the body of a request it answered 200: its messages, in order. */
function messagesOf(c: FuzzCase, request: { body: Uint8Array; headers: Record<string, string> }): unknown[] {
  const gz = request.headers['content-encoding']?.toLowerCase() === 'gzip';
  const body: unknown = JSON.parse(Buffer.from(gz ? gunzipSync(request.body) : request.body).toString('utf8'));
  if (!isObject(body)) throw new Error('a 200 for a body that is not an object');
  if (c.route !== 'batch') return [body];
  if (!Array.isArray(body.batch)) throw new Error('a 200 for a batch without an array');
  return body.batch;
}

/** The messageId zod keeps (trimmed), or undefined when the message brings none. */
function messageIdOf(message: unknown): string | undefined {
  if (!isObject(message) || typeof message.messageId !== 'string') return undefined;
  return message.messageId.trim();
}

describe.each(testDialects)('ingestion fuzzing on %s', (dialect: DialectName) => {
  let db: TestDb;
  let app: App;
  let drain: () => Promise<void>;
  let siteId: string;
  let writeKey: string;

  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    ({ siteId, writeKey } = await createSite(db.kysely, { name: 'Fuzzed shop', origins: [ORIGIN] }));
    ({ app, drain } = createApp({
      db,
      config: { TRUST_PROXY: true, RATE_LIMIT_RPS: 1_000_000, RATE_LIMIT_BURST: 1_000_000 },
      remoteAddress: () => '198.51.100.1',
    }));
  });

  afterAll(async () => {
    await drain?.();
    await db?.close();
  });

  const lastSeq = async () =>
    (
      await db.kysely
        .selectFrom('events')
        .select((eb) => eb.fn.max('seq').as('seq'))
        .where('site_id', '=', siteId)
        .executeTakeFirst()
    )?.seq ?? 0;

  it('never answers 5xx, and stores exactly the messages it reports accepted', async () => {
    let answered200 = 0;
    let stored = 0;
    await fc.assert(
      fc.asyncProperty(fuzzCase, async (c) => {
        const before = await lastSeq();
        const request = toRequest(c, writeKey);
        const res = await app.request(`/v1/${c.route}`, { method: 'POST', ...request });
        const answer: { error?: { code?: unknown; message?: unknown } } & Partial<IngestResult> = await res.json();
        expect(res.status).toBeLessThan(500);

        const rows = await db.kysely
          .selectFrom('events')
          .select(['message_id', 'type'])
          .where('site_id', '=', siteId)
          .where('seq', '>', before)
          .execute();
        if (res.status !== 200) {
          expect(answer.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
          expect(rows).toEqual([]);
          return;
        }
        answered200++;
        const result = answer as IngestResult;
        const messages = messagesOf(c, request);
        const rejectedIndexes = result.rejected.map((r) => r.index);
        expect(rejectedIndexes).toEqual([...new Set(rejectedIndexes)].sort((a, b) => a - b));
        for (const r of result.rejected) {
          expect(r.index).toBeLessThan(messages.length);
          expect(r.error.length).toBeGreaterThan(0);
        }
        expect(result.accepted + result.duplicates + result.rejected.length).toBe(messages.length);
        expect(rows).toHaveLength(result.accepted);

        // Every new row belongs to a message that was not rejected: its messageId, or one the server made up.
        const rejected = new Set(rejectedIndexes);
        const kept = messages.filter((_, i) => !rejected.has(i));
        const keptIds = new Set(kept.map(messageIdOf));
        const sentIds = new Set(messages.map(messageIdOf));
        const withoutId = kept.filter((m) => messageIdOf(m) === undefined).length;
        const madeUp = rows.filter((r) => !keptIds.has(r.message_id));
        for (const r of madeUp) expect(sentIds.has(r.message_id)).toBe(false);
        expect(madeUp.length).toBeLessThanOrEqual(withoutId);
        for (const r of rows) {
          const types = kept.filter((m) => messageIdOf(m) === r.message_id).map((m) => (isObject(m) ? m.type : null));
          if (types.length > 0 && c.route === 'batch') expect(types).toContain(r.type);
          if (c.route !== 'batch') expect(r.type).toBe(c.route);
        }
        stored += rows.length;
      }),
      { numRuns: NUM_RUNS },
    );

    // The events and their ids stay one to one, and the run did exercise the storing path.
    const count = async (table: 'events' | 'event_ids') =>
      Number(
        (
          await db.kysely
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .where('site_id', '=', siteId)
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect(await count('events')).toBe(stored);
    expect(await count('event_ids')).toBe(stored);
    expect(answered200).toBeGreaterThan(NUM_RUNS / 10);
    expect(stored).toBeGreaterThan(0);
  });
});
