// Serves the demo shop (test/fixtures/shop) on its own origin: every /shop/* path gets index.html (a single-page
// app), with the Fideliza host, write key, stub and a fresh CSP nonce filled in. Under /csp/ the same pages come
// with a strict Content-Security-Policy.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { STUB } from '../../sdk/src/stub.ts';

const dir = new URL('../fixtures/shop/', import.meta.url);
const files: Record<string, string> = {
  'app.js': 'text/javascript; charset=utf-8',
  'shop.css': 'text/css; charset=utf-8',
};

export interface Shop {
  /** e.g. http://127.0.0.1:41235 */
  readonly origin: string;
  /** Where the pages send events: the Fideliza server (or a proxy in front of it). */
  host: string;
  writeKey: string;
  stop(): Promise<void>;
}

/** The policy of /csp/ pages: nonce-based scripts (strict-dynamic), nothing else from elsewhere but the API. */
export const strictCsp = (nonce: string, host: string) =>
  [
    "default-src 'self'",
    `script-src 'nonce-${nonce}' 'strict-dynamic'`,
    `connect-src 'self' ${host}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');

export async function startShop(): Promise<Shop> {
  const template = readFileSync(new URL('index.html', dir), 'utf8');
  const shop = {
    origin: '',
    host: '',
    writeKey: '',
    stop: async () => {},
  };
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const [, area, file = ''] = path.split('/');
    if ((area === 'shop' || area === 'csp') && files[file]) {
      res.writeHead(200, { 'Content-Type': files[file], 'Cache-Control': 'no-store' });
      res.end(readFileSync(new URL(file, dir)));
      return;
    }
    if (area !== 'shop' && area !== 'csp') {
      res.writeHead(404).end();
      return;
    }
    const nonce = randomBytes(16).toString('base64');
    const html = template
      .replaceAll('{{NONCE}}', nonce)
      .replaceAll('{{HOST}}', shop.host)
      .replaceAll('{{KEY}}', shop.writeKey)
      .replaceAll('{{AREA}}', area)
      .replace('{{STUB}}', STUB);
    const headers: Record<string, string> = { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' };
    if (area === 'csp') headers['Content-Security-Policy'] = strictCsp(nonce, shop.host);
    res.writeHead(200, headers).end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  shop.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  shop.stop = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return shop;
}
