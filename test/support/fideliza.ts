// The real Fideliza server for browser tests: an in-memory PGlite, migrated, served on a free port, with one site
// whose allowed origin is the test shop. Builds the SDK (and, for widget tests, the widget) first so /sdk.js and
// /widget.js serve what the sources say.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
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

/**
 * Builds widget/dist/widget.js with Vite (about a second), which the server serves as /widget.js. The build goes to
 * a folder of its own and the file is moved into place by one rename, so test files building at the same time never
 * serve a missing or half-written widget.
 */
export function buildWidget(): void {
  const dist = fileURLToPath(new URL('../../widget/dist/', import.meta.url));
  mkdirSync(dist, { recursive: true });
  const out = mkdtempSync(`${dist}.build-`);
  try {
    execFileSync(
      process.execPath,
      [fileURLToPath(new URL('../../widget/node_modules/vite/bin/vite.js', import.meta.url)), 'build', '--outDir', out],
      {
        cwd: fileURLToPath(new URL('../../widget/', import.meta.url)),
        // Vitest sets NODE_ENV=test, which would make Vite build a development bundle (JSX debug info, larger than
        // the budget): the browser tests, and the size check run after them, must see what ships.
        env: { ...process.env, NODE_ENV: 'production' },
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    renameSync(`${out}/widget.js`, `${dist}widget.js`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
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

/** A server API call with a site's secret key (POST when there is a body); fails the test on any non-2xx answer. */
export async function secretKeyCall<T>(base: string, secretKey: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(base + path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${secretKey}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${path}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}
