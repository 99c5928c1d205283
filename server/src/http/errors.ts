// The one error type handlers throw; app.onError turns it into `{ error: { code, message, field? } }`.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export class AppError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }

  toBody() {
    return { error: { code: this.code, message: this.message, ...(this.field ? { field: this.field } : {}) } };
  }
}

/** app.onError: an AppError becomes its JSON body; anything else is logged with the request id and hidden. */
export function errorResponse(err: Error, c: Context): Response {
  if (err instanceof AppError) return c.json(err.toBody(), err.status, err.headers);
  const id = c.get('requestId') ?? 'unknown';
  console.error(`request ${id} failed:`, err);
  return c.json({ error: { code: 'internal', message: `internal error (request ${id})` } }, 500);
}
