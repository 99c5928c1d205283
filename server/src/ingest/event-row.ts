// Turns a validated message into the row stored in `events`: hot columns pulled out, enrichment added.
import type { Message } from '../protocol/index.ts';
import { truncateIp } from './client-ip.ts';
import { parseUserAgent } from './user-agent.ts';

/** One `events` row as it travels to the database (times as ISO strings, inside one JSON parameter). */
export interface EventRow {
  site_id: string;
  message_id: string;
  type: string;
  event: string | null;
  anonymous_id: string | null;
  user_id: string | null;
  previous_id: string | null;
  group_id: string | null;
  timestamp: string;
  original_timestamp: string | null;
  sent_at: string | null;
  received_at: string;
  url_path: string | null;
  selector: string | null;
  x: number | null;
  y: number | null;
  viewport_width: number | null;
  browser: string | null;
  os: string | null;
  device_type: string | null;
  ip: string | null;
  properties: Record<string, unknown> | null;
  traits: Record<string, unknown> | null;
  context: Record<string, unknown> | null;
}

/** The columns of `events` a row fills, in a fixed order, with their Postgres types. */
export const eventColumns = [
  ['site_id', 'text'],
  ['message_id', 'text'],
  ['type', 'text'],
  ['event', 'text'],
  ['anonymous_id', 'text'],
  ['user_id', 'text'],
  ['previous_id', 'text'],
  ['group_id', 'text'],
  ['timestamp', 'timestamptz'],
  ['original_timestamp', 'timestamptz'],
  ['sent_at', 'timestamptz'],
  ['received_at', 'timestamptz'],
  ['url_path', 'text'],
  ['selector', 'text'],
  ['x', 'integer'],
  ['y', 'integer'],
  ['viewport_width', 'integer'],
  ['browser', 'text'],
  ['os', 'text'],
  ['device_type', 'text'],
  ['ip', 'text'],
  ['properties', 'jsonb'],
  ['traits', 'jsonb'],
  ['context', 'jsonb'],
] as const satisfies readonly (readonly [keyof EventRow, string])[];

/** What the request adds to each of its messages. */
export interface RequestFacts {
  siteId: string;
  receivedAt: number;
  batchSentAt: string | undefined;
  requestIp: string | undefined;
  requestUserAgent: string | undefined;
  newMessageId: () => string;
}

/** Events claiming to be further ahead than this are put at the receive time (Segment does the same). */
const MAX_FUTURE_MS = 23 * 60 * 60 * 1000;
/** 10000-01-01: ISO strings stop at year 9999. */
const MAX_TIME = 253402300800000;

type Json = Record<string, unknown>;

/** At most `max` UTF-16 units, never cutting a surrogate pair in half (Postgres refuses the lone half). */
function cut(s: string, max: number): string {
  if (s.length <= max) return s;
  const last = s.charCodeAt(max - 1);
  return s.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}

const text = (v: unknown, max: number): string | null => (typeof v === 'string' && v.length > 0 ? cut(v, max) : null);

/** A number for an integer column; null when it does not fit once rounded (one bad row would fail its whole group). */
function int32(v: unknown): number | null {
  if (typeof v !== 'number') return null;
  const n = Math.round(v);
  return n >= -(2 ** 31) && n < 2 ** 31 ? n : null;
}

const asObject = (v: unknown): Json | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;

function pathOf(url: string | null): string | null {
  if (!url) return null;
  try {
    return cut(new URL(url, 'http://x').pathname, 1000);
  } catch {
    return null;
  }
}

/** A client time as the database will read it, or null when it is unreadable or before 1970. */
const isoOrNull = (ms: number): string | null => (ms >= 0 && ms < MAX_TIME ? new Date(ms).toISOString() : null);
const parseTime = (value: string | undefined): number => (value ? Date.parse(value) : Number.NaN);

/** Remembers the last call: the messages of a request share their receive time and usually their sentAt. */
function lastCall<A, R>(f: (a: A) => R): (a: A) => R {
  let lastArg: A | undefined;
  let lastResult: R | undefined;
  let called = false;
  return (a) => {
    if (!called || a !== lastArg) {
      lastResult = f(a);
      lastArg = a;
      called = true;
    }
    return lastResult as R;
  };
}
const receivedIso = lastCall((ms: number) => new Date(ms).toISOString());
const sentIso = lastCall(isoOrNull);
const parseSentAt = lastCall(parseTime);

/** `timestamp − (sentAt − receivedAt)`: moves a client's clock onto the server's. */
export function correctedTime(timestamp: number, sentAt: number, receivedAt: number): number {
  let t = timestamp;
  if (!Number.isNaN(sentAt)) t -= sentAt - receivedAt;
  if (Number.isNaN(t) || t > receivedAt + MAX_FUTURE_MS || t < 0) return receivedAt;
  return t;
}

export function toEventRow(m: Message, facts: RequestFacts): EventRow {
  const context = m.context;
  const page = asObject(context?.page);
  const properties = 'properties' in m ? (m.properties ?? null) : null;
  const traits = 'traits' in m ? (m.traits ?? null) : null;
  const ua = parseUserAgent(text(context?.userAgent, 1000) ?? facts.requestUserAgent);
  const clientTime = parseTime(m.timestamp ?? m.originalTimestamp);
  const sentAt = parseSentAt(m.sentAt ?? facts.batchSentAt);
  // A server-side library may forward the shopper's IP in context.ip; it is kept only truncated.
  const forwardedIp = typeof context?.ip === 'string' ? context.ip : undefined;
  let storedContext: Json | null = context ?? null;
  if (context && 'ip' in context) {
    const { ip: _ip, ...rest } = context;
    storedContext = rest;
  }
  const urlPath =
    text(page?.path, 1000) ??
    pathOf(text(page?.url, 4000)) ??
    (m.type === 'page' ? (text(properties?.path, 1000) ?? pathOf(text(properties?.url, 4000))) : null);
  return {
    site_id: facts.siteId,
    message_id: m.messageId ?? facts.newMessageId(),
    type: m.type,
    event: m.type === 'track' ? m.event : m.type === 'page' || m.type === 'screen' ? (m.name ?? null) : null,
    anonymous_id: m.anonymousId ?? null,
    user_id: m.userId ?? null,
    previous_id: m.type === 'alias' ? m.previousId : null,
    group_id: m.type === 'group' ? m.groupId : null,
    timestamp: new Date(correctedTime(clientTime, sentAt, facts.receivedAt)).toISOString(),
    original_timestamp: isoOrNull(clientTime),
    sent_at: sentIso(sentAt),
    received_at: receivedIso(facts.receivedAt),
    url_path: urlPath,
    selector: text(properties?.selector, 512),
    x: int32(properties?.x),
    y: int32(properties?.y),
    viewport_width: int32(properties?.vw),
    browser: ua.browser,
    os: ua.os,
    device_type: ua.deviceType,
    ip: truncateIp(forwardedIp ?? facts.requestIp),
    properties,
    traits,
    context: storedContext,
  };
}
