// GET /v1/recommendations (write key; for the shop's pages), and for the dashboard (staff session or secret key)
// GET /api/recommendations/rules, read from the precomputed tables that refresh.ts maintains, and
// GET /api/recommendations/outcomes, what followed the recommendations shown.
import { type Context, Hono } from 'hono';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/index.ts';
import { AppError } from '../http/errors.ts';
import type { SiteEnv } from '../http/middleware/secret-key.ts';
import { requireStaff } from '../http/middleware/staff.ts';
import { dayRange, queryParams, readQuery } from '../http/query.ts';
import type { Site, SiteDirectory } from '../sites/index.ts';
import { AnswerCache, cachedDetails } from './answer-cache.ts';
import { recommendationOutcomes } from './outcomes.ts';
import { MAX_MINED_BASKETS, siteRules, TooManyBaskets } from './site-rules.ts';
import { boughtTogether, forPerson, type RecommendedProduct } from './store.ts';

/** The longest list one request may ask for (the refresh keeps 50 partners per product). */
export const MAX_LIMIT = 50;

const id = z.string().min(1, 'must not be empty').max(200, 'at most 200 characters');

const recommendationsQuery = z
  .object({
    writeKey: z.string().max(200).optional(),
    product: id.optional(),
    anonymousId: id.optional(),
    userId: id.optional(),
    limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(10),
  })
  .refine((q) => (q.product === undefined) !== (q.anonymousId === undefined && q.userId === undefined), {
    message: 'give either `product`, or `anonymousId` and/or `userId`',
    path: ['product'],
  });

const rulesQuery = z
  .object({
    minSupport: z.coerce.number().gt(0).max(1).default(0.001),
    minConfidence: z.coerce.number().min(0).max(1).default(0.1),
    minLift: z.coerce.number().min(0).default(0),
    offset: z.coerce.number().int().min(0).max(100_000).default(0),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    sort: z.enum(['lift', 'confidence', 'support']).default('lift'),
    maxLen: z.coerce.number().int().min(2).max(5).default(2),
  })
  // Mining with a tiny support on many baskets explodes combinatorially: larger left sides need a real minimum.
  .refine((q) => q.maxLen === 2 || q.minSupport >= 0.001, {
    message: 'must be at least 0.001 when maxLen > 2',
    path: ['minSupport'],
  });

/** The longest range of outcomes one request may read (they are summed from the event log). */
export const MAX_OUTCOME_DAYS = 366;

const outcomesQuery = z
  .object({
    windowDays: z.coerce.number().int().min(1).max(90).default(7),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    sort: z.enum(['impressions', 'clicks', 'orders', 'revenue']).default('impressions'),
  })
  .and(dayRange(MAX_OUTCOME_DAYS));

/** Segment's libraries send the write key as the Basic-auth user name; a browser can use `?writeKey=`. */
function writeKeyOf(c: Context): string | undefined {
  const header = c.req.header('authorization');
  if (header?.startsWith('Basic ')) {
    return Buffer.from(header.slice(6).trim(), 'base64').toString('utf8').split(':')[0] || undefined;
  }
  return c.req.query('writeKey') || undefined;
}

async function admit(c: Context, sites: SiteDirectory): Promise<Site> {
  const key = writeKeyOf(c);
  if (!key)
    throw new AppError(401, 'missing_write_key', 'send the write key as `?writeKey=` or the Basic-auth user name');
  const site = await sites.byWriteKey(key);
  if (!site) throw new AppError(401, 'unknown_write_key', 'unknown write key');
  // As on the ingest API: browsers always send Origin cross-origin; a server-side caller has none.
  const origin = c.req.header('origin');
  if (origin && !site.allowedOrigins.includes(origin)) {
    throw new AppError(403, 'origin_not_allowed', `origin ${origin} is not allowed for this site`, 'Origin');
  }
  return site;
}

export interface ServeOptions {
  /** How long an answer is reused in this process (0: never); the tables change only at a refresh. */
  cacheMs?: number;
}

export function recommendationRoutes(db: Kysely<Database>, sites: SiteDirectory, options: ServeOptions = {}) {
  const cacheMs = options.cacheMs ?? 5_000;
  const cache = new AnswerCache<RecommendedProduct[]>(cacheMs);
  const details = cacheMs > 0 ? cachedDetails(60_000) : undefined;
  return new Hono().get('/v1/recommendations', async (c) => {
    const site = await admit(c, sites);
    const q = readQuery(c, recommendationsQuery);
    const s = site.siteId;
    if (q.product !== undefined) {
      const product = q.product;
      const recommendations = await cache.get(`${s}\0p\0${product}\0${q.limit}`, () =>
        boughtTogether(db, s, product, q.limit),
      );
      // Lists change when the refresh runs (every half minute at most): a minute of caching costs nothing.
      return c.json({ product: q.product, recommendations }, 200, { 'Cache-Control': 'public, max-age=60' });
    }
    const person = { anonymousId: q.anonymousId, userId: q.userId };
    const recommendations = await cache.get(`${s}\0u\0${q.userId ?? ''}\0${q.anonymousId ?? ''}\0${q.limit}`, () =>
      forPerson(db, s, person, q.limit, details),
    );
    return c.json({ recommendations }, 200, { 'Cache-Control': 'private, max-age=60' });
  });
}

export function recommendationStaffRoutes(db: Kysely<Database>) {
  return (
    new Hono<SiteEnv>()
      // A staff session (per auth/policy.ts) or the site's secret key.
      .use('/api/recommendations/*', requireStaff(db))
      .get('/api/recommendations/rules', queryParams(rulesQuery), async (c) => {
        const q = c.req.valid('query');
        try {
          return c.json(await siteRules(db, c.get('site').siteId, q), 200);
        } catch (error) {
          if (!(error instanceof TooManyBaskets)) throw error;
          throw new AppError(
            422,
            'too_many_baskets',
            `rules with larger left sides are mined on at most ${MAX_MINED_BASKETS} baskets; use maxLen=2`,
            'maxLen',
          );
        }
      })
      .get('/api/recommendations/outcomes', queryParams(outcomesQuery), async (c) => {
        const q = c.req.valid('query');
        return c.json(await recommendationOutcomes(db, c.get('site').siteId, q), 200);
      })
  );
}
