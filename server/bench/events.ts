// Realistic shop traffic for the benchmark: page views, heatmap clicks, product and cart events, orders and
// identifies, with the context a browser SDK sends. Deterministic apart from the messageIds (always unique).
import { randomUUID } from 'node:crypto';

/** A small fast PRNG (mulberry32) so that every run sends the same mix. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const browsers = [
  {
    ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    screen: { width: 1920, height: 1080, density: 1 },
    vw: 1903,
  },
  {
    ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
    screen: { width: 390, height: 844, density: 3 },
    vw: 390,
  },
  {
    ua: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
    screen: { width: 412, height: 915, density: 2.625 },
    vw: 412,
  },
  {
    ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
    screen: { width: 1512, height: 982, density: 2 },
    vw: 1512,
  },
  {
    ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0',
    screen: { width: 1366, height: 768, density: 1 },
    vw: 1349,
  },
  {
    ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
    screen: { width: 1536, height: 864, density: 1.25 },
    vw: 1519,
  },
] as const;

const locales = ['es-ES', 'es-ES', 'es-ES', 'ca-ES', 'en-GB', 'pt-PT', 'fr-FR'] as const;
const referrers = [
  '',
  'https://www.google.com/',
  'https://www.google.es/',
  'https://www.instagram.com/',
  'https://l.facebook.com/',
  'https://www.bing.com/',
] as const;
const categories = ['zapatillas', 'camisetas', 'pantalones', 'accesorios', 'chaquetas'] as const;
const brands = ['Nortera', 'Sierra Alta', 'Mar Azul', 'Ciclo'] as const;
const selectors = [
  'button#add-to-cart',
  'nav.main > ul > li:nth-child(2) > a',
  'div.product-grid > article:nth-child(3) > a > img',
  'a.logo',
  'button.size-picker[data-size="42"]',
  'footer > div.newsletter > form > button',
  'div.gallery > button.next',
] as const;
const clickTexts = ['Añadir al carrito', 'Camisetas', '', 'Siguiente', 'Suscribirme', 'Talla 42'] as const;

const SHOP = 'https://tienda-nortera.example';

const pick = <T>(rnd: () => number, list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;

interface Product {
  product_id: string;
  sku: string;
  name: string;
  brand: string;
  category: string;
  variant: string;
  price: number;
  currency: string;
  url: string;
  image_url: string;
}

function productOf(n: number): Product {
  const category = categories[n % categories.length] as string;
  const slug = `${category}-modelo-${n}`;
  return {
    product_id: `prod_${1000 + n}`,
    sku: `NT-${category.slice(0, 3).toUpperCase()}-${1000 + n}`,
    name: `${category[0]?.toUpperCase()}${category.slice(1, -1)} modelo ${n}`,
    brand: brands[n % brands.length] as string,
    category,
    variant: ['negro', 'blanco', 'azul marino', 'verde'][n % 4] as string,
    price: Math.round((14.95 + ((n * 7.3) % 120)) * 100) / 100,
    currency: 'EUR',
    url: `${SHOP}/p/${slug}`,
    image_url: `https://cdn.tienda-nortera.example/img/${slug}-800.webp`,
  };
}

/** Where a visitor is: the page the event happened on. */
function pageOf(rnd: () => number): { path: string; title: string; product?: Product } {
  const r = rnd();
  if (r < 0.15) return { path: '/', title: 'Nortera · Ropa y calzado para la montaña' };
  if (r < 0.4) {
    const c = pick(rnd, categories);
    return { path: `/c/${c}`, title: `${c[0]?.toUpperCase()}${c.slice(1)} · Nortera` };
  }
  if (r < 0.85) {
    const product = productOf(Math.floor(rnd() * 400));
    return { path: new URL(product.url).pathname, title: `${product.name} · Nortera`, product };
  }
  if (r < 0.95) return { path: '/carrito', title: 'Tu carrito · Nortera' };
  return { path: '/checkout', title: 'Finalizar compra · Nortera' };
}

export interface EventFactory {
  /** One message as a browser SDK sends it, with a fresh messageId. */
  message(now: number): Record<string, unknown>;
  /** One POST /v1/batch body of `size` messages. */
  batch(size: number, now?: number): Buffer;
}

export function eventFactory(seed = 42): EventFactory {
  const rnd = prng(seed);
  let orders = 0;

  function message(now: number): Record<string, unknown> {
    const visitor = Math.floor(rnd() * 50_000);
    const browser = browsers[visitor % browsers.length] as (typeof browsers)[number];
    const page = pageOf(rnd);
    const search = rnd() < 0.2 ? '?utm_source=newsletter&utm_medium=email&utm_campaign=rebajas-invierno' : '';
    const url = `${SHOP}${page.path}${search}`;
    const referrer = rnd() < 0.6 ? `${SHOP}/` : pick(rnd, referrers);
    const context: Record<string, unknown> = {
      page: { path: page.path, url, title: page.title, referrer, search },
      userAgent: browser.ua,
      locale: locales[visitor % locales.length],
      timezone: 'Europe/Madrid',
      screen: browser.screen,
      library: { name: 'fideliza.js', version: '0.1.0' },
    };
    if (search) context.campaign = { source: 'newsletter', medium: 'email', name: 'rebajas-invierno' };
    const base = {
      messageId: randomUUID(),
      anonymousId: `a${visitor.toString(36)}-${(visitor * 2654435761).toString(36)}`,
      ...(visitor % 4 === 0 ? { userId: `cust_${visitor}` } : {}),
      // A little in the past, as queued browser events are.
      timestamp: new Date(now - Math.floor(rnd() * 3000)).toISOString(),
      context,
    };
    const product = page.product ?? productOf(Math.floor(rnd() * 400));
    const r = rnd();
    if (r < 0.3) {
      return {
        ...base,
        type: 'page',
        name: page.title,
        properties: { path: page.path, url, title: page.title, referrer, search },
      };
    }
    if (r < 0.65) {
      return {
        ...base,
        type: 'track',
        event: '$click',
        properties: {
          selector: pick(rnd, selectors),
          text: pick(rnd, clickTexts),
          x: Math.floor(rnd() * browser.vw),
          y: Math.floor(rnd() * 3200),
          vw: browser.vw,
          vh: browser.screen.height - 120,
          path: page.path,
        },
      };
    }
    if (r < 0.82) return { ...base, type: 'track', event: 'Product Viewed', properties: { ...product, position: 1 } };
    if (r < 0.9) {
      return {
        ...base,
        type: 'track',
        event: 'Product Added',
        properties: { ...product, quantity: 1 + Math.floor(rnd() * 2), cart_id: `cart_${visitor}` },
      };
    }
    if (r < 0.96) {
      return {
        ...base,
        type: 'identify',
        userId: `cust_${visitor}`,
        traits: {
          email: `cliente${visitor}@correo.example`,
          firstName: 'Lucía',
          lastName: `García ${visitor}`,
          phone: `+34 6${String(visitor).padStart(8, '0')}`,
          createdAt: new Date(now - visitor * 86_400_000).toISOString(),
          marketingOptIn: visitor % 3 === 0,
        },
      };
    }
    const count = 1 + Math.floor(rnd() * 4);
    const products = Array.from({ length: count }, (_, k) => ({
      ...productOf((visitor + k * 37) % 400),
      quantity: 1 + (k % 2),
    }));
    const subtotal = products.reduce((s, p) => s + p.price * p.quantity, 0);
    return {
      ...base,
      type: 'track',
      event: 'Order Completed',
      properties: {
        order_id: `ord_${(++orders).toString().padStart(8, '0')}`,
        checkout_id: `chk_${visitor}_${orders}`,
        total: Math.round(subtotal * 121 + 495) / 100,
        revenue: Math.round(subtotal * 100) / 100,
        shipping: 4.95,
        tax: Math.round(subtotal * 21) / 100,
        discount: 0,
        coupon: orders % 5 === 0 ? 'INVIERNO10' : '',
        currency: 'EUR',
        products,
      },
    };
  }

  return {
    message,
    batch(size, now = Date.now()) {
      const batch = Array.from({ length: size }, () => message(now));
      return Buffer.from(JSON.stringify({ batch, sentAt: new Date(now).toISOString() }));
    },
  };
}
