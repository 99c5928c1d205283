// Runs the app on Node: listens, and on SIGTERM/SIGINT stops accepting, finishes what is in flight, then exits.
import { Server as HttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Config } from '../config/index.ts';
import { type Db, ensureEventPartitions } from '../db/index.ts';
import { type AppOptions, createApp } from './app.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface RunningServer {
  port: number;
  /** Stops accepting, waits for in-flight requests and writes, closes the database. */
  stop(): Promise<void>;
}

export async function startServer(
  config: Config,
  db: Db,
  options: Pick<AppOptions, 'demo'> = {},
): Promise<RunningServer> {
  await ensureEventPartitions(db.kysely);
  const partitions = setInterval(() => {
    ensureEventPartitions(db.kysely).catch((e) => console.error('could not create event partitions:', e));
  }, DAY_MS);
  partitions.unref();

  const { app, drain, closeRealtime, projector, recommendations } = createApp({
    db,
    config,
    remoteAddress: (c) => getConnInfo(c).remote.address,
    // @hono/node-server hands the Node request over as env.incoming.
    bodyStream: (c) => (c.env as { incoming?: IncomingMessage } | undefined)?.incoming,
    ...options,
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  if (config.BACKGROUND_JOBS) {
    projector.start();
    recommendations.start();
  }

  // Node keeps serving keep-alive connections after close(), so a busy client could hold a stopping
  // process open for ever: once stopping, every answer closes its connection and idle ones are closed.
  let closing = false;
  const answering = new Set<ServerResponse>();
  if (server instanceof HttpServer) {
    server.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => {
      if (closing) res.setHeader('Connection', 'close');
      answering.add(res);
      res.once('close', () => {
        answering.delete(res);
        if (closing) setImmediate(() => server.closeIdleConnections());
      });
    });
  }

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      clearInterval(partitions);
      closing = true;
      // Event streams never finish on their own: end them, or close() below would wait for ever.
      await closeRealtime();
      for (const res of answering) if (!res.headersSent) res.setHeader('Connection', 'close');
      // close() stops accepting and resolves once every open request has been answered,
      // and every answer to an ingest request waits for its commit.
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ('closeIdleConnections' in server) server.closeIdleConnections();
      });
      await drain();
      await projector.stop();
      await recommendations.stop();
      await db.close();
    })();
    return stopping;
  };
  return { port, stop };
}
