import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assetRoutes } from './assets.ts';
import { errorResponse } from './errors.ts';

describe('built browser files', () => {
  let dir: string;
  let app: Hono;

  beforeAll(() => {
    dir = `${mkdtempSync(join(tmpdir(), 'fideliza-assets-'))}/`;
    mkdirSync(join(dir, 'sdk/dist'), { recursive: true });
    mkdirSync(join(dir, 'dashboard/dist/assets'), { recursive: true });
    writeFileSync(join(dir, 'sdk/dist/fideliza.js'), 'console.log("sdk");'.repeat(50));
    writeFileSync(join(dir, 'dashboard/dist/index.html'), '<!doctype html><div id=app></div>');
    writeFileSync(join(dir, 'dashboard/dist/assets/index-abc.js'), 'export{}');
    const files = { '/sdk.js': 'sdk/dist/fideliza.js', '/widget.js': 'widget/dist/widget.js' };
    app = new Hono().route('/', assetRoutes(files, dir));
    app.onError(errorResponse);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves the SDK with an ETag, a day of caching, CORS and gzip when asked', async () => {
    const plain = await app.request('/sdk.js');
    expect(plain.status).toBe(200);
    expect(plain.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(plain.headers.get('cache-control')).toContain('max-age=86400');
    expect(plain.headers.get('access-control-allow-origin')).toBe('*');
    expect(await plain.text()).toBe('console.log("sdk");'.repeat(50));

    const gz = await app.request('/sdk.js', { headers: { 'accept-encoding': 'gzip, br' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString()).toBe('console.log("sdk");'.repeat(50));
    expect(gz.headers.get('etag')).toBe(plain.headers.get('etag'));
  });

  it('answers 304 to a matching If-None-Match', async () => {
    const etag = (await app.request('/sdk.js')).headers.get('etag') as string;
    const again = await app.request('/sdk.js', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
  });

  it('says what to run when a bundle is not built', async () => {
    const res = await app.request('/widget.js');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: { code: 'not_built', message: 'widget/dist/widget.js is not built yet: run `pnpm build`' },
    });
  });

  it('serves the dashboard: hashed files immutable, every other path the revalidated index.html', async () => {
    const file = await app.request('/dashboard/assets/index-abc.js');
    expect(file.headers.get('cache-control')).toContain('immutable');
    expect(await file.text()).toBe('export{}');

    for (const path of ['/dashboard/', '/dashboard/segments/42', '/dashboard/assets/..%2F..%2Fpackage.json']) {
      const page = await app.request(path);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(page.headers.get('cache-control')).toBe('no-cache');
      expect(await page.text()).toContain('<div id=app>');
    }
    expect((await app.request('/dashboard')).headers.get('location')).toBe('/dashboard/');
  });
});
