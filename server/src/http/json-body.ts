// A JSON body read through zod (readJson: size cap, malformed JSON and bad fields are 400s naming the field)
// and handed to the handler as `c.req.valid('json')`, so the dashboard's typed client knows the body's shape.
import type { MiddlewareHandler } from 'hono';
import type { z } from 'zod';
import { readJson } from '../conversations/index.ts';

export function jsonBody<T extends z.ZodType>(
  schema: T,
): MiddlewareHandler<object, string, { in: { json: z.input<T> }; out: { json: z.output<T> } }> {
  return async (c, next) => {
    c.req.addValidatedData('json', (await readJson(c, schema)) as object);
    await next();
  };
}
