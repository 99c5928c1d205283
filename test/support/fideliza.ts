// The real Fideliza server for browser tests: an in-memory PGlite, migrated, served on a free port, with one site
// whose allowed origin is the test shop. Builds the SDK (and, for widget tests, the widget) first so /sdk.js and
// /widget.js serve what the sources say.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../server/src/config/index.ts';
import type { Db } from '../../server/src/db/index.ts';
import { openTestDatabase } from '../../server/src/db/testing.ts';
import { type RunningServer, startServer } from '../../server/src/http/server.ts';
import { createSite } from '../../server/src/sites/index.ts';

export interface Fideliza {
  readonly url: string;
  readonly db: Db;
  readonly siteId: string;
  readonly writeKey: string;
  stop(): Promise<void>;
}

/** Builds sdk/dist (a second or two), so the browser always runs the current sources. */
export function buildSdk(): void {
  execFileSync(process.execPath, [fileURLToPath(new URL('../../sdk/build.mjs', import.meta.url))], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** Builds widget/dist/widget.js with Vite (about a second), which the server serves as /widget.js. */
export function buildWidget(): void {
  execFileSync(
    process.execPath,
    [fileURLToPath(new URL('../../widget/node_modules/vite/bin/vite.js', import.meta.url)), 'build'],
    {
      cwd: fileURLToPath(new URL('../../widget/', import.meta.url)),
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
}

export async function startFideliza(allowedOrigin: string): Promise<Fideliza> {
  const db = await openTestDatabase('pglite');
  let running: RunningServer | undefined;
  try {
    const site = await createSite(db.kysely, { name: 'E2E shop', origins: [allowedOrigin] });
    running = await startServer(loadConfig({ PORT: '0', HOST: '127.0.0.1' }), db);
    const server = running;
    return {
      url: `http://127.0.0.1:${server.port}`,
      db,
      siteId: site.siteId,
      writeKey: site.writeKey,
      stop: () => server.stop(),
    };
  } catch (error) {
    await (running ? running.stop() : db.close());
    throw error;
  }
}
