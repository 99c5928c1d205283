// Where the clickable things of each demo page sit, per viewport width. The shop's CSS (shop.css) lays pages
// out on these same numbers, so generated clicks land where a real visitor's would and the heatmap matches.
import { type Category, categories, type DemoProduct, featured, productsIn, recommendedWith } from './catalog.ts';

export type PageKind =
  | { kind: 'home' }
  | { kind: 'category'; category: Category }
  | { kind: 'product'; product: DemoProduct }
  | { kind: 'cart'; items: readonly DemoProduct[] }
  | { kind: 'checkout' };

/** A clickable box in page coordinates, with the selector the SDK would compute for it. */
export interface Target {
  selector: string;
  text?: string;
  href?: string;
  x: number;
  y: number;
  w: number;
  h: number;
  /** Not interactive: clicks on it do nothing (what the heatmap calls dead clicks). */
  dead?: boolean;
}

export const MAX_WIDTH = 960;
export const GAP = 16;
export const SIZES = ['38', '39', '40', '41', '42'] as const;

const columnsFor = (vw: number) => (vw < 768 ? 2 : vw < 1024 ? 3 : 4);
const headerHeight = (vw: number) => (vw < 768 ? 104 : 64);
const frame = (vw: number) => {
  const width = Math.min(MAX_WIDTH, vw - 32);
  return { left: Math.round((vw - width) / 2), width };
};

function header(vw: number): Target[] {
  const { left, width } = frame(vw);
  const mobile = vw < 768;
  const step = mobile ? 78 : vw < 1024 ? 90 : 110;
  const navLeft = mobile ? left : left + 160;
  const navTop = mobile ? 60 : 20;
  return [
    { selector: '#logo', text: 'Nortera', href: '/demo/', x: left, y: 16, w: 120, h: 32 },
    { selector: '#cart-link', text: 'Carrito', href: '/demo/cart', x: left + width - 130, y: 16, w: 130, h: 32 },
    ...categories.map((c, i) => ({
      selector: `a[data-category-id="${c}"]`,
      text: c[0]?.toUpperCase() + c.slice(1),
      href: `/demo/c/${c}`,
      x: navLeft + i * step,
      y: navTop,
      w: step - 12,
      h: 24,
    })),
  ];
}

function grid(vw: number, top: number, items: readonly DemoProduct[]): { targets: Target[]; bottom: number } {
  const { left, width } = frame(vw);
  const cols = columnsFor(vw);
  const w = (width - GAP * (cols - 1)) / cols;
  const h = w * 0.75 + 80;
  const targets = items.map((p, i) => ({
    selector: `a[data-product-id="${p.product_id}"]`,
    text: p.name,
    href: `/demo/p/${p.product_id}`,
    x: Math.round(left + (i % cols) * (w + GAP)),
    y: Math.round(top + Math.floor(i / cols) * (h + GAP)),
    w: Math.round(w),
    h: Math.round(h),
  }));
  return { targets, bottom: Math.round(top + Math.ceil(items.length / cols) * (h + GAP)) };
}

/** The page's clickable targets and its document height at this viewport width. */
export function pageLayout(page: PageKind, vw: number): { targets: Target[]; height: number } {
  const { left, width } = frame(vw);
  const top = headerHeight(vw) + 24;
  const targets = header(vw);
  let bottom = top;
  switch (page.kind) {
    case 'home': {
      const hero = vw < 768 ? 240 : 320;
      targets.push({
        selector: '#hero-cta',
        text: 'Ver novedades',
        x: left + width / 2 - 100,
        y: top + hero - 96,
        w: 200,
        h: 48,
      });
      targets.push({ selector: '#hero', x: left, y: top, w: width, h: hero - 110, dead: true });
      const g = grid(vw, top + hero + 64, featured);
      targets.push(...g.targets);
      bottom = g.bottom;
      break;
    }
    case 'category': {
      const g = grid(vw, top + 64, productsIn(page.category));
      targets.push(...g.targets);
      bottom = g.bottom;
      break;
    }
    case 'product': {
      const mobile = vw < 768;
      const col = mobile ? width : (width - GAP) / 2;
      const infoLeft = mobile ? left : left + col + GAP;
      const infoTop = mobile ? top + col + GAP : top;
      targets.push({ selector: '#photo', x: left, y: top, w: col, h: col, dead: true });
      targets.push(
        ...SIZES.map((size, i) => ({
          selector: `button[data-size-id="${size}"]`,
          text: size,
          x: infoLeft + i * 56,
          y: infoTop + 136,
          w: 48,
          h: 48,
        })),
      );
      targets.push({
        selector: '#add-to-cart',
        text: 'Añadir al carrito',
        x: infoLeft,
        y: infoTop + 208,
        w: 240,
        h: 48,
      });
      // Below the product, the shop's "Combina con" block of recommendations (a title, then a grid of cards).
      const g = grid(vw, (mobile ? infoTop + 280 : top + Math.max(col, 280)) + 64, recommendedWith(page.product));
      targets.push(...g.targets);
      bottom = g.bottom;
      break;
    }
    case 'cart': {
      targets.push(
        ...page.items.map((p, i) => ({
          selector: `button[data-remove-id="${p.product_id}"]`,
          text: 'Quitar',
          x: left + width - 96,
          y: top + 64 + i * 72 + 16,
          w: 96,
          h: 40,
        })),
      );
      const end = top + 64 + page.items.length * 72 + 24;
      targets.push({
        selector: '#checkout-button',
        text: 'Tramitar pedido',
        x: left + width - 240,
        y: end,
        w: 240,
        h: 48,
      });
      bottom = end + 72;
      break;
    }
    case 'checkout': {
      targets.push(
        ...['#name', '#email', '#address'].map((selector, i) => ({
          selector,
          x: left,
          y: top + 64 + i * 72 + 24,
          w: Math.min(width, 480),
          h: 40,
        })),
      );
      targets.push({
        selector: '#place-order',
        text: 'Pagar y confirmar',
        x: left,
        y: top + 64 + 3 * 72 + 16,
        w: 240,
        h: 48,
      });
      bottom = top + 64 + 4 * 72 + 40;
      break;
    }
  }
  // The footer's newsletter form.
  targets.push({
    selector: '#subscribe',
    text: 'Suscribirme',
    x: left + Math.min(width, 480) - 140,
    y: bottom + 56,
    w: 140,
    h: 40,
  });
  return { targets, height: bottom + 160 };
}
