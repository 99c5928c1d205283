// @vitest-environment happy-dom
// The app shell shows the product name and the server's readiness, asked through the typed client.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApi } from './api.ts';
import { start } from './main.tsx';

let stop: (() => void) | undefined;

afterEach(() => {
  stop?.();
  stop = undefined;
  document.body.replaceChildren();
});

/** A fetch that answers like the server's /readyz and records what it was asked. */
function fakeFetch(status: number, body: unknown) {
  return vi.fn<typeof fetch>(async () => Response.json(body, { status }));
}

function render(fetch: typeof globalThis.fetch, locale: 'es' | 'en') {
  const root = document.createElement('div');
  document.body.append(root);
  stop = start(root, { api: createApi({ baseUrl: 'http://fideliza.test', fetch }), locale });
  return root;
}

const statusText = (root: Element) => root.querySelector('[role="status"]')?.textContent;

describe('app shell', () => {
  it.each([
    ['es', 'Servidor listo'],
    ['en', 'Server ready'],
  ] as const)('in %s says the server is ready when /readyz answers ready', async (locale, text) => {
    const fetch = fakeFetch(200, { status: 'ready' });
    const root = render(fetch, locale);
    expect(root.querySelector('h1')?.textContent).toBe('Fideliza');
    await vi.waitFor(() => expect(statusText(root)).toBe(text));
    expect(fetch).toHaveBeenCalledTimes(1);
    const [input, init] = fetch.mock.calls[0] ?? [];
    expect(String(input)).toBe('http://fideliza.test/readyz');
    expect(init?.method).toBe('GET');
    expect(document.documentElement.lang).toBe(locale);
  });

  it.each([
    ['es', 'Servidor no disponible'],
    ['en', 'Server unavailable'],
  ] as const)('in %s says the server is unavailable when /readyz answers 503', async (locale, text) => {
    const root = render(fakeFetch(503, { status: 'unavailable', reason: 'database unreachable' }), locale);
    await vi.waitFor(() => expect(statusText(root)).toBe(text));
  });

  it('says unavailable when the server cannot be reached at all', async () => {
    const root = render(
      vi.fn<typeof fetch>(async () => {
        throw new TypeError('Failed to fetch');
      }),
      'en',
    );
    await vi.waitFor(() => expect(statusText(root)).toBe('Server unavailable'));
  });

  it('says it is checking until the answer arrives', async () => {
    let answer: (res: Response) => void = () => {};
    const fetch = vi.fn<typeof globalThis.fetch>(() => new Promise<Response>((resolve) => (answer = resolve)));
    const root = render(fetch, 'es');
    expect(statusText(root)).toBe('Comprobando el servidor…');
    await vi.waitFor(() => expect(fetch).toHaveBeenCalledTimes(1));
    expect(statusText(root)).toBe('Comprobando el servidor…');
    answer(Response.json({ status: 'ready' }));
    await vi.waitFor(() => expect(statusText(root)).toBe('Servidor listo'));
  });
});
