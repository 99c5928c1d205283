// @vitest-environment happy-dom
// The customers pages against a fake server: search paged by the server, the customer file (figures,
// classification, traits, "for you", the timeline and its older pages), and the privacy actions per role.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { button, byLabel, fakeServer, json, mountPage, type, unmountAll } from '../../testing.tsx';
import ProfilesPage from './index.tsx';

afterEach(() => {
  unmountAll();
  vi.restoreAllMocks();
});

const tick = () => new Promise((r) => setTimeout(r, 0));

const listItem = (id: string, name: string | null, email: string | null) => ({
  id,
  userId: null,
  email,
  name,
  lastSeen: '2026-11-20T10:00:00.000Z',
  orders: 2,
  revenue: '80.5',
  lifecycle: 'customer',
  rfmSegment: 'champions',
});

const file = {
  profile: {
    id: 'p_ana',
    userId: 'u-ana',
    firstSeen: '2026-09-01T10:00:00.000Z',
    lastSeen: '2026-11-20T10:00:00.000Z',
    sessions: 12,
    pageViews: 48,
    orders: 3,
    revenue: '240.00',
    averageOrderValue: '80.00',
    firstOrderAt: '2026-09-02T10:00:00.000Z',
    lastOrderAt: '2026-11-19T10:00:00.000Z',
  },
  mergedFrom: [],
  traits: { name: 'Ana Pérez', email: 'ana@example.com', plan: 'gold' },
  identities: [
    { kind: 'user', value: 'u-ana', firstSeen: '2026-09-01T10:00:00.000Z', lastSeen: '2026-11-20T10:00:00.000Z' },
  ],
  classification: {
    lifecycle: 'customer',
    recencyScore: 5,
    frequencyScore: 4,
    monetaryScore: 3,
    rfmSegment: 'loyal',
    abcClass: 'A',
    premium: true,
    churnRisk: 'low',
    daysSinceLastOrder: 1,
    computedAt: '2026-11-20T10:00:00.000Z',
  },
  orders: [{ id: 'o1', currency: 'EUR' }],
};

const event = (messageId: string, at: string, type: string, eventName: string | null, properties: object | null) => ({
  kind: 'event',
  messageId,
  type,
  event: eventName,
  at,
  urlPath: type === 'page' ? '/zapatillas' : null,
  anonymousId: 'a1',
  userId: null,
  properties,
});

const timelinePages: Record<string, object> = {
  first: {
    items: [
      {
        kind: 'conversation',
        at: '2026-11-20T09:00:00.000Z',
        conversation: {
          id: 'c1',
          kind: 'complaint',
          status: 'in_review',
          rating: null,
          pageUrl: null,
          messages: 2,
          preview: 'Llegó roto',
          complaint: { ticket: 'R-2026-0001', category: 'damaged', orderNumber: 'o1' },
        },
      },
      event('m3', '2026-11-19T10:00:00.000Z', 'track', 'Order Completed', {
        order_id: 'o1',
        total: '80',
        currency: 'EUR',
        products: [{ product_id: 'p1' }, { product_id: 'p2' }],
      }),
    ],
    nextCursor: 'c2',
  },
  c2: {
    items: [
      {
        kind: 'survey_response',
        at: '2026-11-18T10:00:00.000Z',
        response: { id: 'r1', surveyId: 's1', url: null, answers: { nps: 9 } },
      },
      event('m1', '2026-11-18T09:00:00.000Z', 'page', null, null),
    ],
    nextCursor: null,
  },
};

function server() {
  return fakeServer({
    'GET /api/profiles': (req) => {
      const q = new URL(req.url).searchParams;
      return json(
        q.get('cursor')
          ? { items: [listItem('p_zoe', 'Zoe', null)], nextCursor: null }
          : { items: [listItem('p_ana', 'Ana Pérez', 'ana@example.com')], nextCursor: 'p_ana' },
      );
    },
    'GET /api/profiles/:id': () => json(file),
    'GET /api/profiles/:id/timeline': (req) =>
      json(timelinePages[new URL(req.url).searchParams.get('cursor') ?? 'first']),
    'GET /api/profiles/:id/recommendations': () =>
      json({
        recommendations: [
          {
            productId: 'p9',
            reason: 'bought_together',
            score: 0.5,
            count: 3,
            name: 'Calcetines',
            price: '9.90',
            currency: 'EUR',
            url: 'https://tienda.example/p/p9',
            imageUrl: null,
          },
        ],
      }),
    'GET /api/profiles/:id/export': () =>
      new Response('{"profile":{}}', {
        headers: {
          'content-type': 'application/json',
          'content-disposition': 'attachment; filename="profile-p_ana.json"',
        },
      }),
    'DELETE /api/profiles/:id': () => json({ erased: 'p_ana', erasedAt: '2026-11-20T10:00:00.000Z', counts: {} }),
  });
}

const rows = (root: Element) =>
  [...root.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent));

describe('customer search', () => {
  it('searches by what is typed, keeps it in the URL, and pages on the server', async () => {
    const s = server();
    const page = mountPage(ProfilesPage, s.fetch, { href: '/profiles' });
    await vi.waitFor(() => expect(rows(page.root)).toHaveLength(1));
    type(byLabel(page.root, 'Search customers'), ' ana@ ');
    await tick();
    page.root.querySelector('form')?.dispatchEvent(new Event('submit', { cancelable: true }));
    await vi.waitFor(() => expect(page.navigations).toEqual(['/profiles?q=ana%40']));
    await vi.waitFor(() => expect(s.requests.at(-1)?.query.get('q')).toBe('ana@'));
    await vi.waitFor(() =>
      expect(rows(page.root)).toEqual([
        ['Ana Pérez', 'ana@example.com', '2', '80.50', 'Current customer', 'Champions', 'Nov 20, 2026'],
      ]),
    );
    expect(page.root.querySelector('tbody a')?.getAttribute('href')).toBe('/dashboard/profiles/p_ana');
    button(page.root, 'Next page')?.click();
    await vi.waitFor(() => expect(rows(page.root)[0]?.[0]).toBe('Zoe'));
    expect(Object.fromEntries(s.requests.at(-1)?.query ?? [])).toEqual({ q: 'ana@', cursor: 'p_ana', limit: '25' });
  });
});

describe('customer file', () => {
  it('shows figures, classification, traits, suggestions and the timeline with its older pages', async () => {
    const s = server();
    const { root } = mountPage(ProfilesPage, s.fetch, { href: '/profiles/p_ana', role: 'agent', lang: 'es' });
    await vi.waitFor(() => expect(root.querySelector('h2')?.textContent).toBe('Ana Pérez'));
    const figures = [...root.querySelectorAll('.kpi')].map((k) => k.textContent);
    expect(figures.slice(0, 3)).toEqual(['3Pedidos', '240,00\u00a0€Ingresos', '80,00\u00a0€Pedido medio']);
    expect(root.querySelector('[aria-labelledby="profile-class"]')?.textContent).toContain('Segmento RFMLeales');
    expect(root.querySelector('[aria-labelledby="profile-traits"]')?.textContent).toContain('plangold');
    await vi.waitFor(() => expect(root.querySelector('.for-you a')?.textContent).toBe('Calcetines'));

    await vi.waitFor(() => expect(root.querySelectorAll('.timeline li')).toHaveLength(2));
    const entries = () =>
      [...root.querySelectorAll('.timeline li')].map((li) => li.querySelector('.tl-text')?.textContent);
    expect(entries()).toEqual(['Reclamación R-2026-0001 · damaged', 'Hizo el pedido o1']);
    expect(root.querySelectorAll('.timeline li')[1]?.querySelector('.tl-detail')?.textContent).toBe(
      '80,00\u00a0€ · 2 productos',
    );
    expect(s.requests.find((r) => r.path.endsWith('/timeline'))?.query.get('behaviour')).toBe('hide');
    button(root, 'Ver anteriores')?.click();
    await vi.waitFor(() => expect(entries()).toHaveLength(4));
    expect(entries().slice(2)).toEqual(['Respondió una encuesta', 'Vio /zapatillas']);
    expect(button(root, 'Ver anteriores')).toBeNull();

    // An agent is not offered the privacy actions the server would refuse.
    expect(root.querySelector('[aria-labelledby="profile-privacy"]')).toBeNull();
    expect(button(root, 'Borrar cliente')).toBeNull();
  });

  it('lets a marketer export the file and delete the customer after a confirmation naming them', async () => {
    const s = server();
    const saves: string[] = [];
    vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:fideliza/2');
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      saves.push(this.download);
    });
    const page = mountPage(ProfilesPage, s.fetch, { href: '/profiles/p_ana', role: 'marketer' });
    const { root } = page;
    await vi.waitFor(() => expect(button(root, 'Export data (JSON)')).not.toBeNull());
    button(root, 'Export data (JSON)')?.click();
    await vi.waitFor(() => expect(saves).toEqual(['profile-p_ana.json']));

    button(root, 'Delete customer')?.click();
    await vi.waitFor(() => expect(root.querySelector('[role="alertdialog"]')).not.toBeNull());
    expect(root.querySelector('[role="alertdialog"] p')?.textContent).toContain(
      'Delete everything stored about Ana Pérez',
    );
    expect(s.requests.some((r) => r.method === 'DELETE')).toBe(false);
    button(root, 'Delete Ana Pérez')?.click();
    await vi.waitFor(() => expect(page.navigations).toEqual(['/profiles?erased=Ana%20P%C3%A9rez']));
    expect(s.requests.filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual(['/api/profiles/p_ana']);
    await vi.waitFor(() =>
      expect(root.querySelector('[role="status"]')?.textContent).toBe(
        'Everything stored about Ana Pérez has been deleted.',
      ),
    );
  });
});
