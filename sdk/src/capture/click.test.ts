// @vitest-environment happy-dom
// Heatmap clicks: short stable selectors, positions, masking of text, rage clicks.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { clickListener, selector } from './click.ts';

const $ = (css: string) => document.querySelector(css)!;

describe('selector', () => {
  beforeEach(() => {
    document.body.innerHTML = `
      <header id="top"><nav><a href="/a">A</a><a href="/b">B</a></nav></header>
      <main>
        <ul class="products">
          <li data-product-id="sku-42"><button class="add">Add</button></li>
          <li data-product-id="sku-43"><button class="add">Add</button></li>
          <li data-product-id="has spaces"><button class="add">Add</button></li>
        </ul>
        <section><p>one</p><p>two <b>bold</b></p></section>
        <div id=":r1:"><span>generated id</span></div>
        <div data-testid="checkout"><button>Pay</button></div>
        <div data-email="ana@example.com"><button>Mail</button></div>
      </main>`;
  });

  it('stops at a stable id', () => {
    expect(selector($('#top'))).toBe('#top');
    expect(selector($('#top a:nth-of-type(2)'))).toBe('a:nth-of-type(2)');
  });

  it('uses stable data attributes, and is as short as it can be while matching only that element', () => {
    expect(selector($('[data-product-id="sku-43"] button'))).toBe('li[data-product-id="sku-43"]>button');
    expect(selector($('[data-testid="checkout"] button'))).toBe('div[data-testid="checkout"]>button');
    expect(selector($('b'))).toBe('b');
  });

  it('falls back to nth-of-type, only among siblings of the same tag', () => {
    expect(selector($('section p:nth-of-type(2)'))).toBe('p:nth-of-type(2)');
    expect(selector($('li:nth-of-type(3) button'))).toBe('li:nth-of-type(3)>button');
  });

  it('skips generated ids and data values that are not plain tokens (no personal data in selectors)', () => {
    const generated = selector($('span'));
    expect(generated).not.toContain(':r1:');
    expect(document.querySelectorAll(generated)).toHaveLength(1);
    const mail = selector($('[data-email] button'));
    expect(mail).not.toContain('example.com');
    expect(document.querySelectorAll(mail)).toHaveLength(1);
  });

  it('always matches exactly the element it describes', () => {
    for (const el of document.body.querySelectorAll('*')) {
      const css = selector(el);
      expect(document.querySelectorAll(css), css).toHaveLength(1);
      expect(document.querySelector(css)).toBe(el);
    }
  });
});

describe('clickListener', () => {
  let events: Record<string, unknown>[];
  let listen: (e: MouseEvent) => void;

  const click = (el: Element, x: number, y: number) => {
    const e = new MouseEvent('click', { bubbles: true, clientX: x, clientY: y });
    Object.defineProperties(e, { pageX: { value: x }, pageY: { value: y + 1000 } });
    el.dispatchEvent(e);
  };
  const box = (el: Element, left: number, top: number, width: number, height: number) => {
    el.getBoundingClientRect = () => ({ left, top, width, height }) as DOMRect;
  };

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    events = [];
    listen = clickListener((_, p) => events.push(p));
    document.addEventListener('click', listen, true);
    document.body.innerHTML = `
      <a id="cart" href="/cart"><svg><path d="M0 0"></path></svg> Cart (2)</a>
      <button id="buy">Buy now</button>
      <form id="f"><input id="email" value="ana@example.com"><textarea id="note">secret</textarea></form>
      <div id="card" data-fideliza-mask><button id="masked">Ana García</button></div>
      <button id="inner">Hello <span data-fideliza-mask>Ana</span></button>
      <p id="para">Plain paragraph</p>`;
  });
  afterEach(() => {
    document.removeEventListener('click', listen, true);
    vi.useRealTimers();
  });

  it('records selector, page position, position within the element, viewport, document, link and text', () => {
    box($('#buy'), 100, 50, 200, 40);
    click($('#buy'), 150, 60);
    expect(events).toEqual([
      expect.objectContaining({
        selector: '#buy',
        x: 150,
        y: 1060,
        rx: 0.25,
        ry: 0.25,
        vw: innerWidth,
        vh: innerHeight,
        dw: document.documentElement.scrollWidth,
        dh: document.documentElement.scrollHeight,
        text: 'Buy now',
      }),
    ]);
    expect(events[0]!.rage).toBeUndefined();
  });

  it('counts a click on an icon inside a link for the link, with its href', () => {
    click($('path'), 5, 5);
    expect(events[0]).toMatchObject({ selector: '#cart', href: 'http://localhost:3000/cart', text: 'Cart (2)' });
  });

  it('never reads inputs, nor text inside or around data-fideliza-mask', () => {
    click($('#email'), 1, 1);
    click($('#note'), 1, 1);
    click($('#masked'), 1, 1);
    click($('#inner'), 1, 1);
    expect(events.map((e) => e.selector)).toEqual(['#email', '#note', '#masked', '#inner']);
    for (const e of events) expect(e.text).toBeUndefined();
    expect(JSON.stringify(events)).not.toMatch(/ana@example|secret|Ana/);
  });

  it('keeps at most 64 characters of text', () => {
    $('#para').textContent = 'x'.repeat(100);
    click($('#para'), 1, 1);
    expect(events[0]!.text).toBe('x'.repeat(64));
  });

  it('flags rage clicks: the third within 30 px and one second', () => {
    click($('#buy'), 100, 100);
    vi.advanceTimersByTime(300);
    click($('#buy'), 110, 110);
    vi.advanceTimersByTime(300);
    click($('#buy'), 95, 105);
    vi.advanceTimersByTime(300);
    click($('#buy'), 100, 100);
    expect(events.map((e) => e.rage)).toEqual([undefined, undefined, true, true]);
  });

  it('does not flag clicks that are slow or far apart', () => {
    click($('#buy'), 100, 100);
    click($('#buy'), 200, 100);
    click($('#buy'), 300, 100);
    vi.advanceTimersByTime(600);
    click($('#para'), 10, 10);
    vi.advanceTimersByTime(600);
    click($('#para'), 10, 10);
    vi.advanceTimersByTime(600);
    click($('#para'), 10, 10);
    expect(events.map((e) => e.rage)).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
  });
});
