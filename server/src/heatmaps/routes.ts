// GET /api/heatmaps/{clicks,selectors,scroll,pages} (staff or secret key): the aggregates of a site for a range of days.
import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/index.ts';
import type { SiteEnv } from '../http/middleware/secret-key.ts';
import { requireStaff } from '../http/middleware/staff.ts';
import { dayRange, queryParams } from '../http/query.ts';
import { clickGrid, scrollDistribution, topPages, topSelectors } from './queries.ts';

/** The longest range one request may sum over (a leap year). */
export const MAX_RANGE_DAYS = 366;

const range = dayRange(MAX_RANGE_DAYS);
const device = z.enum(['mobile', 'tablet', 'desktop']);
/** A page as the aggregates key it: the URL's path. */
export const pagePath = z.string().startsWith('/', 'a page path starting with /').max(1000);
const limit = (max: number, fallback: number) => z.coerce.number().int().min(1).max(max).default(fallback);

const clicksQuery = z.object({ path: pagePath, device }).and(range);
const selectorsQuery = z
  .object({
    path: pagePath,
    device: device.optional(),
    limit: limit(100, 20),
    order: z.enum(['clicks', 'rage']).default('clicks'),
  })
  .and(range);
const scrollQuery = z.object({ path: pagePath, device: device.optional() }).and(range);
const pagesQuery = z.object({ device: device.optional(), limit: limit(500, 50) }).and(range);

export function heatmapRoutes(db: Kysely<Database>) {
  return new Hono<SiteEnv>()
    .use('/api/heatmaps/*', requireStaff(db))
    .get('/api/heatmaps/clicks', queryParams(clicksQuery), async (c) =>
      c.json(await clickGrid(db, c.get('site').siteId, c.req.valid('query')), 200),
    )
    .get('/api/heatmaps/selectors', queryParams(selectorsQuery), async (c) =>
      c.json({ selectors: await topSelectors(db, c.get('site').siteId, c.req.valid('query')) }, 200),
    )
    .get('/api/heatmaps/scroll', queryParams(scrollQuery), async (c) =>
      c.json(await scrollDistribution(db, c.get('site').siteId, c.req.valid('query')), 200),
    )
    .get('/api/heatmaps/pages', queryParams(pagesQuery), async (c) =>
      c.json({ pages: await topPages(db, c.get('site').siteId, c.req.valid('query')) }, 200),
    );
}
