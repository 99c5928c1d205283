// Realistic shop traffic for the benchmark: page views, heatmap clicks, product and cart events, orders and
// identifies, with the context a browser SDK sends. Deterministic apart from the messageIds (always unique).
import { randomUUID } from 'node:crypto';
import { type Browser, browsers, locales, pick, prng, referrers } from '../src/demo/traffic.ts';

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
    const browser = browsers[visitor % browsers.length] as Browser;
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
