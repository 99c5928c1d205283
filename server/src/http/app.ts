// Assembles the HTTP app from the capabilities; runtime-specific bits (peer address, body stream) come in as options.
import { type Context, Hono } from 'hono';
import { requestId } from 'hono/request-id';
import { sql } from 'kysely';
import { overviewRoutes } from '../analytics/index.ts';
import { authRoutes, type LoginThrottle, type SessionLifetimes, teamRoutes } from '../auth/index.ts';
import type { Config } from '../config/index.ts';
import { type ConversationOptions, conversations } from '../conversations/index.ts';
import type { Db } from '../db/index.ts';
import { demoRoutes } from '../demo/index.ts';
import { heatmapOverlayRoutes, heatmapRoutes } from '../heatmaps/index.ts';
import {
  clientIp,
  copyWriter,
  type EventRow,
  GroupCommit,
  type IngestDeps,
  ingestRoutes,
  insertEvents,
  RateLimiter,
} from '../ingest/index.ts';
import {
  catalogRoutes,
  findPerson,
  metricsRoutes,
  Projector,
  type ProjectorOptions,
  profileIdOf,
  profileRoutes,
} from '../profiles/index.ts';
import {
  profileRecommendationRoutes,
  RecommendationRefresher,
  type RefresherOptions,
  recommendationRoutes,
  recommendationStaffRoutes,
  type ServeOptions,
} from '../recommend/index.ts';
import { segmentMembership, segmentRoutes } from '../segments/index.ts';
import { publicSiteRoutes, SiteDirectory, siteStaffRoutes } from '../sites/index.ts';
import { type SurveyOptions, surveys } from '../surveys/index.ts';
import { assetRoutes } from './assets.ts';
import { AppError, errorResponse } from './errors.ts';
import { publicCors } from './middleware/cors.ts';
import { requireStaff } from './middleware/staff.ts';

export interface AppOptions {
  db: Db;
  config: Pick<Config, 'TRUST_PROXY' | 'RATE_LIMIT_RPS' | 'RATE_LIMIT_BURST'>;
  remoteAddress?: (c: Context) => string | undefined;
  bodyStream?: IngestDeps['bodyStream'];
  conversations?: Pick<ConversationOptions, 'limits' | 'heartbeatMs'>;
  projector?: ProjectorOptions;
  recommendations?: RefresherOptions & ServeOptions;
  surveys?: Pick<SurveyOptions, 'limits' | 'now' | 'segmentMembership'>;
  /** Serve the demo shop at /demo (`fideliza start --demo`). */
  demo?: boolean;
  /** Staff sessions: a clock and lifetimes for tests, a throttle with other limits. */
  auth?: { now?: () => Date; lifetimes?: SessionLifetimes; throttle?: LoginThrottle };
}

export function createApp({ db, config, remoteAddress = () => undefined, bodyStream, ...options }: AppOptions) {
  const sites = new SiteDirectory(db.kysely);
  const chat = conversations({
    db,
    sites,
    clientIp: (c) => clientIp(remoteAddress(c), c.req.header('x-forwarded-for'), config.TRUST_PROXY),
    profileOf: (siteId, ids) => profileIdOf(db.kysely, siteId, ids),
    ...options.conversations,
  });
  // Started by startServer; each ingest commit wakes it (a function call, nothing on the write path).
  const projector = new Projector(db.kysely, options.projector);
  // Started by startServer: recomputes the recommendation tables of sites whose orders or views changed.
  const recommendations = new RecommendationRefresher(db.kysely, options.recommendations);
  // On Postgres two writes overlap (one commits while the next is being built), each a COPY (copy-store.ts);
  // PGlite has one connection and takes the one-statement path.
  const write = db.pool ? copyWriter(db.kysely, db.pool) : (rows: EventRow[]) => insertEvents(db.kysely, rows);
  const commit = new GroupCommit<EventRow>(
    async (rows) => {
      const stored = await write(rows);
      projector.wake();
      return stored;
    },
    {
      maxItems: 5000,
      maxInFlight: db.dialect === 'postgres' ? 2 : 1,
    },
  );

  const peerIp = (c: Context) => clientIp(remoteAddress(c), c.req.header('x-forwarded-for'), config.TRUST_PROXY);
  const staffAuth = { db: db.kysely, trustProxy: config.TRUST_PROXY, ...options.auth };

  const app = new Hono()
    .use(requestId())
    // Every /api route: a staff session or the site's secret key, then its entry in auth/policy.ts.
    .use('/api/*', requireStaff(db.kysely, { ...staffAuth, findSite: (id) => sites.byId(id) }))
    .route('/', authRoutes({ ...staffAuth, clientIp: peerIp }))
    .get('/healthz', (c) => c.json({ status: 'ok' }))
    .get('/readyz', async (c) => {
      try {
        await sql`select 1`.execute(db.kysely);
        // The projector's lag is information, not a readiness condition: a backlog still serves requests.
        return c.json({ status: 'ready' as const, projectorLag: await projector.lag() });
      } catch {
        return c.json({ status: 'unavailable' as const, reason: 'database unreachable' }, 503);
      }
    })
    .route('/', assetRoutes())
    .use('/v1/*', publicCors(sites))
    .route('/', publicSiteRoutes(sites))
    .route(
      '/',
      ingestRoutes({
        sites,
        commit,
        limiter: new RateLimiter(config.RATE_LIMIT_RPS, config.RATE_LIMIT_BURST),
        trustProxy: config.TRUST_PROXY,
        remoteAddress,
        bodyStream,
      }),
    )
    .route('/', chat.routes)
    .route(
      '/',
      surveys({ db, visitor: chat.visitor, segmentMembership: segmentMembership(db.kysely), ...options.surveys })
        .routes,
    )
    .route('/', metricsRoutes(projector))
    .route('/', catalogRoutes(db.kysely))
    .route('/', profileRoutes(db.kysely))
    .route(
      '/',
      profileRecommendationRoutes(db.kysely, (siteId, id) => findPerson(db.kysely, siteId, id)),
    )
    .route('/', overviewRoutes(db.kysely))
    .route('/', heatmapRoutes(db.kysely))
    .route('/', heatmapOverlayRoutes({ db: db.kysely, sites }))
    .route('/', segmentRoutes({ db: db.kysely, now: () => new Date() }))
    .route('/', recommendationRoutes(db.kysely, sites, options.recommendations))
    .route('/', recommendationStaffRoutes(db.kysely))
    .route('/', siteStaffRoutes({ db: db.kysely, sites, trustProxy: config.TRUST_PROXY }))
    .route('/', teamRoutes(db.kysely));

  // Outside the typed chain: the dashboard's client has no business with the demo shop.
  if (options.demo) app.route('/', demoRoutes(db.kysely));

  app.notFound((c) =>
    c.json(new AppError(404, 'not_found', `no route for ${c.req.method} ${c.req.path}`).toBody(), 404),
  );
  app.onError(errorResponse);

  return {
    app,
    /** Site caches to drop after this process changes a site. */
    sites,
    /** Resolves when every accepted write is committed (for shutdown). */
    drain: () => commit.drain(),
    /** Builds the derived tables from the event log (started and stopped by startServer). */
    projector,
    /** Keeps the recommendation tables fresh (started and stopped by startServer). */
    recommendations,
    /** Ends open event streams and stops listening (before the server closes, which waits for responses). */
    closeRealtime: () => chat.close(),
  };
}

export type AppType = ReturnType<typeof createApp>['app'];
