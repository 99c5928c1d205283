// Turns the text properties of commerce events into checked orders, refunds and products. Amounts stay
// decimal strings end to end; anything unreadable is dropped here, so one bad event never fails a batch.

/** A non-negative decimal as Postgres prints a jsonb number (or as a shop sends it in a string). */
const AMOUNT = /^\d{1,15}(\.\d{1,6})?$/;
const QUANTITY = /^\d{1,6}$/;
const CURRENCY = /^[A-Za-z]{3}$/;
const MAX_ID = 200;
const MAX_TEXT = 500;
const MAX_LINES = 500;

type Text = Record<string, string | null>;

export const amount = (v: string | null | undefined): string | null => (v != null && AMOUNT.test(v) ? v : null);
export const id = (v: string | null | undefined): string | null =>
  v != null && v.length > 0 && v.length <= MAX_ID ? v : null;
const text = (v: string | null | undefined): string | null => (v ? v.slice(0, MAX_TEXT) : null);
const quantity = (v: string | null | undefined): number | null => (v != null && QUANTITY.test(v) ? Number(v) : null);

/** ISO code upper-cased; `invalid` when something unreadable was sent (kept out of revenue). */
export function currency(v: string | null | undefined): string | null | 'invalid' {
  if (v == null || v === '') return null;
  return CURRENCY.test(v) ? v.toUpperCase() : 'invalid';
}

export interface ProductFacts {
  product_id: string;
  sku: string | null;
  name: string | null;
  price: string | null;
  currency: string | null;
  category: string | null;
  brand: string | null;
  url: string | null;
  image_url: string | null;
}

export interface OrderLine {
  line: number;
  product_id: string | null;
  sku: string | null;
  name: string | null;
  price: string | null;
  quantity: number;
  category: string | null;
  brand: string | null;
}

export interface OrderFacts {
  order_id: string;
  /** null: the sum of the lines. */
  total: string | null;
  currency: string | null | 'invalid';
  discount: string | null;
  shipping: string | null;
  tax: string | null;
  lines: OrderLine[];
}

export interface RefundFacts {
  order_id: string;
  /** Explicit refunded amount, when sent. */
  amount: string | null;
  /** Refunded products; null with no amount means the whole order. */
  items: { product_id: string | null; sku: string | null; price: string | null; quantity: number | null }[] | null;
}

export function productFacts(p: Text): ProductFacts | null {
  const productId = id(p.product_id) ?? id(p.sku);
  if (!productId) return null;
  const c = currency(p.currency);
  return {
    product_id: productId,
    sku: text(p.sku),
    name: text(p.name),
    price: amount(p.price),
    currency: c === 'invalid' ? null : c,
    category: text(p.category),
    brand: text(p.brand),
    url: text(p.url),
    image_url: text(p.image_url),
  };
}

export function orderFacts(props: Text, products: Text[] | null): OrderFacts | null {
  const orderId = id(props.order_id);
  if (!orderId) return null;
  const lines: OrderLine[] = (products ?? []).slice(0, MAX_LINES).map((p, i) => ({
    line: i + 1,
    product_id: id(p.product_id),
    sku: text(p.sku),
    name: text(p.name),
    price: amount(p.price),
    quantity: quantity(p.quantity) ?? 1,
    category: text(p.category),
    brand: text(p.brand),
  }));
  // Segment's v2 spec names the order value `total`; older clients send `revenue`.
  const sent = props.total ?? props.revenue ?? null;
  const total = amount(sent);
  // An amount we cannot read exactly is not guessed at: the order is left out rather than stored wrong.
  if ((sent !== null && total === null) || (total === null && !lines.some((l) => l.price !== null))) return null;
  return {
    order_id: orderId,
    total,
    currency: currency(props.currency),
    discount: amount(props.discount),
    shipping: amount(props.shipping),
    tax: amount(props.tax),
    lines,
  };
}

export function refundFacts(props: Text, products: Text[] | null): RefundFacts | null {
  const orderId = id(props.order_id);
  if (!orderId) return null;
  const items = products?.length
    ? products.slice(0, MAX_LINES).map((p) => ({
        product_id: id(p.product_id),
        sku: text(p.sku),
        price: amount(p.price),
        quantity: quantity(p.quantity),
      }))
    : null;
  return { order_id: orderId, amount: amount(props.total) ?? amount(props.revenue), items };
}
