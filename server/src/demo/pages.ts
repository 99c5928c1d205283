// The demo shop's HTML: home, category, product, cart and checkout pages, with the SDK's script tag. Rendered
// from the same catalogue and layout the generated history uses, so its clicks and the live ones line up.
import { type Category, categories, categoryNames, type DemoProduct, euros, featured, productsIn } from './catalog.ts';
import { SIZES } from './layout.ts';

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

// The install snippet from the SDK's README: calls made before the SDK has loaded are queued.
const STUB =
  'window.fideliza=window.fideliza||[];["page","track","identify","alias","reset","consent","flush"].forEach(function(m){fideliza[m]=fideliza[m]||function(){fideliza.push([m].concat([].slice.call(arguments)))}});';

function layout(title: string, writeKey: string, main: string): string {
  const nav = categories.map((c) => `<a href="/demo/c/${c}" data-category-id="${c}">${categoryNames[c]}</a>`).join('');
  return `<!doctype html>
<html lang="es">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="/demo/shop.css">
<script>${STUB}</script>
<script async src="/sdk.js" data-key="${escapeHtml(writeKey)}"></script>
<script src="/demo/shop.js" defer></script>
</head>
<body>
<header><div class="wrap">
<a id="logo" href="/demo/">Nortera</a>
<nav id="menu">${nav}</nav>
<a id="cart-link" href="/demo/cart">Carrito (<span id="cart-count">0</span>)</a>
</div></header>
<main class="wrap">
${main}
</main>
<footer><div class="wrap">
<form id="newsletter"><label>Novedades por email <input name="email" type="email" placeholder="tu@email.es"></label><button id="subscribe" type="submit">Suscribirme</button></form>
<p>Tienda de demostración de Fideliza: los pedidos no son reales.</p>
</div></footer>
</body>
</html>
`;
}

/** Product data the page's script sends with the e-commerce events. */
const productData = (p: DemoProduct) =>
  escapeHtml(
    JSON.stringify({
      product_id: p.product_id,
      sku: p.sku,
      name: p.name,
      price: p.price,
      category: p.category,
      brand: p.brand,
    }),
  );

const photo = (p: DemoProduct, id = '') =>
  `<div class="photo"${id ? ` id="${id}"` : ''} style="background:hsl(${p.hue} 45% 72%)"><span>${escapeHtml(p.name)}</span></div>`;

const card = (p: DemoProduct) =>
  `<a class="card" href="/demo/p/${p.product_id}" data-product-id="${p.product_id}">${photo(p)}<span class="name">${escapeHtml(p.name)}</span><span class="price">${euros(p.price)}</span></a>`;

const grid = (items: readonly DemoProduct[]) => `<div class="grid">${items.map(card).join('')}</div>`;

export const renderHome = (writeKey: string) =>
  layout(
    'Nortera · Ropa y calzado para el aire libre',
    writeKey,
    `<section id="hero"><h1 class="hero-title">Sal ahí fuera</h1><p>Calzado y ropa para correr, caminar y viajar.</p><a id="hero-cta" href="/demo/c/zapatillas">Ver novedades</a></section>
<h2 class="title">Destacados</h2>
${grid(featured)}`,
  );

export const renderCategory = (writeKey: string, c: Category) =>
  layout(
    `${categoryNames[c]} · Nortera`,
    writeKey,
    `<h1 class="title" data-list="${c}">${categoryNames[c]}</h1>
${grid(productsIn(c))}`,
  );

export const renderProduct = (writeKey: string, p: DemoProduct) =>
  layout(
    `${p.name} · Nortera`,
    writeKey,
    `<div class="product" data-product="${productData(p)}">
${photo(p, 'photo')}
<div class="info">
<h1>${escapeHtml(p.name)}</h1>
<p class="price">${euros(p.price)}</p>
<p class="brand">${escapeHtml(p.brand)} · ${categoryNames[p.category]}</p>
<div id="sizes">${SIZES.map((s) => `<button type="button" data-size-id="${s}">${s}</button>`).join('')}</div>
<button type="button" id="add-to-cart">Añadir al carrito</button>
</div>
</div>
<section id="recs" aria-labelledby="recs-title" hidden><h2 class="title" id="recs-title">Combina con</h2><div class="grid" id="rec-grid"></div></section>`,
  );

export const renderCart = (writeKey: string) =>
  layout(
    'Tu carrito · Nortera',
    writeKey,
    `<h1 class="title">Tu carrito</h1>
<ul id="cart-lines"></ul>
<p id="cart-empty">Tu carrito está vacío.</p>
<p class="actions"><a id="checkout-button" href="/demo/checkout">Tramitar pedido</a></p>`,
  );

export const renderCheckout = (writeKey: string) =>
  layout(
    'Finalizar compra · Nortera',
    writeKey,
    `<h1 class="title">Finalizar compra</h1>
<form id="checkout-form">
<label>Nombre <input id="name" name="name" autocomplete="name" required></label>
<label>Email <input id="email" name="email" type="email" autocomplete="email" required></label>
<label>Dirección <input id="address" name="address" autocomplete="street-address" required></label>
<button id="place-order" type="submit">Pagar y confirmar</button>
</form>
<p id="thanks" hidden>¡Gracias! Tu pedido <strong id="order-id"></strong> está confirmado.</p>`,
  );
