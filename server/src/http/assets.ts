// Built browser files (SDK, widget, dashboard) served with an ETag, caching and gzip, read once per process.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { type Context, Hono } from 'hono';
import { AppError } from './errors.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** URL path → file in the workspace, built by `pnpm build`. */
export const bundles: Record<string, string> = {
  '/sdk.js': 'sdk/dist/fideliza.js',
  '/widget.js': 'widget/dist/widget.js',
  '/heatmap-overlay.js': 'sdk/dist/heatmap-overlay.js',
};

interface Asset {
  body: Uint8Array;
  gzipped: Uint8Array;
  etag: string;
}

const contentTypes: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  html: 'text/html; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  woff2: 'font/woff2',
  json: 'application/json',
};

/** Reads each file once; a missing file is retried on the next request (it may be built meanwhile). */
function assetCache(baseDir: string) {
  const cache = new Map<string, Promise<Asset>>();
  return (file: string): Promise<Asset> => {
    let asset = cache.get(file);
    if (!asset) {
      asset = readFile(`${baseDir}${file}`).then((body) => ({
        body,
        gzipped: gzipSync(body, { level: 9 }),
        etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
      }));
      asset.catch(() => cache.delete(file));
      cache.set(file, asset);
    }
    return asset;
  };
}

async function send(c: Context, load: Promise<Asset>, file: string, headers: Record<string, string>) {
  let asset: Asset;
  try {
    asset = await load;
  } catch {
    throw new AppError(404, 'not_built', `${file} is not built yet: run \`pnpm build\``);
  }
  const type = contentTypes[file.slice(file.lastIndexOf('.') + 1)] ?? 'application/octet-stream';
  const all = { 'Content-Type': type, ETag: asset.etag, Vary: 'Accept-Encoding', ...headers };
  if (c.req.header('if-none-match') === asset.etag) return c.body(null, 304, all);
  if (/\bgzip\b/.test(c.req.header('accept-encoding') ?? '')) {
    return c.body(asset.gzipped as Uint8Array<ArrayBuffer>, 200, { ...all, 'Content-Encoding': 'gzip' });
  }
  return c.body(asset.body as Uint8Array<ArrayBuffer>, 200, all);
}

export function assetRoutes(files: Record<string, string> = bundles, baseDir = root) {
  const load = assetCache(baseDir);
  const app = new Hono();
  for (const [path, file] of Object.entries(files)) {
    app.get(path, (c) =>
      send(c, load(file), file, {
        // Unversioned URL pasted into shop pages: a day fresh, then revalidated by ETag in the background.
        'Cache-Control': 'public, max-age=86400, stale-while-revalidate=604800',
        // The widget is loaded with import() from the shop's origin, which needs CORS.
        'Access-Control-Allow-Origin': '*',
      }),
    );
  }

  // The dashboard SPA: hashed files under assets/ are immutable; every other path is a client-side
  // route and gets index.html, which is always revalidated so a new release shows at once.
  app.get('/dashboard', (c) => c.redirect('/dashboard/'));
  app.get('/dashboard/*', (c) => {
    const asset = /^\/dashboard\/(assets\/[\w.-]+)$/.exec(c.req.path)?.[1];
    if (asset) {
      const file = `dashboard/dist/${asset}`;
      return send(c, load(file), file, { 'Cache-Control': 'public, max-age=31536000, immutable' });
    }
    return send(c, load('dashboard/dist/index.html'), 'dashboard/dist/index.html', { 'Cache-Control': 'no-cache' });
  });
  return app;
}
