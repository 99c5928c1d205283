// Reading request bodies and queries through zod, so bad input is a 400 naming the field, never a 500.
import type { Context } from 'hono';
import type { z } from 'zod';
import { AppError } from '../http/errors.ts';

/** JSON bodies of these routes are small: the longest text is 4,000 characters. */
export const MAX_JSON_BYTES = 64 * 1024;

function fail(code: string, error: z.ZodError): never {
  const issue = error.issues[0];
  const field = issue?.path.join('.') || undefined;
  throw new AppError(400, code, issue ? `${field ? `${field}: ` : ''}${issue.message}` : 'invalid input', field);
}

export async function readJson<T extends z.ZodType>(c: Context, schema: T): Promise<z.infer<T>> {
  const declared = Number(c.req.header('content-length') ?? 0);
  if (declared > MAX_JSON_BYTES) throw new AppError(413, 'body_too_large', `body over ${MAX_JSON_BYTES} bytes`);
  const text = await c.req.text();
  if (Buffer.byteLength(text) > MAX_JSON_BYTES)
    throw new AppError(413, 'body_too_large', `body over ${MAX_JSON_BYTES} bytes`);
  let value: unknown;
  try {
    value = text === '' ? {} : JSON.parse(text);
  } catch {
    throw new AppError(400, 'malformed_json', 'body is not valid JSON');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) fail('invalid_body', parsed.error);
  return parsed.data;
}

export function readQuery<T extends z.ZodType>(c: Context, schema: T): z.infer<T> {
  const parsed = schema.safeParse(c.req.query());
  if (!parsed.success) fail('invalid_query', parsed.error);
  return parsed.data;
}

/** Reads a binary body up to `max` bytes, stopping (413) as soon as it is exceeded. */
export async function readBytes(c: Context, max: number): Promise<Uint8Array> {
  const declared = Number(c.req.header('content-length') ?? 0);
  const tooLarge = () => new AppError(413, 'photo_too_large', `a photo may be at most ${max} bytes`);
  if (declared > max) throw tooLarge();
  const body = c.req.raw.body;
  if (!body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
