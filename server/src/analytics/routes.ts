// GET /api/overview (staff or secret key): the site's overview for a range of days in a time zone.
import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/index.ts';
import type { SiteEnv } from '../http/middleware/secret-key.ts';
import { requireStaff } from '../http/middleware/staff.ts';
import { dayRange, queryParams } from '../http/query.ts';
import { siteOverview } from './overview.ts';

/** The longest range one request covers (a leap year); the previous period doubles what is read. */
const MAX_OVERVIEW_DAYS = 366;

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * An IANA zone name. Offsets like `+01:00` are refused although newer Intl versions take them: Postgres reads
 * such a string as a POSIX zone, with the sign the other way round.
 */
const timeZone = z
  .string()
  .max(64)
  .regex(/^[A-Za-z][A-Za-z0-9_+\-/]*$/, 'an IANA time zone like Europe/Madrid')
  .refine(isTimeZone, 'an IANA time zone like Europe/Madrid');

const overviewQuery = dayRange(MAX_OVERVIEW_DAYS).and(z.object({ tz: timeZone.default('UTC') }));

export function overviewRoutes(db: Kysely<Database>) {
  return new Hono<SiteEnv>()
    .use('/api/overview', requireStaff(db))
    .get('/api/overview', queryParams(overviewQuery), async (c) =>
      c.json(await siteOverview(db, c.get('site').siteId, c.req.valid('query')), 200),
    );
}
