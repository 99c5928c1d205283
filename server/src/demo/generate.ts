// A few months of a demo shop's traffic as the SDK would have sent it: visitors and customers, sessions of page
// views, clicks and scrolls, product and cart events, checkouts, orders built from product families (so
// co-purchases have structure), refunds, identifies and aliases. Deterministic for a seed.

import { RECOMMENDATION_LIST_ID } from '../recommend/index.ts';
import {
  type Category,
  categories,
  type DemoProduct,
  familyNames,
  pagePaths,
  products,
  productsOfFamily,
  recommendedWith,
} from './catalog.ts';
import { type PageKind, pageLayout, SIZES, type Target } from './layout.ts';
import { type Person, person, uuidFrom } from './people.ts';
import { type Browser, browsers, locales, pick, prng, referrers } from './traffic.ts';

export interface HistoryOptions {
  seed: number;
  /** People who visit (some stay anonymous, most end up identified). */
  customers: number;
  /** Length of the history, ending at `end`. */
  days: number;
  end: Date;
  /** Origin the demo shop is served from (page URLs are on it). */
  origin: string;
}

export const defaultHistory = { seed: 20261123, customers: 3000, days: 90 } as const;

/** A message in the wire shape of POST /v1/batch. */
export type OutgoingMessage = Record<string, unknown> & { type: string; messageId: string; timestamp: string };

export interface HistoryCounts {
  events: number;
  visitors: number;
  identified: number;
  sessions: number;
  pageViews: number;
  clicks: number;
  orders: number;
  refunds: number;
  aliases: number;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const LIBRARY = { name: 'fideliza', version: '0.1.0' } as const;
const CAMPAIGNS = [
  { source: 'newsletter', medium: 'email', name: 'rebajas-invierno' },
  { source: 'instagram', medium: 'social', name: 'nueva-coleccion' },
  { source: 'google', medium: 'cpc', name: 'marca' },
] as const;

/** Families by popularity: the first is bought most (weights 1, 1/2, 1/3…). */
const familyWeights = familyNames.map((_, i) => 1 / (i + 1));
const weightTotal = familyWeights.reduce((a, b) => a + b, 0);

function pickFamily(rnd: () => number): string {
  let r = rnd() * weightTotal;
  for (let i = 0; i < familyNames.length; i++) {
    r -= familyWeights[i] as number;
    if (r <= 0) return familyNames[i] as string;
  }
  return familyNames[0] as string;
}

/** A basket: the product people come for, often its family's companions, now and then something unrelated. */
function basketOf(rnd: () => number): DemoProduct[] {
  const family = productsOfFamily(pickFamily(rnd));
  const main = (rnd() < 0.65 ? family[0] : pick(rnd, family)) as DemoProduct;
  const basket = [main];
  for (const p of family) if (p !== main && rnd() < 0.4) basket.push(p);
  if (rnd() < 0.15) {
    const other = pick(rnd, products);
    if (!basket.includes(other)) basket.push(other);
  }
  return basket;
}

const titleOf = (page: PageKind): string => {
  switch (page.kind) {
    case 'home':
      return 'Nortera · Ropa y calzado para el aire libre';
    case 'category':
      return `${page.category[0]?.toUpperCase()}${page.category.slice(1)} · Nortera`;
    case 'product':
      return `${page.product.name} · Nortera`;
    case 'cart':
      return 'Tu carrito · Nortera';
    case 'checkout':
      return 'Finalizar compra · Nortera';
  }
};

const pathOf = (page: PageKind): string => {
  switch (page.kind) {
    case 'home':
      return pagePaths.home;
    case 'category':
      return pagePaths.category(page.category);
    case 'product':
      return pagePaths.product(page.product);
    case 'cart':
      return pagePaths.cart;
    case 'checkout':
      return pagePaths.checkout;
  }
};

const round2 = (n: number) => Math.round(n * 100) / 100;

/** One visitor's whole history, in time order. */
class Visitor {
  readonly messages: OutgoingMessage[] = [];
  private readonly anonymousId: string;
  private userId: string | undefined;
  private time = 0;
  private context: Record<string, unknown> = {};
  private page: PageKind = { kind: 'home' };
  private lastUrl = '';
  readonly cartId: string;

  constructor(
    private readonly rnd: () => number,
    private readonly o: HistoryOptions,
    private readonly counts: HistoryCounts,
    readonly browser: Browser,
    private readonly locale: string,
  ) {
    this.anonymousId = uuidFrom(rnd);
    this.cartId = `cart-${this.anonymousId.slice(0, 8)}`;
  }

  private push(fields: { type: string } & Record<string, unknown>): void {
    this.messages.push({
      messageId: uuidFrom(this.rnd),
      anonymousId: this.anonymousId,
      ...(this.userId ? { userId: this.userId } : {}),
      timestamp: new Date(this.time).toISOString(),
      context: this.context,
      ...fields,
    });
    this.counts.events++;
  }

  /** Seconds to minutes pass, as between a visitor's actions. */
  private wait(minSeconds: number, maxSeconds: number): void {
    this.time += (minSeconds + this.rnd() * (maxSeconds - minSeconds)) * 1000;
  }

  startSession(at: number): void {
    this.time = at;
    this.lastUrl = this.rnd() < 0.5 ? '' : pick(this.rnd, referrers);
    this.counts.sessions++;
  }

  /** A page view: the page message, a few clicks, and the scroll depth when the visitor leaves. */
  view(page: PageKind, campaign?: (typeof CAMPAIGNS)[number]): void {
    this.page = page;
    const path = pathOf(page);
    const search = campaign
      ? `?utm_source=${campaign.source}&utm_medium=${campaign.medium}&utm_campaign=${campaign.name}`
      : '';
    const url = `${this.o.origin}${path}${search}`;
    const title = titleOf(page);
    // The SDK leaves out the User-Agent (the server reads it from the request); generated batches mix
    // visitors, so each message carries its own, as Segment's server-side libraries do.
    this.context = {
      page: { path, url, search, title, referrer: this.lastUrl },
      locale: this.locale,
      library: LIBRARY,
      userAgent: this.browser.ua,
      ...(campaign ? { campaign } : {}),
    };
    this.lastUrl = url;
    this.wait(2, 20);
    this.push({ type: 'page', properties: {} });
    this.counts.pageViews++;
  }

  /** Clicks on the current page: mostly on its targets, some dead clicks, now and then a rage burst. */
  clicks(count: number, prefer?: string): void {
    const { targets, height } = pageLayout(this.page, this.browser.vw);
    for (let i = 0; i < count; i++) {
      const target =
        (prefer && i === count - 1 ? targets.find((t) => t.selector === prefer) : undefined) ?? pick(this.rnd, targets);
      const burst = target.dead && this.rnd() < 0.15 ? 3 : 1;
      for (let k = 0; k < burst; k++) this.click(target, height, k >= 2);
    }
  }

  private click(t: Target, height: number, rage: boolean): void {
    // Near the middle of the element, as people aim.
    const rx = Math.min(0.98, Math.max(0.02, 0.5 + (this.rnd() + this.rnd() - 1) * 0.45));
    const ry = Math.min(0.98, Math.max(0.02, 0.5 + (this.rnd() + this.rnd() - 1) * 0.45));
    this.wait(1, 12);
    this.push({
      type: 'track',
      event: '$click',
      properties: {
        selector: t.selector,
        x: Math.round(t.x + rx * t.w),
        y: Math.round(t.y + ry * t.h),
        rx: Math.round(rx * 1000) / 1000,
        ry: Math.round(ry * 1000) / 1000,
        vw: this.browser.vw,
        vh: this.browser.screen.height - 120,
        dw: this.browser.vw,
        dh: height,
        ...(t.href ? { href: `${this.o.origin}${t.href}` } : {}),
        ...(t.text ? { text: t.text } : {}),
        ...(rage ? { rage: true } : {}),
      },
    });
    this.counts.clicks++;
  }

  /** The `$scroll` the SDK sends when a page view ends. */
  scroll(): void {
    const { height } = pageLayout(this.page, this.browser.vw);
    const vh = this.browser.screen.height - 120;
    const deepest = Math.min(height, vh + this.rnd() ** 0.7 * Math.max(0, height - vh));
    this.wait(3, 40);
    this.push({
      type: 'track',
      event: '$scroll',
      properties: {
        depth: Math.round((deepest / height) * 100),
        y: Math.round(deepest),
        dh: height,
        vw: this.browser.vw,
      },
    });
  }

  track(event: string, properties: Record<string, unknown>): void {
    this.wait(1, 8);
    this.push({ type: 'track', event, properties });
  }

  identify(p: Person): void {
    this.userId = p.userId;
    this.wait(5, 30);
    this.push({
      type: 'identify',
      traits: {
        name: `${p.firstName} ${p.lastName}`,
        firstName: p.firstName,
        lastName: p.lastName,
        email: p.email,
        phone: p.phone,
        birthday: p.birthday,
        createdAt: new Date(this.time).toISOString(),
      },
    });
  }

  alias(previousId: string): void {
    this.wait(1, 5);
    this.push({ type: 'alias', previousId });
    this.counts.aliases++;
  }

  get now(): number {
    return this.time;
  }
  get identified(): boolean {
    return this.userId !== undefined;
  }
}

/** Share of product views whose recommendations block is scrolled into view. */
const RECOMMENDATIONS_SEEN = 0.6;
/** Chance that a shopper going on to a product that was recommended gets there by clicking it. */
const RECOMMENDATION_CLICK = 0.3;

/** A product as the shop's list events carry it. */
const listItem = (p: DemoProduct, position: number) => ({
  product_id: p.product_id,
  name: p.name,
  price: p.price,
  position,
});

const productProperties = (o: HistoryOptions, p: DemoProduct) => ({
  product_id: p.product_id,
  sku: p.sku,
  name: p.name,
  price: p.price,
  category: p.category,
  brand: p.brand,
  currency: 'EUR',
  url: `${o.origin}${pagePaths.product(p)}`,
});

/**
 * Every visitor's messages, one visitor at a time (in time order, then the refunds the back office recorded);
 * `counts` is filled as it goes.
 */
export function* history(o: HistoryOptions, counts: HistoryCounts = emptyCounts()): Generator<OutgoingMessage[]> {
  const rnd = prng(o.seed);
  const end = o.end.getTime();
  const start = end - o.days * DAY;
  // A session lasts minutes: none starts in the last two hours, so no event is later than `end`.
  const lastStart = end - 2 * 60 * MINUTE;
  let orderNumber = 0;

  for (let n = 1; n <= o.customers; n++) {
    const v = new Visitor(rnd, o, counts, pick(rnd, browsers), pick(rnd, locales));
    counts.visitors++;
    // A third never log in; of the rest most buy, and a few come back often.
    const known = rnd() < 0.65;
    const buyer = known && rnd() < 0.75;
    const loyal = buyer && rnd() < 0.25;
    const who = known ? person(rnd, n) : undefined;
    const sessions = known ? 1 + Math.floor(rnd() * (loyal ? 10 : 4)) : 1 + Math.floor(rnd() * 2);
    const identifyAt = Math.floor(rnd() * sessions);
    const pendingRefunds: { at: number; order: Record<string, unknown> }[] = [];
    let at = start + rnd() * (end - start) * (known ? 0.7 : 1);

    const gap = () => (loyal ? 3 + rnd() * 12 : 5 + rnd() * 30) * DAY;
    for (let s = 0; s < sessions && at < lastStart; s++, at = v.now + gap()) {
      // Mostly in the afternoon and evening, Madrid time (UTC+1 in winter).
      const day = Math.floor(at / DAY) * DAY;
      v.startSession(Math.max(start, day + (7 + rnd() * 15) * 60 * MINUTE));
      if (v.now >= lastStart) break;
      const campaign = rnd() < 0.2 ? pick(rnd, CAMPAIGNS) : undefined;
      const purchase = buyer && (s === sessions - 1 || rnd() < (loyal ? 0.6 : 0.35));
      const basket = purchase ? basketOf(rnd) : basketOf(rnd).slice(0, 1 + Math.floor(rnd() * 2));
      const first = basket[0] as DemoProduct;

      if (rnd() < 0.5) {
        v.view({ kind: 'home' }, campaign);
        v.clicks(1 + Math.floor(rnd() * 2), `a[data-category-id="${first.category}"]`);
        v.scroll();
        v.view({ kind: 'category', category: first.category });
      } else {
        v.view({ kind: 'category', category: first.category }, campaign);
      }
      // Logging in on the way.
      if (who && s === identifyAt && !v.identified) v.identify(who);
      v.track('Product List Viewed', { list_id: first.category, category: first.category });
      v.clicks(1 + Math.floor(rnd() * 2), `a[data-product-id="${first.product_id}"]`);
      v.scroll();
      if (rnd() < 0.3) {
        const c = pick(rnd, categories) as Category;
        v.view({ kind: 'category', category: c });
        v.clicks(1);
        v.scroll();
      }

      const added: DemoProduct[] = [];
      let shown: DemoProduct[] = [];
      for (const p of basket) {
        // The next product is often reached through the previous page's recommendations.
        const position = shown.indexOf(p) + 1;
        if (position > 0 && rnd() < RECOMMENDATION_CLICK) {
          v.clicks(1, `a[data-product-id="${p.product_id}"]`);
          v.track('Product Clicked', { list_id: RECOMMENDATION_LIST_ID, ...listItem(p, position) });
        }
        v.view({ kind: 'product', product: p });
        v.track('Product Viewed', productProperties(o, p));
        // Reported when the block below the product scrolls into view, which not every visitor does.
        shown = rnd() < RECOMMENDATIONS_SEEN ? recommendedWith(p) : [];
        if (shown.length > 0) {
          v.track('Product List Viewed', {
            list_id: RECOMMENDATION_LIST_ID,
            products: shown.map((x, i) => listItem(x, i + 1)),
          });
        }
        if (!purchase && rnd() < 0.65) {
          v.clicks(1 + Math.floor(rnd() * 2));
          v.scroll();
          continue;
        }
        v.clicks(1 + Math.floor(rnd() * 2), `button[data-size-id="${pick(rnd, SIZES)}"]`);
        v.clicks(1, '#add-to-cart');
        v.track('Product Added', { ...productProperties(o, p), quantity: 1, cart_id: v.cartId });
        added.push(p);
        v.scroll();
      }
      if (added.length === 0) continue;

      v.view({ kind: 'cart', items: added });
      v.track('Cart Viewed', {
        cart_id: v.cartId,
        products: added.map((p) => ({ ...productProperties(o, p), quantity: 1 })),
      });
      // Some change their mind about an extra.
      if (added.length > 1 && rnd() < 0.12) {
        const removed = added.pop() as DemoProduct;
        v.clicks(1, `button[data-remove-id="${removed.product_id}"]`);
        v.track('Product Removed', { ...productProperties(o, removed), quantity: 1, cart_id: v.cartId });
      }
      if (!purchase && rnd() < 0.6) {
        v.scroll();
        continue;
      }
      v.clicks(1, '#checkout-button');
      v.scroll();

      v.view({ kind: 'checkout' });
      const quantities = added.map((p) => (p.price < 20 && rnd() < 0.3 ? 2 : 1));
      const lines = added.map((p, i) => ({ ...productProperties(o, p), quantity: quantities[i] as number }));
      const subtotal = round2(lines.reduce((sum, l) => sum + l.price * l.quantity, 0));
      v.track('Checkout Started', { cart_id: v.cartId, value: subtotal, currency: 'EUR', products: lines });
      v.clicks(2 + Math.floor(rnd() * 3));
      if (!purchase) {
        v.scroll();
        continue;
      }
      if (who && !v.identified) v.identify(who);
      v.clicks(1, '#place-order');
      const shipping = subtotal >= 50 ? 0 : 4.95;
      const discount = campaign?.source === 'newsletter' ? round2(subtotal * 0.1) : 0;
      const order = {
        order_id: `NT-${String(++orderNumber).padStart(6, '0')}`,
        checkout_id: `chk-${v.cartId}-${s}`,
        total: round2(subtotal - discount + shipping),
        revenue: round2(subtotal - discount),
        shipping,
        tax: round2(((subtotal - discount) * 21) / 121),
        discount,
        ...(discount ? { coupon: 'NEWSLETTER10' } : {}),
        currency: 'EUR',
        products: lines,
      };
      v.track('Order Completed', order);
      counts.orders++;
      if (rnd() < 0.05) {
        pendingRefunds.push({ at: v.now + (2 + rnd() * 12) * DAY, order });
      }
      v.scroll();
    }

    if (who) {
      if (!v.identified && rnd() < 0.8) v.identify(who);
      if (v.identified) {
        counts.identified++;
        // Customers of the old shop, known by their email there: tied to the new id once.
        if (rnd() < 0.04) v.alias(`legacy-${who.email}`);
      }
    }
    for (const r of pendingRefunds) {
      if (r.at >= end || !v.identified) continue;
      v.startSession(r.at);
      v.track('Order Refunded', { order_id: r.order.order_id, total: r.order.total, currency: 'EUR' });
      counts.sessions--; // a refund is recorded by the shop's back office, not a visit
      counts.refunds++;
    }
    yield v.messages;
  }
}

export const emptyCounts = (): HistoryCounts => ({
  events: 0,
  visitors: 0,
  identified: 0,
  sessions: 0,
  pageViews: 0,
  clicks: 0,
  orders: 0,
  refunds: 0,
  aliases: 0,
});

/** The counts of a history without keeping it (for a progress total before the real pass). */
export function countHistory(o: HistoryOptions): HistoryCounts {
  const counts = emptyCounts();
  for (const _ of history(o, counts));
  return counts;
}
