// GET /api/heatmaps/{clicks,selectors,scroll,pages} (secret key): the aggregates of a site for a range of days.
import { type Context, Hono } from 'hono';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/index.ts';
import { AppError } from '../http/errors.ts';
import type { SiteEnv } from '../http/middleware/secret-key.ts';
import { requireStaff } from '../http/middleware/staff.ts';
import { clickGrid, scrollDistribution, topPages, topSelectors } from './queries.ts';

/** The longest range one request may sum over (a leap year). */
export const MAX_RANGE_DAYS = 366;
const DAY_MS = 86_400_000;

/** A real calendar day: the format alone would let 2026-02-30 through to a database error. */
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  .refine((s) => {
    const t = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(t.getTime()) && t.toISOString().startsWith(s);
  }, 'not a calendar date');

const range = z
  .object({ from: day, to: day })
  .refine((r) => r.from <= r.to, { message: 'must not be before `from`', path: ['to'] })
  .refine((r) => (Date.parse(r.to) - Date.parse(r.from)) / DAY_MS + 1 <= MAX_RANGE_DAYS, {
    message: `a range of at most ${MAX_RANGE_DAYS} days`,
    path: ['to'],
  });

const device = z.enum(['mobile', 'tablet', 'desktop']);
const path = z.string().startsWith('/', 'a page path starting with /').max(1000);
const limit = (max: number, fallback: number) => z.coerce.number().int().min(1).max(max).default(fallback);

const clicksQuery = z.object({ path, device }).and(range);
const selectorsQuery = z
  .object({
    path,
    device: device.optional(),
    limit: limit(100, 20),
    order: z.enum(['clicks', 'rage']).default('clicks'),
  })
  .and(range);
const scrollQuery = z.object({ path, device: device.optional() }).and(range);
const pagesQuery = z.object({ device: device.optional(), limit: limit(500, 50) }).and(range);

/** The query string through zod: a 400 naming the first bad field, never a 500. */
function readQuery<T extends z.ZodType>(c: Context, schema: T): z.infer<T> {
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

export function heatmapRoutes(db: Kysely<Database>) {
  return new Hono<SiteEnv>()
    .use('/api/heatmaps/*', requireStaff(db))
    .get('/api/heatmaps/clicks', async (c) => {
      const q = readQuery(c, clicksQuery);
      return c.json(await clickGrid(db, c.get('site').siteId, q), 200);
    })
    .get('/api/heatmaps/selectors', async (c) => {
      const q = readQuery(c, selectorsQuery);
      return c.json({ selectors: await topSelectors(db, c.get('site').siteId, q) }, 200);
    })
    .get('/api/heatmaps/scroll', async (c) => {
      const q = readQuery(c, scrollQuery);
      return c.json(await scrollDistribution(db, c.get('site').siteId, q), 200);
    })
    .get('/api/heatmaps/pages', async (c) => {
      const q = readQuery(c, pagesQuery);
      return c.json({ pages: await topPages(db, c.get('site').siteId, q) }, 200);
    });
}
