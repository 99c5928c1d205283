// The demo shop's behaviour: a cart in localStorage and the e-commerce events of Segment's spec, sent with the
// Fideliza SDK (always through `window.fideliza`: the stub until the SDK has loaded, then the SDK itself).
(() => {
  const KEY = 'fideliza-demo-cart';
  const read = () => {
    try {
      return JSON.parse(localStorage.getItem(KEY) || '[]');
    } catch {
      return [];
    }
  };
  const write = (lines) => {
    localStorage.setItem(KEY, JSON.stringify(lines));
    const count = document.getElementById('cart-count');
    if (count) count.textContent = String(lines.reduce((n, l) => n + l.quantity, 0));
  };
  const cartId = () => {
    let id = localStorage.getItem(`${KEY}-id`);
    if (!id) {
      id = `cart-${Math.random().toString(36).slice(2, 10)}`;
      localStorage.setItem(`${KEY}-id`, id);
    }
    return id;
  };
  const euros = (n) => `${n.toFixed(2).replace('.', ',')} €`;
  const withMeta = (p) => ({ ...p, currency: 'EUR', url: `${location.origin}/demo/p/${p.product_id}` });
  write(read());

  const list = document.querySelector('[data-list]');
  if (list) window.fideliza.track('Product List Viewed', { list_id: list.dataset.list, category: list.dataset.list });

  const product = document.querySelector('[data-product]');
  if (product) {
    const p = JSON.parse(product.dataset.product);
    window.fideliza.track('Product Viewed', withMeta(p));
    for (const b of document.querySelectorAll('#sizes button')) {
      b.addEventListener('click', () => {
        for (const o of document.querySelectorAll('#sizes button')) o.setAttribute('aria-pressed', String(o === b));
      });
    }
    document.getElementById('add-to-cart').addEventListener('click', (e) => {
      const lines = read();
      const line = lines.find((l) => l.product_id === p.product_id);
      if (line) line.quantity++;
      else lines.push({ ...p, quantity: 1 });
      write(lines);
      window.fideliza.track('Product Added', { ...withMeta(p), quantity: 1, cart_id: cartId() });
      e.target.textContent = 'Añadido ✓';
    });
  }

  // "Combina con": recommendations from the server, reported with Segment's list events under our list id, so
  // the dashboard can tell what followed them (the README's e-commerce section has this as an example).
  const recs = document.getElementById('recs');
  if (product && recs) {
    const LIST = 'fideliza-recommendations';
    const key = document.querySelector('script[data-key]').dataset.key;
    const id = JSON.parse(product.dataset.product).product_id;
    fetch(`/v1/recommendations?product=${encodeURIComponent(id)}&limit=4&writeKey=${encodeURIComponent(key)}`)
      .then((res) => (res.ok ? res.json() : { recommendations: [] }))
      .then(({ recommendations }) => {
        if (recommendations.length === 0) return;
        const items = recommendations.map((r, i) => ({
          product_id: r.productId,
          name: r.name ?? r.productId,
          ...(r.price === null ? {} : { price: Number(r.price) }),
          position: i + 1,
        }));
        const grid = document.getElementById('rec-grid');
        grid.replaceChildren(
          ...items.map((item) => {
            const a = document.createElement('a');
            a.className = 'card';
            a.href = `/demo/p/${encodeURIComponent(item.product_id)}`;
            a.dataset.productId = item.product_id;
            const photo = document.createElement('div');
            photo.className = 'photo';
            const label = document.createElement('span');
            label.textContent = item.name;
            photo.append(label);
            const name = document.createElement('span');
            name.className = 'name';
            name.textContent = item.name;
            const price = document.createElement('span');
            price.className = 'price';
            price.textContent = item.price === undefined ? '' : euros(item.price);
            a.append(photo, name, price);
            a.addEventListener('click', () => window.fideliza.track('Product Clicked', { list_id: LIST, ...item }));
            return a;
          }),
        );
        recs.hidden = false;
        // Shown means seen: reported once half the block is on screen, as ad impressions are counted.
        const seen = new IntersectionObserver(
          (entries) => {
            if (!entries.some((e) => e.isIntersecting)) return;
            seen.disconnect();
            window.fideliza.track('Product List Viewed', { list_id: LIST, products: items });
          },
          { threshold: 0.5 },
        );
        seen.observe(grid);
      })
      .catch(() => {});
  }

  const cart = document.getElementById('cart-lines');
  if (cart) {
    const render = () => {
      const lines = read();
      cart.replaceChildren(
        ...lines.map((l) => {
          const li = document.createElement('li');
          li.textContent = `${l.name} × ${l.quantity} · ${euros(l.price * l.quantity)}`;
          const remove = document.createElement('button');
          remove.type = 'button';
          remove.dataset.removeId = l.product_id;
          remove.textContent = 'Quitar';
          remove.addEventListener('click', () => {
            write(read().filter((x) => x.product_id !== l.product_id));
            window.fideliza.track('Product Removed', { ...withMeta(l), cart_id: cartId() });
            render();
          });
          li.append(remove);
          return li;
        }),
      );
      document.getElementById('cart-empty').hidden = lines.length > 0;
      document.getElementById('checkout-button').hidden = lines.length === 0;
    };
    render();
    window.fideliza.track('Cart Viewed', { cart_id: cartId(), products: read().map(withMeta) });
  }

  const form = document.getElementById('checkout-form');
  if (form) {
    const lines = read().map(withMeta);
    const subtotal = Math.round(lines.reduce((s, l) => s + l.price * l.quantity, 0) * 100) / 100;
    window.fideliza.track('Checkout Started', { cart_id: cartId(), value: subtotal, currency: 'EUR', products: lines });
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const data = new FormData(form);
      const email = String(data.get('email'));
      window.fideliza.identify(`web-${email.toLowerCase()}`, { name: String(data.get('name')), email });
      const shipping = subtotal >= 50 || subtotal === 0 ? 0 : 4.95;
      const orderId = `WEB-${Date.now().toString(36).toUpperCase()}`;
      window.fideliza.track('Order Completed', {
        order_id: orderId,
        checkout_id: cartId(),
        total: Math.round((subtotal + shipping) * 100) / 100,
        revenue: subtotal,
        shipping,
        currency: 'EUR',
        products: lines,
      });
      write([]);
      localStorage.removeItem(`${KEY}-id`);
      form.hidden = true;
      document.getElementById('order-id').textContent = orderId;
      document.getElementById('thanks').hidden = false;
    });
  }

  document.getElementById('newsletter').addEventListener('submit', (e) => {
    e.preventDefault();
    window.fideliza.track('Newsletter Subscribed', { list: 'novedades' });
    e.target.querySelector('button').textContent = '¡Gracias!';
  });
})();
