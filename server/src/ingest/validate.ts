// Validates the messages of a request one by one; a bad message is rejected alone, with a readable reason.
import type { z } from 'zod';
import { MAX_MESSAGE_BYTES, type Message, parseMessage, type RejectedMessage } from '../protocol/index.ts';

/** Deeper JSON than this is refused: Postgres' jsonb parser recurses, and PGlite has a small stack. */
export const MAX_JSON_DEPTH = 32;

/** Readable form of a zod error: `event: Invalid input: expected string, received undefined`. */
export function describeIssues(error: z.ZodError, prefix = ''): { message: string; field: string } {
  const issue = error.issues[0];
  const field = [prefix, ...(issue?.path ?? []).map(String)].filter(Boolean).join('.');
  return { field, message: `${field ? `${field}: ` : ''}${issue?.message ?? 'invalid'}` };
}

/** Index of the quote that closes the string opened at `start`. */
function endOfString(text: string, start: number): number {
  let end = text.indexOf('"', start + 1);
  while (end !== -1) {
    let backslashes = 0;
    while (text.charCodeAt(end - 1 - backslashes) === 92) backslashes++;
    if (backslashes % 2 === 0) return end;
    end = text.indexOf('"', end + 1);
  }
  return text.length;
}

/** Deepest nesting of arrays/objects in a JSON text; strings are jumped over (most of an event is strings). */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) i = endOfString(text, i);
    else if (c === 123 || c === 91) {
      if (++depth > max) max = depth;
    } else if (c === 125 || c === 93) depth--;
  }
  return max;
}

/**
 * Whether a parsed value nests arrays/objects deeper than `max`. Walked without recursion, and before anything
 * stringifies the value: JSON.stringify overflows the stack at a few thousand levels (a 512 KB body holds 250 000).
 */
export function deeperThan(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [v, depth] = next;
    if (v === null || typeof v !== 'object') continue;
    if (depth > max) return true;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

// JSON.stringify writes NUL and lone surrogates as \u escapes; Postgres refuses both in jsonb and text.
// Only a backslash that is not itself escaped starts an escape: the text `C:\\u0000` is storable.
const UNSTORABLE = /(?<!\\)(?:\\\\)*\\u(?:0000|d[89a-f][0-9a-f]{2})/i;

/** What the whole body tells us, so per-message checks run only when they can fail. */
export interface BodyTraits {
  bytes: number;
  hasEscapes: boolean;
  depth: number;
}

export function bodyTraits(text: string, bytes: number): BodyTraits {
  return { bytes, hasEscapes: text.includes('\\u'), depth: jsonDepth(text) };
}

export type Checked = { ok: true; message: Message } | { ok: false; error: string; field: string };

/**
 * Checks one raw message: nesting, size, storable text, then the schema.
 * `envelopeDepth` is how deep the message sits in the body (a batch's messages sit at 2).
 */
export function checkMessage(raw: unknown, body: BodyTraits, envelopeDepth: number): Checked {
  const deepBody = body.depth > MAX_JSON_DEPTH + envelopeDepth;
  if (body.bytes > MAX_MESSAGE_BYTES || body.hasEscapes || deepBody) {
    if (deepBody && deeperThan(raw, MAX_JSON_DEPTH)) {
      return { ok: false, field: '', error: `message is nested deeper than ${MAX_JSON_DEPTH} levels` };
    }
    const json = JSON.stringify(raw) ?? '';
    if (Buffer.byteLength(json) > MAX_MESSAGE_BYTES) {
      return { ok: false, field: '', error: `message is larger than ${MAX_MESSAGE_BYTES / 1024} KB` };
    }
    if (UNSTORABLE.test(json)) {
      return { ok: false, field: '', error: 'message holds a NUL character or an unpaired surrogate' };
    }
  }
  const parsed = parseMessage(raw);
  if (parsed.success) return { ok: true, message: parsed.data };
  const { message, field } = describeIssues(parsed.error);
  return { ok: false, error: message, field };
}

export function rejection(index: number, raw: unknown, error: string): RejectedMessage {
  const id = (raw as { messageId?: unknown } | null)?.messageId;
  return { index, messageId: typeof id === 'string' ? id.slice(0, 100) : null, error };
}
