// Query strings through zod, so a bad parameter is a 400 naming it, never a 500; and the day ranges reports take.
import type { Context, MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { AppError } from './errors.ts';

export function readQuery<T extends z.ZodType>(c: Context, schema: T): z.infer<T> {
  const parsed = schema.safeParse(c.req.query());
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.join('.') || undefined;
  throw new AppError(
    400,
    'invalid_query',
    issue ? `${field ? `${field}: ` : ''}${issue.message}` : 'invalid query',
    field,
  );
}

/**
 * The query read through zod and handed to the handler as `c.req.valid('query')`, so the dashboard's typed
 * client knows the parameters (as jsonBody does for bodies).
 */
export function queryParams<T extends z.ZodType>(
  schema: T,
): MiddlewareHandler<object, string, { in: { query: z.input<T> }; out: { query: z.output<T> } }> {
  return async (c, next) => {
    c.req.addValidatedData('query', readQuery(c, schema) as object);
    await next();
  };
}

const DAY_MS = 86_400_000;

/** A real calendar day: the format alone would let 2026-02-30 through to a database error. */
export const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  .refine((s) => {
    const t = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(t.getTime()) && t.toISOString().startsWith(s);
  }, 'not a calendar date');

/** `from`..`to`, inclusive UTC days, at most `maxDays` long. */
export const dayRange = (maxDays: number) =>
  z
    .object({ from: isoDay, to: isoDay })
    .refine((r) => r.from <= r.to, { message: 'must not be before `from`', path: ['to'] })
    .refine((r) => (Date.parse(r.to) - Date.parse(r.from)) / DAY_MS + 1 <= maxDays, {
      message: `a range of at most ${maxDays} days`,
      path: ['to'],
    });
