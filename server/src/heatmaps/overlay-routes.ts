// The live-page overlay: staff mint a short-lived token for one page and range (POST /api/heatmaps/overlay-token);
// the overlay script on the shop's page trades it for that page's click grid (GET /v1/heatmap-overlay), no session.
import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { audit } from '../auth/index.ts';
import type { Database } from '../db/index.ts';
import { AppError } from '../http/errors.ts';
import { jsonBody } from '../http/json-body.ts';
import { requireStaff } from '../http/middleware/staff.ts';
import type { StaffEnv } from '../http/middleware/staff-env.ts';
import { dayRange, readQuery } from '../http/query.ts';
import type { SiteDirectory } from '../sites/index.ts';
import {
  OVERLAY_TOKEN_TTL_SECONDS,
  overlayKey,
  readOverlayToken,
  signOverlayToken,
  verifyOverlayToken,
} from './overlay-token.ts';
import { clickGrid } from './queries.ts';
import { MAX_RANGE_DAYS, pagePath } from './routes.ts';

const mintBody = z.object({ path: pagePath }).and(dayRange(MAX_RANGE_DAYS));
const overlayQuery = z.object({
  token: z.string().min(1).max(4000),
  device: z.enum(['mobile', 'tablet', 'desktop']),
});

const invalid = () => new AppError(401, 'invalid_token', 'this heatmap link is not valid', 'token');

export interface OverlayDeps {
  db: Kysely<Database>;
  sites: SiteDirectory;
  now?: () => Date;
}

export function heatmapOverlayRoutes({ db, sites, now = () => new Date() }: OverlayDeps) {
  const seconds = () => Math.floor(now().getTime() / 1000);
  return new Hono<StaffEnv>()
    .use('/api/heatmaps/*', requireStaff(db))
    .post('/api/heatmaps/overlay-token', jsonBody(mintBody), async (c) => {
      const { path, from, to } = c.req.valid('json');
      const { siteId } = c.get('site');
      const exp = seconds() + OVERLAY_TOKEN_TTL_SECONDS;
      const token = signOverlayToken(await overlayKey(db, siteId), { siteId, path, from, to, exp });
      const expiresAt = new Date(exp * 1000).toISOString();
      // Not a change of state, but it lets a browser without a session read this page's heatmap for a while.
      await audit(c, 'heatmap.overlay_link', path, { from, to, expiresAt });
      return c.json({ token, expiresAt }, 201);
    })
    .get('/v1/heatmap-overlay', async (c) => {
      const { token, device } = readQuery(c, overlayQuery);
      const claimed = readOverlayToken(token);
      const site = claimed && (await sites.byId(claimed.siteId));
      if (!site) throw invalid();
      const check = verifyOverlayToken(await overlayKey(db, site.siteId), token, seconds());
      if (!check.ok) {
        if (check.reason === 'expired') {
          throw new AppError(401, 'token_expired', 'this heatmap link has expired: open it again from the dashboard');
        }
        throw invalid();
      }
      // publicCors lets any site's origin read answers; this one is only for the token's own site's pages.
      const origin = c.req.header('origin');
      if (origin && !site.allowedOrigins.includes(origin)) {
        throw new AppError(403, 'origin_not_allowed', `origin ${origin} is not allowed for this site`);
      }
      const { path, from, to, exp } = check.claims;
      const grid = await clickGrid(db, site.siteId, { path, device, from, to });
      c.header('Cache-Control', 'no-store');
      return c.json({ path, from, to, device, expiresAt: new Date(exp * 1000).toISOString(), ...grid }, 200);
    });
}
