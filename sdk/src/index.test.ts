// @vitest-environment happy-dom
// The client as a page sees it: the messages it builds (checked against the server's own schema), identity,
// consent and privacy, that nothing ever throws, autocapture, and the widget hook.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { messageSchema } from '../../server/src/protocol/messages.ts';
import { type Client, createClient, type Options } from './index.ts';
import { fakeServer, named, settle, useLocks } from './testing.ts';

let sites = 0;
const site = () => `wk_client${++sites}`;
const manual: Partial<Options> = { autoPage: false, autoClick: false, autoScroll: false, widget: false };
const client = (writeKey: string, extra: Partial<Options> = manual) =>
  createClient({ writeKey, host: 'https://fz.test', ...extra });
const start = () => vi.advanceTimersByTimeAsync(0);
const stored = () => Object.keys(localStorage).filter((k) => k.startsWith('fz:'));
const events = (messages: { type: string; event?: string }[]) => messages.map((m) => m.event ?? m.type);

beforeEach(() => {
  vi.useFakeTimers();
  localStorage.clear();
  useLocks(undefined);
  history.replaceState(null, '', '/');
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  // Clients of earlier tests live on (timers, listeners): they keep talking to a fake server, never the network.
  fakeServer();
});

describe('messages', () => {
  it('builds Segment messages that the server accepts, with page context and campaign', async () => {
    const server = fakeServer();
    history.replaceState(null, '', '/products/shoes?utm_source=news&utm_medium=email&utm_campaign=spring&color=red');
    document.title = 'Shoes';
    const key = site();
    const c = client(key);
    c.page('Product', { category: 'shoes' });
    c.track('Product Viewed', { product_id: 'p1', price: 59.9, currency: 'EUR' });
    c.identify('user-1', { email: 'ana@example.com' }, { hmac: 'f00d' });
    c.alias('user-2');
    await c.flush();
    const sent = server.messages(key);
    expect(sent.map((m) => m.type)).toEqual(['page', 'track', 'identify', 'alias']);
    for (const m of sent) expect(messageSchema.safeParse(m).success, JSON.stringify(m)).toBe(true);
    const [page, track, identify, alias] = sent;
    expect(page).toMatchObject({ name: 'Product', properties: { category: 'shoes' } });
    expect(track).toMatchObject({ event: 'Product Viewed', properties: { product_id: 'p1', price: 59.9 } });
    expect(identify).toMatchObject({ userId: 'user-1', traits: { email: 'ana@example.com' } });
    expect(alias).toMatchObject({ userId: 'user-2', previousId: 'user-1' });
    expect(track!.context).toEqual({
      page: {
        url: 'http://localhost:3000/products/shoes?utm_source=news&utm_medium=email&utm_campaign=spring&color=red',
        path: '/products/shoes',
        search: '?utm_source=news&utm_medium=email&utm_campaign=spring&color=red',
        title: 'Shoes',
        referrer: document.referrer,
      },
      campaign: { source: 'news', medium: 'email', name: 'spring' },
      locale: navigator.language,
      library: { name: 'fideliza', version: 'dev' },
    });
    expect(new Set(sent.map((m) => m.anonymousId)).size).toBe(1);
    expect(Date.parse(track!.timestamp)).toBe(Date.now());
  });

  it('copies properties when called, so later changes by the page do not leak in', async () => {
    const server = fakeServer();
    const key = site();
    const c = client(key);
    const cart = { items: ['a'] };
    c.track('Cart Viewed', cart);
    cart.items.push('b');
    await c.flush();
    expect(server.messages(key)[0]).toMatchObject({ properties: { items: ['a'] } });
  });
});

describe('identity', () => {
  it('keeps the anonymous id and user id across reloads; reset() starts over', async () => {
    const server = fakeServer();
    const key = site();
    const first = client(key);
    const anonymousId = first.getAnonymousId();
    first.identify('u-7', {}, { hmac: 'abc' });
    expect(first.getUser()).toEqual({ anonymousId, userId: 'u-7', hmac: 'abc' });
    const reloaded = client(key);
    expect(reloaded.getAnonymousId()).toBe(anonymousId);
    reloaded.track('Back');
    reloaded.reset();
    reloaded.track('Logged out');
    await reloaded.flush();
    const [back, out] = named(server.messages(key), 'Back').concat(named(server.messages(key), 'Logged out'));
    expect(back).toMatchObject({ anonymousId, userId: 'u-7' });
    expect(out!.userId).toBeUndefined();
    expect(out!.anonymousId).not.toBe(anonymousId);
    expect(client(key).getAnonymousId()).toBe(out!.anonymousId);
  });
});

describe('consent and privacy', () => {
  it('pending: keeps everything in memory, sends and stores nothing until granted', async () => {
    const server = fakeServer();
    const key = site();
    const c = client(key, { ...manual, consent: 'pending' });
    c.identify('u-1');
    c.track('Product Viewed');
    await c.flush();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(server.of(key)).toEqual([]);
    expect(stored()).toEqual([]);
    c.consent('granted');
    await c.flush();
    expect(events(server.messages(key))).toEqual(['identify', 'Product Viewed']);
    expect(localStorage.getItem(`fz:${key}:a`)).toBe(c.getAnonymousId());
    // Remembered on this browser: the next page starts granted.
    const next = client(key, { ...manual, consent: 'pending' });
    next.track('Next page');
    await next.flush();
    expect(named(server.messages(key), 'Next page')).toHaveLength(1);
  });

  it('denied: drops what was queued, erases what was stored, sends nothing', async () => {
    const server = fakeServer(() => 'network-error');
    const key = site();
    const c = client(key);
    c.track('Before');
    await c.flush();
    expect(stored().length).toBeGreaterThan(0);
    c.consent('denied');
    expect(stored()).toEqual([]);
    server.fetch.mockImplementation(async () => new Response('{}'));
    c.track('After');
    await c.flush();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(events(server.messages(key))).toEqual(['Before']);
    expect(stored()).toEqual([]);
    const deniedFromStart = client(site(), { ...manual, consent: 'denied' });
    deniedFromStart.track('Nope');
    await deniedFromStart.flush();
    expect(server.fetch).toHaveBeenCalledTimes(1);
    expect(stored()).toEqual([]);
  });

  it('respectDoNotTrack: a browser sending DNT is treated as denied (only when the option is on)', async () => {
    const server = fakeServer();
    Object.defineProperty(navigator, 'doNotTrack', { value: '1', configurable: true });
    const respecting = site();
    const ignoring = site();
    client(respecting, { ...manual, respectDoNotTrack: true }).track('A');
    const other = client(ignoring);
    other.track('B');
    await other.flush();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(server.of(respecting)).toEqual([]);
    expect(server.messages(ignoring)).toHaveLength(1);
    Object.defineProperty(navigator, 'doNotTrack', { value: null, configurable: true });
  });

  it('sets no cookie', async () => {
    fakeServer();
    const c = client(site(), { widget: false });
    await start();
    c.identify('u');
    c.track('X');
    await c.flush();
    expect(document.cookie).toBe('');
  });
});

describe('safety', () => {
  const everyCall = (c: Client) => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const odd = [undefined, null, 0, '', {}, [], circular, { n: 10n }, Symbol('s')] as unknown[];
    const anyClient = c as unknown as Record<string, (...args: unknown[]) => unknown>;
    for (const method of Object.keys(c)) for (const arg of odd) anyClient[method]!(arg, arg, arg);
    c.track('Circular', circular);
    c.track('BigInt', { n: 1n } as unknown as Record<string, unknown>);
    c.consent('bogus' as 'granted');
    c.consent('granted');
  };

  it('no call throws, whatever it is given', async () => {
    const server = fakeServer();
    const key = site();
    const c = client(key);
    expect(() => everyCall(c)).not.toThrow();
    await expect(c.flush()).resolves.toBeUndefined();
    // What could be sent was sent (bad input drops only itself).
    expect(server.messages(key).length).toBeGreaterThan(0);
  });

  it('does not throw when created without options', () => {
    expect(() => (createClient as unknown as () => Client)()).not.toThrow();
  });

  it('works without localStorage, fetch or sendBeacon, and never rejects', async () => {
    const original = Object.getOwnPropertyDescriptor(window, 'localStorage')!;
    Object.defineProperty(window, 'localStorage', {
      configurable: true,
      get() {
        throw new DOMException('blocked', 'SecurityError');
      },
    });
    vi.stubGlobal('fetch', undefined);
    Object.defineProperty(navigator, 'sendBeacon', { value: undefined, configurable: true });
    try {
      let c: Client | undefined;
      expect(() => {
        c = client(site(), { widget: false });
      }).not.toThrow();
      await start();
      expect(() => everyCall(c!)).not.toThrow();
      await expect(c!.flush()).resolves.toBeUndefined();
      expect(() => dispatchEvent(new Event('pagehide'))).not.toThrow();
      expect(c!.getAnonymousId()).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      Object.defineProperty(window, 'localStorage', original);
    }
  });

  it('is silent in the console unless debug is on', async () => {
    fakeServer(() => ({ status: 400 }));
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) =>
      vi.spyOn(console, m).mockImplementation(() => {}),
    );
    const quiet = client(site());
    everyCall(quiet);
    await quiet.flush();
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    const loud = client(site(), { ...manual, debug: true });
    loud.track(
      'Circular',
      (() => {
        const o: Record<string, unknown> = {};
        o.o = o;
        return o;
      })(),
    );
    loud.track('Refused');
    await loud.flush();
    expect(spies[2]).toHaveBeenCalled();
    expect(spies[2]!.mock.calls.every((call) => call[0] === '[fideliza]')).toBe(true);
  });
});

describe('autocapture', () => {
  it('records the first page view and every single-page-app navigation, with the previous page as referrer', async () => {
    const server = fakeServer();
    const key = site();
    history.replaceState(null, '', '/home');
    const c = client(key, { widget: false, autoClick: false, autoScroll: false });
    await start();
    // Each navigation is recorded on the next task (once the app has rendered the page and set its title).
    const tick = () => vi.advanceTimersByTimeAsync(0);
    history.pushState(null, '', '/products');
    await tick();
    history.replaceState({ some: 'state' }, '', '/products');
    await tick();
    history.replaceState(null, '', '/products?sort=price');
    await tick();
    history.pushState(null, '', '/cart');
    document.title = 'Cart';
    await tick();
    // popstate and hashchange come after the browser changed the URL (replaceState stands in for that).
    history.replaceState(null, '', '/products');
    dispatchEvent(new PopStateEvent('popstate'));
    await tick();
    history.replaceState(null, '', '/products#reviews');
    dispatchEvent(new HashChangeEvent('hashchange'));
    await tick();
    await c.flush();
    const pages = server.messages(key).filter((m) => m.type === 'page');
    expect(pages.map((p) => `${p.context.page && (p.context.page as { url: string }).url}`.slice(21))).toEqual([
      '/home',
      '/products',
      '/products?sort=price',
      '/cart',
      '/products',
      '/products#reviews',
    ]);
    expect(pages.map((p) => (p.context.page as { referrer: string }).referrer.slice(21))).toEqual([
      '',
      '/home',
      '/products',
      '/products?sort=price',
      '/cart',
      '/products',
    ]);
    expect((pages[3]!.context.page as { title: string }).title).toBe('Cart');
  });

  it('sends $scroll with the deepest point when the page view ends: on navigation and on pagehide', async () => {
    const server = fakeServer();
    const key = site();
    history.replaceState(null, '', '/long');
    const root = document.documentElement;
    Object.defineProperty(root, 'scrollHeight', { value: 4000, configurable: true });
    Object.defineProperty(window, 'innerHeight', { value: 800, configurable: true });
    const c = client(key, { widget: false, autoClick: false });
    await start();
    for (const y of [500, 2200, 1000]) {
      Object.defineProperty(window, 'scrollY', { value: y, configurable: true });
      dispatchEvent(new Event('scroll'));
    }
    // The app renders a shorter page and scrolls to the top: the first page view's depth is kept as it was.
    history.pushState(null, '', '/short');
    Object.defineProperty(root, 'scrollHeight', { value: 1000, configurable: true });
    Object.defineProperty(window, 'scrollY', { value: 0, configurable: true });
    dispatchEvent(new Event('scroll'));
    await vi.advanceTimersByTimeAsync(0);
    Object.defineProperty(document, 'hidden', { value: true, configurable: true });
    dispatchEvent(new Event('pagehide'));
    dispatchEvent(new Event('pagehide'));
    Object.defineProperty(document, 'hidden', { value: false, configurable: true });
    await c.flush();
    // (What pagehide beaconed is also in the outbox until answered: count what the server answered.)
    const sent = server.delivered(key);
    expect(events(sent)).toEqual(['page', '$scroll', 'page', '$scroll']);
    expect(sent[1]).toMatchObject({ properties: { depth: 75, y: 3000, dh: 4000, vw: innerWidth } });
    expect((sent[1]!.context.page as { path: string }).path).toBe('/long');
    expect(sent[3]).toMatchObject({ properties: { depth: 80, y: 800, dh: 1000 } });
    expect((sent[3]!.context.page as { path: string }).path).toBe('/short');
  });

  it('sends $click for clicks anywhere on the page', async () => {
    const server = fakeServer();
    const key = site();
    document.body.innerHTML = '<button id="buy">Buy</button>';
    const c = client(key, { widget: false, autoPage: false, autoScroll: false });
    await start();
    document.getElementById('buy')!.click();
    await c.flush();
    expect(server.messages(key)).toEqual([
      expect.objectContaining({
        type: 'track',
        event: '$click',
        properties: expect.objectContaining({ selector: '#buy' }),
      }),
    ]);
  });

  it('can be switched off piece by piece', async () => {
    const server = fakeServer();
    const key = site();
    document.body.innerHTML = '<button id="buy">Buy</button>';
    const c = client(key, manual);
    await start();
    history.pushState(null, '', '/elsewhere');
    document.getElementById('buy')!.click();
    await vi.advanceTimersByTimeAsync(0);
    Object.defineProperty(document, 'hidden', { value: true, configurable: true });
    dispatchEvent(new Event('pagehide'));
    Object.defineProperty(document, 'hidden', { value: false, configurable: true });
    await c.flush();
    expect(server.of(key)).toEqual([]);
  });
});

describe('widget hook', () => {
  it('asks for the site config after load and idle, and loads nothing when the widget is off', async () => {
    const server = fakeServer();
    const key = site();
    client(key, { ...manual, widget: true });
    await start();
    await vi.advanceTimersByTimeAsync(10);
    const configCalls = server.fetch.mock.calls.filter(([url]) => String(url).includes('/v1/config'));
    expect(configCalls.map(([url]) => url)).toEqual([`https://fz.test/v1/config?writeKey=${key}`]);
  });

  it('imports the widget module and mounts it with the host, write key and client when the site turns it on', async () => {
    const server = fakeServer();
    server.config.widget.enabled = true;
    // A data: URL stands in for the server: `${host}/widget.js` is then a module whose mount() records its options.
    const host = 'data:text/javascript,export function mount(o){globalThis.fzMounted=o}//';
    const key = site();
    const c = createClient({ writeKey: key, host, ...manual, widget: true });
    await start();
    await vi.advanceTimersByTimeAsync(10);
    await vi.waitFor(() => expect((globalThis as { fzMounted?: unknown }).fzMounted).toBeDefined());
    expect((globalThis as { fzMounted?: unknown }).fzMounted).toEqual({ host, writeKey: key, client: c });
    await settle();
  });
});
