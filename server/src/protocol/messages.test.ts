// The fast path of parseMessage must agree with messageSchema on every input: same verdict, same value.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { messageSchema, messageTypes, parseMessage } from './index.ts';

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
/** Mostly valid values, so that one bad field at a time decides the verdict. */
const mostly = <T, U>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<U>) =>
  fc.oneof({ arbitrary: valid, weight: 9 }, { arbitrary: invalid, weight: 1 });
const id = mostly(
  fc.stringMatching(/^[a-z0-9-]{1,12}$/),
  fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.constantFrom('', ' padded ', '\u00a0nbsp', 'line\u2028', '\ufeffbom', '\ttab', 'a'.repeat(101), 'b'.repeat(201)),
    fc.integer(),
    fc.constant(null),
  ),
);
const time = mostly(
  fc
    .date({ min: new Date('1990-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
    .map((d) => d.toISOString()),
  fc.constantFrom(
    '2026-02-29T10:00:00Z',
    '2024-02-29T10:00:00Z',
    '2026-11-23T10:00:00+01:00',
    '2026-11-23T10:00',
    '2026-11-23',
    'yesterday',
    7,
  ),
);
const object = mostly(
  fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
  fc.constantFrom(null, [], 'text', JSON.parse('{"__proto__":{"x":1},"y":2}') as object),
);
const name = mostly(fc.string({ maxLength: 8 }), fc.constantFrom('n'.repeat(200), 'n'.repeat(201), 3));

const message = fc.record(
  {
    type: mostly(fc.constantFrom(...messageTypes), fc.constantFrom('Track', 'other', 1)),
    messageId: maybe(id),
    anonymousId: maybe(id),
    userId: maybe(id),
    timestamp: maybe(time),
    originalTimestamp: maybe(time),
    sentAt: maybe(time),
    context: maybe(object),
    integrations: maybe(object),
    event: maybe(fc.oneof(id, fc.constant('Order Completed'))),
    name: maybe(name),
    category: maybe(name),
    properties: maybe(object),
    traits: maybe(object),
    groupId: maybe(id),
    previousId: maybe(id),
    writeKey: maybe(fc.string()),
  },
  { requiredKeys: ['type'] },
);

describe('parseMessage', () => {
  it('gives the same verdict and value as the zod schema', () => {
    fc.assert(
      fc.property(message, (raw) => {
        const fast = parseMessage(raw);
        const slow = messageSchema.safeParse(raw);
        expect(fast.success).toBe(slow.success);
        if (fast.success && slow.success) expect(fast.data).toEqual(slow.data);
      }),
      { numRuns: 3000 },
    );
  });

  it('answers a typical SDK message without zod and strips unknown keys', () => {
    const raw = {
      type: 'track',
      event: '$click',
      messageId: 'm-1',
      anonymousId: 'a-1',
      timestamp: '2026-11-23T10:00:00.123Z',
      properties: { selector: '#buy', x: 10 },
      context: { page: { path: '/' } },
      writeKey: 'wk',
    };
    const parsed = parseMessage(raw);
    expect(parsed.success && parsed.data).toEqual({
      type: 'track',
      event: '$click',
      messageId: 'm-1',
      anonymousId: 'a-1',
      timestamp: '2026-11-23T10:00:00.123Z',
      properties: { selector: '#buy', x: 10 },
      context: { page: { path: '/' } },
    });
    // The same objects, not copies: that is the point of the fast path.
    expect(parsed.success && 'properties' in parsed.data && parsed.data.properties).toBe(raw.properties);
  });
});
