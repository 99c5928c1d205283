// @vitest-environment happy-dom
// The segments pages against a fake server: the list with counts, building a segment with its live count (the
// last answer wins), the server's refusals next to their condition, saving, built-ins read-only, members and the
// streamed CSV export with its progress.
import type { WireSegmentCatalog } from '@fideliza/server/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { button, byLabel, choose, fakeServer, json, mountPage, refusal, type, unmountAll } from '../../testing.tsx';
import SegmentsPage from './index.tsx';

afterEach(() => {
  unmountAll();
  vi.restoreAllMocks();
});

const catalog: WireSegmentCatalog = {
  limits: { depth: 8, leaves: 50, windowDays: 3650, propertyFilters: 10 },
  leaves: [
    {
      type: 'trait',
      operators: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'contains', 'starts_with', 'exists', 'not_exists'],
      valueless: ['exists', 'not_exists'],
    },
    {
      type: 'counter',
      numberFields: ['orders', 'revenue'],
      dateFields: ['last_seen'],
      operators: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte'],
    },
    {
      type: 'class',
      fields: [
        { field: 'lifecycle', operators: ['eq', 'neq'], values: { kind: 'names', names: ['prospect', 'customer'] } },
        { field: 'premium', operators: ['eq', 'neq'], values: { kind: 'boolean' } },
      ],
    },
    { type: 'did', operators: ['eq', 'gt', 'exists'], valueless: ['exists'] },
    { type: 'did_not', operators: ['eq', 'gt', 'exists'], valueless: ['exists'] },
    { type: 'visited', matches: ['exact', 'prefix', 'glob'] },
  ],
  extensions: [
    {
      kind: 'open_complaints',
      label: 'Has open complaints',
      params: { type: 'object', properties: { atLeast: { type: 'integer', default: 1 } } },
    },
  ],
  suggestions: { traits: ['email', 'name'], events: ['Order Completed', 'Product Viewed'], paths: ['/'] },
};

const builtin = {
  id: 'builtin:premium',
  name: 'Premium customers',
  description: 'Spent above the site’s premium threshold',
  builtin: true,
  rules: { type: 'class', field: 'premium', op: 'eq', value: true },
  createdAt: null,
  updatedAt: null,
};
const saved = {
  id: 'seg-1',
  name: 'Repeat buyers',
  description: '',
  builtin: false,
  rules: { type: 'and', rules: [{ type: 'did', event: 'Order Completed', atLeast: 2, withinDays: 90, where: [] }] },
  createdAt: '2026-11-20T10:00:00.000Z',
  updatedAt: '2026-11-20T10:00:00.000Z',
};

/** Lets Preact render what the last event changed (as a person's next action would find it). */
const tick = () => new Promise((r) => setTimeout(r, 0));

const fieldsetOf = (root: Element, legend: string) =>
  [...root.querySelectorAll('fieldset')].find((f) => f.querySelector(':scope > legend')?.textContent === legend) ??
  null;

describe('segment list', () => {
  it('lists built-in and saved segments, each with its member count', async () => {
    const server = fakeServer({
      'GET /api/segments': () => json({ segments: [builtin, saved] }),
      'GET /api/segments/:id/count': (_req, { id }) => json({ id, count: id === 'seg-1' ? 1234 : 56 }),
    });
    const { root } = mountPage(SegmentsPage, server.fetch, { href: '/segments' });
    await vi.waitFor(() =>
      expect(
        [...root.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)),
      ).toEqual([
        ['Premium customers', 'Spent above the site’s premium threshold', 'Built-in', '56', 'Members'],
        ['Repeat buyers', '', 'Saved', '1,234', 'Members'],
      ]),
    );
    expect(root.querySelector('a[href="/dashboard/segments/builtin%3Apremium/members"]')).not.toBeNull();
  });
});

describe('segment builder', () => {
  it('counts while editing, shows only the latest answer, places refusals by their condition, and saves', async () => {
    const held: (() => void)[] = [];
    const server = fakeServer({
      'GET /api/segments/conditions': () => json(catalog),
      'POST /api/segments/preview/count': async (req) => {
        const { rules } = (await req.json()) as { rules: { rules: Record<string, unknown>[] } };
        const [first, second] = rules.rules;
        if (second?.type === 'trait' && second.value === 'many')
          return refusal(400, 'invalid_body', 'rules.rules.1.value: gt needs a number', 'rules.rules.1.value');
        const count = Number(first?.atLeast) * 100 + Number(first?.withinDays);
        // The answer for 30 days is held back until told: it arrives after a newer one.
        if (first?.withinDays === 30) await new Promise<void>((resolve) => held.push(resolve));
        return json({ count });
      },
      'POST /api/segments': async (req) => json({ ...saved, ...((await req.json()) as object), id: 'seg-2' }, 201),
    });
    const page = mountPage(SegmentsPage, server.fetch, { href: '/segments/new' });
    const { root } = page;
    await vi.waitFor(() => expect(button(root, 'Add condition')).not.toBeNull());
    expect(root.querySelector('output')?.textContent).toBe('Add a condition to see how many customers match.');

    // Every rule type the catalog lists, and the registered kind, are offered.
    const adder = root.querySelector('.group-add') as HTMLElement;
    expect([...(byLabel(adder, 'Condition type')?.querySelectorAll('option') ?? [])].map((o) => o.textContent)).toEqual(
      [
        'Trait',
        'Activity figure',
        'Classification',
        'Did an event',
        'Did not do an event',
        'Visited a page',
        'Has open complaints',
      ],
    );
    choose(byLabel(adder, 'Condition type'), 'did');
    await tick();
    button(adder, 'Add condition')?.click();
    await vi.waitFor(() => expect(fieldsetOf(root, 'Condition 1')).not.toBeNull());
    const first = fieldsetOf(root, 'Condition 1') as HTMLFieldSetElement;
    expect((byLabel(first, 'Event') as HTMLInputElement).value).toBe('Order Completed');
    type(byLabel(first, 'At least (times)'), '2');

    // The first count (2 times in 30 days) is asked and held; a newer tree is counted before it answers.
    await vi.waitFor(() => expect(held).toHaveLength(1));
    type(byLabel(first, 'In the last (days)'), '90');
    await vi.waitFor(() => expect(root.querySelector('output')?.textContent).toBe('290 customers match'));
    held[0]?.();
    await new Promise((r) => setTimeout(r, 50));
    expect(root.querySelector('output')?.textContent).toBe('290 customers match');
    expect(root.querySelector('output')?.getAttribute('data-count')).toBe('290');

    // A condition the server refuses: its words, led by what to check, under that condition only.
    choose(byLabel(adder, 'Condition type'), 'trait');
    await tick();
    button(adder, 'Add condition')?.click();
    await vi.waitFor(() => expect(fieldsetOf(root, 'Condition 2')).not.toBeNull());
    const second = fieldsetOf(root, 'Condition 2') as HTMLFieldSetElement;
    choose(byLabel(second, 'Comparison'), 'gt');
    type(byLabel(second, 'Value'), 'many');
    await vi.waitFor(() =>
      expect(second.querySelector('.error-text')?.textContent).toBe('Check the value: gt needs a number'),
    );
    expect(second.getAttribute('aria-describedby')).toBe(second.querySelector('.error-text')?.id);
    expect(first.querySelector('.error-text')).toBeNull();
    expect(root.querySelector('output')?.textContent).toBe('Fix the highlighted condition to see the count.');
    button(second, 'Remove condition 2')?.click();
    await vi.waitFor(() => expect(root.querySelector('output')?.textContent).toBe('290 customers match'));

    type(byLabel(root, 'Name'), 'Repeat buyers');
    await tick();
    root.querySelector('form')?.dispatchEvent(new Event('submit', { cancelable: true }));
    await vi.waitFor(() => expect(page.navigations).toEqual(['/segments/seg-2?saved=1']));
    expect(server.requests.find((r) => r.method === 'POST' && r.path === '/api/segments')?.body).toEqual({
      name: 'Repeat buyers',
      description: '',
      rules: { type: 'and', rules: [{ type: 'did', event: 'Order Completed', atLeast: 2, withinDays: 90, where: [] }] },
    });
  });

  it('edits a saved segment in place, asks before deleting it, and shows a built-in read-only', async () => {
    const server = fakeServer({
      'GET /api/segments/conditions': () => json(catalog),
      'GET /api/segments/:id': (_req, { id }) => json(id === saved.id ? saved : builtin),
      'POST /api/segments/preview/count': () => json({ count: 7 }),
      'PUT /api/segments/:id': async (req) => json({ ...saved, ...((await req.json()) as object) }),
      'DELETE /api/segments/:id': () => new Response(null, { status: 204 }),
    });
    const page = mountPage(SegmentsPage, server.fetch, { href: '/segments/seg-1', lang: 'es' });
    const { root } = page;
    await vi.waitFor(() => expect(root.querySelector('h2')?.textContent).toBe('Segmento: Repeat buyers'));
    const condition = fieldsetOf(root, 'Condición 1') as HTMLFieldSetElement;
    expect((byLabel(condition, 'Al menos (veces)') as HTMLInputElement).value).toBe('2');
    (condition.querySelector('input[type="checkbox"]') as HTMLInputElement).click();
    await tick();
    root.querySelector('form')?.dispatchEvent(new Event('submit', { cancelable: true }));
    await vi.waitFor(() => expect(root.querySelector('[role="status"]')?.textContent).toBe('Segmento guardado.'));
    const put = server.requests.find((r) => r.method === 'PUT');
    expect(put?.path).toBe('/api/segments/seg-1');
    expect(put?.body).toEqual({
      name: 'Repeat buyers',
      description: '',
      rules: { type: 'and', rules: [{ type: 'not', rule: saved.rules.rules[0] }] },
    });

    button(root, 'Borrar segmento')?.click();
    await vi.waitFor(() =>
      expect(root.querySelector('[role="alertdialog"]')?.textContent).toContain('«Repeat buyers»'),
    );
    button(root, 'Borrar «Repeat buyers»')?.click();
    await vi.waitFor(() => expect(page.navigations).toEqual(['/segments']));
    expect(server.requests.some((r) => r.method === 'DELETE' && r.path === '/api/segments/seg-1')).toBe(true);

    const view = mountPage(SegmentsPage, server.fetch, { href: '/segments/builtin:premium' });
    await vi.waitFor(() => expect(view.root.querySelector('.segment-rules')).not.toBeNull());
    expect((view.root.querySelector('.segment-rules') as HTMLFieldSetElement).disabled).toBe(true);
    expect(button(view.root, 'Save changes')).toBeNull();
    expect(view.root.querySelector('a[href="/dashboard/segments/new?from=builtin%3Apremium"]')?.textContent).toBe(
      'Copy as new',
    );
  });
});

describe('segment members', () => {
  it('pages members and exports the CSV with its progress, saved under the server’s file name', async () => {
    const encoder = new TextEncoder();
    let push: ((text: string | null) => void) | undefined;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        push = (text) => (text === null ? controller.close() : controller.enqueue(encoder.encode(text)));
      },
    });
    const server = fakeServer({
      'GET /api/segments/:id': () => json(saved),
      'GET /api/segments/:id/count': () => json({ id: 'seg-1', count: 3 }),
      'GET /api/segments/:id/members': (req) =>
        json({
          members: [
            {
              profileId: 'p_1',
              userId: 'u1',
              email: 'ana@example.com',
              name: 'Ana Pérez',
              sessions: 3,
              pageViews: 9,
              orders: 2,
              revenue: '80.5',
              lastSeen: '2026-11-20T10:00:00.000Z',
              lastOrderAt: null,
            },
          ],
          nextCursor: new URL(req.url).searchParams.get('cursor') ? null : 'p_1',
        }),
      'GET /api/segments/:id/export.csv': () =>
        new Response(body, {
          headers: {
            'content-type': 'text/csv; charset=utf-8',
            'content-disposition': 'attachment; filename="segment-seg-1.csv"',
          },
        }),
    });
    const saves: { name: string; href: string }[] = [];
    vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:fideliza/1');
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      saves.push({ name: this.download, href: this.href });
    });
    const { root } = mountPage(SegmentsPage, server.fetch, { href: '/segments/seg-1/members' });
    await vi.waitFor(() => expect(root.querySelector('tbody td')?.textContent).toBe('Ana Pérez'));
    expect(root.querySelector('.member-count')?.textContent).toBe('3 customers');
    button(root, 'Next page')?.click();
    await vi.waitFor(() => expect(server.requests.at(-1)?.query.get('cursor')).toBe('p_1'));

    button(root, 'Export CSV')?.click();
    await vi.waitFor(() => expect(push).toBeDefined());
    push?.('profile_id,user_id\r\np_1,u1\r\n');
    await vi.waitFor(() => expect(root.querySelector('.export-progress')?.textContent).toContain('1 of 3 customers'));
    expect(root.querySelector('progress')?.getAttribute('max')).toBe('3');
    push?.('p_2,u2\r\np_3,u3\r\n');
    push?.(null);
    await vi.waitFor(() =>
      expect(root.querySelector('.export [role="status"]')?.textContent).toBe('Downloaded 3 customers.'),
    );
    expect(saves).toEqual([{ name: 'segment-seg-1.csv', href: 'blob:fideliza/1' }]);
  });
});
