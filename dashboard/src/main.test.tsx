// @vitest-environment happy-dom
// The shell: the sign-in gate, navigation by role, the site sent with every request, a 401 back to sign-in.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Role } from './context.ts';
import { start } from './main.tsx';
import { fakeServer, json, refusal } from './testing.tsx';

let stop: (() => void) | undefined;

/** The inbox (an agent's home) opens a live stream; happy-dom has no EventSource, so a silent one stands in. */
class SilentEventSource extends EventTarget {
  onopen = null;
  onmessage = null;
  onerror = null;
  readyState = 0;
  constructor(readonly url: string) {
    super();
  }
  close() {
    this.readyState = 2;
  }
}
vi.stubGlobal('EventSource', SilentEventSource);

afterEach(() => {
  stop?.();
  stop = undefined;
  document.body.replaceChildren();
  localStorage.clear();
  history.replaceState(null, '', '/dashboard/');
});

const me = (role: Role, sites = [{ id: 's1', name: 'Tienda Uno' }]) => ({
  user: { id: 'u1', email: 'ana@shop.test' },
  sites: sites.map((s) => ({ ...s, role })),
});

function mount(fetch: typeof globalThis.fetch, locale: 'es' | 'en' = 'en') {
  const root = document.createElement('div');
  document.body.append(root);
  stop = start(root, { baseUrl: 'http://fideliza.test', fetch, locale });
  return root;
}

const navLabels = (root: Element) => [...root.querySelectorAll('nav a')].map((a) => a.textContent);

describe('dashboard shell', () => {
  it('shows the sign-in form when nobody is signed in, and signs in', async () => {
    let signedIn = false;
    const { fetch, requests } = fakeServer({
      'GET /api/auth/me': () => (signedIn ? json(me('marketer')) : refusal(401, 'missing_secret_key', 'sign in')),
      'POST /api/auth/login': () => {
        signedIn = true;
        return json(me('marketer'));
      },
    });
    const root = mount(fetch, 'es');
    await vi.waitFor(() => expect(root.querySelector('form h2')?.textContent).toBe('Entra en Fideliza'));

    (root.querySelector('#login-email') as HTMLInputElement).value = 'ana@shop.test';
    (root.querySelector('#login-password') as HTMLInputElement).value = 'secret';
    root.querySelector('form')?.dispatchEvent(new Event('submit', { cancelable: true }));

    await vi.waitFor(() =>
      expect(navLabels(root)).toEqual([
        'Resumen',
        'Mapas de calor',
        'Clientes',
        'Segmentos',
        'Encuestas',
        'Recomendaciones',
        'Ajustes',
      ]),
    );
    const login = fetch.mock.calls
      .map(([input, init]) => new Request(input, init))
      .find((r) => r.url.endsWith('/api/auth/login'));
    expect(login?.headers.get('x-fideliza-csrf')).toBe('1');
    expect(requests.find((r) => r.path === '/api/auth/login')?.body).toEqual({
      email: 'ana@shop.test',
      password: 'secret',
    });
  });

  it('says why a sign-in was refused', async () => {
    const { fetch } = fakeServer({
      'GET /api/auth/me': () => refusal(401, 'missing_secret_key', 'sign in'),
      'POST /api/auth/login': () => refusal(401, 'invalid_credentials', 'wrong email or password'),
    });
    const root = mount(fetch);
    await vi.waitFor(() => expect(root.querySelector('form')).not.toBeNull());
    root.querySelector('form')?.dispatchEvent(new Event('submit', { cancelable: true }));
    await vi.waitFor(() => expect(root.querySelector('[role="alert"]')?.textContent).toBe('Wrong email or password.'));
  });

  it('takes an agent to the inbox and shows only their areas', async () => {
    const { fetch } = fakeServer({ 'GET /api/auth/me': () => json(me('agent')) });
    const root = mount(fetch);
    await vi.waitFor(() => expect(navLabels(root)).toEqual(['Customers', 'Inbox', 'Settings']));
    await vi.waitFor(() => expect(location.pathname).toBe('/dashboard/inbox'));
    expect(root.querySelector('nav a[aria-current="page"]')?.textContent).toBe('Inbox');
  });

  it('refuses an area the role may not see', async () => {
    history.replaceState(null, '', '/dashboard/segments');
    const { fetch } = fakeServer({ 'GET /api/auth/me': () => json(me('validator')) });
    const root = mount(fetch);
    await vi.waitFor(() =>
      expect(root.querySelector('main')?.textContent).toBe('Your role does not give access to this page.'),
    );
  });

  it('switches the language of every text', async () => {
    const { fetch } = fakeServer({ 'GET /api/auth/me': () => json(me('admin')) });
    const root = mount(fetch, 'en');
    await vi.waitFor(() => expect(navLabels(root)[0]).toBe('Overview'));
    const picker = [...root.querySelectorAll('select')].find((s) => s.querySelector('option[value="es"]'));
    if (!picker) throw new Error('no language picker');
    picker.value = 'es';
    picker.dispatchEvent(new Event('change'));
    await vi.waitFor(() => expect(navLabels(root)[0]).toBe('Resumen'));
    expect(document.documentElement.lang).toBe('es');
    expect(localStorage.getItem('fideliza.dashboard.locale')).toBe('es');
  });

  it('lets a user with two shops pick one and remembers it', async () => {
    const sites = [
      { id: 's1', name: 'Tienda Uno' },
      { id: 's2', name: 'Tienda Dos' },
    ];
    const { fetch } = fakeServer({ 'GET /api/auth/me': () => json(me('admin', sites)) });
    const root = mount(fetch);
    const picker = await vi.waitFor(() => {
      const s = [...root.querySelectorAll('select')].find((el) => el.querySelector('option[value="s2"]'));
      if (!s) throw new Error('no site picker yet');
      return s;
    });
    picker.value = 's2';
    picker.dispatchEvent(new Event('change'));
    expect(localStorage.getItem('fideliza.dashboard.site')).toBe('s2');
  });
});
