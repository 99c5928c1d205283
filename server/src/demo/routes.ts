// Serves the demo shop at /demo/… with the demo site's write key filled into the script tag.
import { readFile } from 'node:fs/promises';
import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.ts';
import { AppError } from '../http/errors.ts';
import { listSites } from '../sites/index.ts';
import { type Category, categories, productById } from './catalog.ts';
import { renderCart, renderCategory, renderCheckout, renderHome, renderProduct } from './pages.ts';

export const DEMO_SITE = 'Demo shop';

const shopDir = new URL('./shop/', import.meta.url);
const isCategory = (c: string): c is Category => (categories as readonly string[]).includes(c);

/** The demo site's write key, looked up once it exists (the site is created before the server listens). */
function demoWriteKey(db: Kysely<Database>): () => Promise<string> {
  let key: string | undefined;
  return async () => {
    key ??= (await listSites(db)).find((s) => s.name === DEMO_SITE)?.writeKey;
    if (!key) throw new AppError(404, 'no_demo', 'there is no demo site: start the server with --demo');
    return key;
  };
}

export function demoRoutes(db: Kysely<Database>) {
  const writeKey = demoWriteKey(db);
  const files = new Map<string, Promise<string>>();
  const file = (name: string) => {
    let text = files.get(name);
    if (!text) {
      text = readFile(new URL(name, shopDir), 'utf8');
      files.set(name, text);
    }
    return text;
  };
  // Pages carry the key and change with the catalogue: never cached for long.
  const page = (html: string) =>
    new Response(html, { headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache' } });

  return new Hono()
    .get('/demo', (c) => c.redirect('/demo/'))
    .get('/demo/', async () => page(renderHome(await writeKey())))
    .get('/demo/shop.css', async (c) =>
      c.body(await file('shop.css'), 200, { 'Content-Type': 'text/css; charset=utf-8' }),
    )
    .get('/demo/shop.js', async (c) =>
      c.body(await file('shop.js'), 200, { 'Content-Type': 'text/javascript; charset=utf-8' }),
    )
    .get('/demo/c/:category', async (c) => {
      const category = c.req.param('category');
      if (!isCategory(category)) throw new AppError(404, 'not_found', `no category ${category}`);
      return page(renderCategory(await writeKey(), category));
    })
    .get('/demo/p/:id', async (c) => {
      const product = productById(c.req.param('id'));
      if (!product) throw new AppError(404, 'not_found', 'no such product');
      return page(renderProduct(await writeKey(), product));
    })
    .get('/demo/cart', async () => page(renderCart(await writeKey())))
    .get('/demo/checkout', async () => page(renderCheckout(await writeKey())));
}
