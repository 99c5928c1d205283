// Assembles the HTTP app from the capabilities; runtime-specific bits (peer address, body stream) come in as options.
import { type Context, Hono } from 'hono';
import { requestId } from 'hono/request-id';
import { sql } from 'kysely';
import type { Config } from '../config/index.ts';
import { type ConversationOptions, conversations } from '../conversations/index.ts';
import type { Db } from '../db/index.ts';
import {
  clientIp,
  type EventRow,
  GroupCommit,
  type IngestDeps,
  ingestRoutes,
  insertEvents,
  RateLimiter,
} from '../ingest/index.ts';
import { publicSiteRoutes, SiteDirectory } from '../sites/index.ts';
import { assetRoutes } from './assets.ts';
import { AppError, errorResponse } from './errors.ts';
import { publicCors } from './middleware/cors.ts';

export interface AppOptions {
  db: Db;
  config: Pick<Config, 'TRUST_PROXY' | 'RATE_LIMIT_RPS' | 'RATE_LIMIT_BURST'>;
  remoteAddress?: (c: Context) => string | undefined;
  bodyStream?: IngestDeps['bodyStream'];
  conversations?: Pick<ConversationOptions, 'limits' | 'heartbeatMs'>;
}

export function createApp({ db, config, remoteAddress = () => undefined, bodyStream, ...options }: AppOptions) {
  const sites = new SiteDirectory(db.kysely);
  const chat = conversations({
    db,
    sites,
    clientIp: (c) => clientIp(remoteAddress(c), c.req.header('x-forwarded-for'), config.TRUST_PROXY),
    ...options.conversations,
  });
  // On Postgres two writes overlap (one commits while the next is being built); PGlite has one connection.
  const commit = new GroupCommit<EventRow>((rows) => insertEvents(db.kysely, rows), {
    maxItems: 5000,
    maxInFlight: db.dialect === 'postgres' ? 2 : 1,
  });

  const app = new Hono()
    .use(requestId())
    .get('/healthz', (c) => c.json({ status: 'ok' }))
    .get('/readyz', async (c) => {
      try {
        await sql`select 1`.execute(db.kysely);
        return c.json({ status: 'ready' as const });
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
    .route('/', chat.routes);

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
    /** Ends open event streams and stops listening (before the server closes, which waits for responses). */
    closeRealtime: () => chat.close(),
  };
}

export type AppType = ReturnType<typeof createApp>['app'];
