// GET /api/profiles/:id/recommendations: the customer file's "for you" list for staff: the ranking the shop's pages
// get from /v1/recommendations (forPerson), for the person behind a profile id.
import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/index.ts';
import { AppError } from '../http/errors.ts';
import type { SiteEnv } from '../http/middleware/secret-key.ts';
import { requireStaff } from '../http/middleware/staff.ts';
import { queryParams } from '../http/query.ts';
import { MAX_LIMIT } from './routes.ts';
import { forPerson } from './store.ts';

/**
 * The ids the person behind a profile id was seen under, or null when the site has no such profile. Given by the
 * caller (the profiles capability resolves merged ids), so this capability does not reach into profiles.
 */
export type PersonIdsOf = (
  siteId: string,
  profileId: string,
) => Promise<{ anonymousIds: string[]; userIds: string[] } | null>;

const params = z.object({ id: z.string().min(1).max(200) });
const query = z.object({ limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(6) });

export function profileRecommendationRoutes(db: Kysely<Database>, personOf: PersonIdsOf) {
  return new Hono<SiteEnv>().get(
    '/api/profiles/:id/recommendations',
    requireStaff(db),
    queryParams(query),
    async (c) => {
      const parsed = params.safeParse(c.req.param());
      if (!parsed.success) throw new AppError(400, 'invalid_profile_id', 'the profile id is empty or too long', 'id');
      const { id } = parsed.data;
      const siteId = c.get('site').siteId;
      const person = await personOf(siteId, id);
      if (!person) throw new AppError(404, 'profile_not_found', `no profile ${id} on this site`);
      // Any one id of the person leads forPerson to the profile that holds them all.
      const who = { userId: person.userIds[0], anonymousId: person.anonymousIds[0] };
      return c.json({ recommendations: await forPerson(db, siteId, who, c.req.valid('query').limit) }, 200);
    },
  );
}
