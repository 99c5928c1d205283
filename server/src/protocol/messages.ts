// Wire schemas of the Segment-compatible tracking API: one message, a batch, and the answer.
import { z } from 'zod';

/** Segment's limits: a batch holds at most 500 messages; one message at most 32 KB. */
export const MAX_BATCH_MESSAGES = 500;
export const MAX_MESSAGE_BYTES = 32 * 1024;

const identifier = z.union([
  z.string().trim().min(1).max(200),
  z
    .number()
    .finite()
    .transform((n) => String(n)),
]);

const jsonObject = z.record(z.string(), z.unknown());
const isoTime = z.iso.datetime({ offset: true, local: true });

const common = {
  messageId: z.string().trim().min(1).max(100).optional(),
  anonymousId: identifier.optional(),
  userId: identifier.optional(),
  timestamp: isoTime.optional(),
  originalTimestamp: isoTime.optional(),
  sentAt: isoTime.optional(),
  context: jsonObject.optional(),
  integrations: jsonObject.optional(),
};

const track = z.object({
  ...common,
  type: z.literal('track'),
  event: z.string().trim().min(1).max(200),
  properties: jsonObject.optional(),
});
const page = z.object({
  ...common,
  type: z.literal('page'),
  name: z.string().max(200).optional(),
  category: z.string().max(200).optional(),
  properties: jsonObject.optional(),
});
const screen = z.object({
  ...common,
  type: z.literal('screen'),
  name: z.string().max(200).optional(),
  properties: jsonObject.optional(),
});
const identify = z.object({ ...common, type: z.literal('identify'), traits: jsonObject.optional() });
const group = z.object({
  ...common,
  type: z.literal('group'),
  groupId: identifier,
  traits: jsonObject.optional(),
});
const alias = z.object({ ...common, type: z.literal('alias'), previousId: identifier, userId: identifier });

export const messageTypes = ['track', 'page', 'screen', 'identify', 'group', 'alias'] as const;
export type MessageType = (typeof messageTypes)[number];

export const messageSchema = z
  .discriminatedUnion('type', [track, page, screen, identify, group, alias])
  .refine((m) => m.userId !== undefined || m.anonymousId !== undefined, {
    message: 'either userId or anonymousId is required',
    path: ['anonymousId'],
  });

export type Message = z.infer<typeof messageSchema>;

/** The envelope of POST /v1/batch; messages are validated one by one so a bad one rejects only itself. */
export const batchSchema = z.object({
  batch: z
    .array(z.unknown())
    .min(1, 'batch must hold at least one message')
    .max(MAX_BATCH_MESSAGES, `batch must hold at most ${MAX_BATCH_MESSAGES} messages`),
  sentAt: isoTime.optional(),
  writeKey: z.string().optional(),
  context: jsonObject.optional(),
});

export interface RejectedMessage {
  index: number;
  messageId: string | null;
  error: string;
}

export interface IngestResult {
  accepted: number;
  duplicates: number;
  rejected: RejectedMessage[];
}

// The fast path. Nearly every message arrives already in normal form (trimmed string ids, ISO times, plain
// objects), which can be checked without zod building a copy of every object; anything else goes to zod.
// It must accept only what messageSchema accepts and return the same value (messages.test.ts checks both).

const timePattern = z.regexes.datetime({ offset: true, local: true });
/** Whether trim() would change the string, answered without trimming for the usual printable-ASCII ends. */
function untrimmed(v: string): boolean {
  const first = v.charCodeAt(0);
  const last = v.charCodeAt(v.length - 1);
  return first > 32 && first < 127 && last > 32 && last < 127 ? true : v.trim() === v;
}
const normalIdentifier = (v: unknown, max: number) =>
  typeof v === 'string' && v.length > 0 && v.length <= max && untrimmed(v);
const optionalId = (v: unknown, max: number) => v === undefined || normalIdentifier(v, max);
const optionalTime = (v: unknown) => v === undefined || (typeof v === 'string' && timePattern.test(v));
// zod rebuilds records key by key, which drops an own `__proto__` key: such objects take the slow path.
const optionalObject = (v: unknown) =>
  v === undefined || (v !== null && typeof v === 'object' && !Array.isArray(v) && !Object.hasOwn(v, '__proto__'));
const optionalName = (v: unknown) => v === undefined || (typeof v === 'string' && v.length <= 200);

type Json = Record<string, unknown> | undefined;

function normalMessage(raw: unknown): Message | undefined {
  if (raw === null || typeof raw !== 'object') return undefined;
  const m = raw as Record<string, unknown>;
  if (
    !optionalId(m.messageId, 100) ||
    !optionalId(m.anonymousId, 200) ||
    !optionalId(m.userId, 200) ||
    (m.anonymousId === undefined && m.userId === undefined) ||
    !optionalTime(m.timestamp) ||
    !optionalTime(m.originalTimestamp) ||
    !optionalTime(m.sentAt) ||
    !optionalObject(m.context) ||
    !optionalObject(m.integrations)
  ) {
    return undefined;
  }
  // One object literal per type (no spread of a shared part): a fixed shape, built in one allocation.
  const { messageId, anonymousId, userId, timestamp, originalTimestamp, sentAt } = m as Record<
    string,
    string | undefined
  >;
  const { context, integrations, properties, traits } = m as Record<string, Json>;
  switch (m.type) {
    case 'track':
      return normalIdentifier(m.event, 200) && optionalObject(properties)
        ? {
            messageId,
            anonymousId,
            userId,
            timestamp,
            originalTimestamp,
            sentAt,
            context,
            integrations,
            type: 'track',
            event: m.event as string,
            properties,
          }
        : undefined;
    case 'page':
      return optionalName(m.name) && optionalName(m.category) && optionalObject(properties)
        ? {
            messageId,
            anonymousId,
            userId,
            timestamp,
            originalTimestamp,
            sentAt,
            context,
            integrations,
            type: 'page',
            name: m.name as string | undefined,
            category: m.category as string | undefined,
            properties,
          }
        : undefined;
    case 'screen':
      return optionalName(m.name) && optionalObject(properties)
        ? {
            messageId,
            anonymousId,
            userId,
            timestamp,
            originalTimestamp,
            sentAt,
            context,
            integrations,
            type: 'screen',
            name: m.name as string | undefined,
            properties,
          }
        : undefined;
    case 'identify':
      return optionalObject(traits)
        ? {
            messageId,
            anonymousId,
            userId,
            timestamp,
            originalTimestamp,
            sentAt,
            context,
            integrations,
            type: 'identify',
            traits,
          }
        : undefined;
    case 'group':
      return normalIdentifier(m.groupId, 200) && optionalObject(traits)
        ? {
            messageId,
            anonymousId,
            userId,
            timestamp,
            originalTimestamp,
            sentAt,
            context,
            integrations,
            type: 'group',
            groupId: m.groupId as string,
            traits,
          }
        : undefined;
    case 'alias':
      return normalIdentifier(m.previousId, 200) && normalIdentifier(m.userId, 200)
        ? {
            messageId,
            anonymousId,
            userId: m.userId as string,
            timestamp,
            originalTimestamp,
            sentAt,
            context,
            integrations,
            type: 'alias',
            previousId: m.previousId as string,
          }
        : undefined;
    default:
      return undefined;
  }
}

/** messageSchema.safeParse, answered without zod for messages already in normal form. */
export function parseMessage(raw: unknown): z.ZodSafeParseResult<Message> {
  const data = normalMessage(raw);
  return data ? { success: true, data } : messageSchema.safeParse(raw);
}
