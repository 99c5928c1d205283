// @vitest-environment happy-dom
// The surveys pages against a fake server: the list with its actions, the editor sending every question kind and
// targeting option, the server's refusals next to the field they name, and the results with paged texts.
import type { WireSurvey } from '@fideliza/server/protocol';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeServer, json, mountPage, refusal, unmountAll } from '../../testing.tsx';
import SurveysPage from './index.tsx';

afterEach(unmountAll);

const survey = (over: Partial<WireSurvey> = {}): WireSurvey => ({
  id: 'sv1',
  name: 'Tras la compra',
  status: 'draft',
  questions: [
    { id: 'nps', kind: 'nps', title: { es: '¿Nos recomendarías?', en: 'Would you recommend us?' }, required: true },
    { id: 'csat', kind: 'csat', title: { en: 'How was delivery?' }, required: true },
    {
      id: 'via',
      kind: 'single_choice',
      title: { en: 'How did you find us?' },
      required: true,
      choices: [
        { id: 'google', label: { en: 'Google' } },
        { id: 'friend', label: { es: 'Un amigo', en: 'A friend' } },
      ],
    },
    { id: 'comment', kind: 'text', title: { en: 'What would you improve?' }, required: false, maxLength: 1000 },
  ],
  targeting: { urls: ['/demo/**'], excludeUrls: [], delaySeconds: 0, sharePercent: 100 },
  frequency: { mode: 'once' },
  createdAt: '2026-11-20T10:00:00.000Z',
  updatedAt: '2026-11-21T10:00:00.000Z',
  ...over,
});

const results = {
  surveyId: 'sv1',
  responses: 40,
  seen: 100,
  dismissed: 12,
  questions: [
    {
      id: 'nps',
      kind: 'nps',
      answered: 40,
      counts: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [String(i), i >= 9 ? 10 : i >= 7 ? 5 : 2])),
      nps: { score: 20.5, promoters: 20, passives: 10, detractors: 10 },
    },
    {
      id: 'csat',
      kind: 'csat',
      answered: 38,
      counts: { 1: 1, 2: 2, 3: 5, 4: 10, 5: 20 },
      csat: { score: 78.9, average: 4.21 },
    },
    { id: 'via', kind: 'single_choice', answered: 30, counts: { google: 18, friend: 12 } },
    { id: 'comment', kind: 'text', answered: 3 },
  ],
};

const response = (id: string, comment?: string) => ({
  id,
  surveyId: 'sv1',
  anonymousId: `a-${id}`,
  userId: null,
  url: null,
  answers: { nps: 9, ...(comment ? { comment } : {}) },
  createdAt: '2026-11-22T09:30:00.000Z',
});

function label(root: Element, text: string, index = 0) {
  const found = [...root.querySelectorAll('label')].filter((l) => l.textContent?.trim() === text)[index];
  if (!found) throw new Error(`no label "${text}" #${index}`);
  const control = found.htmlFor ? root.querySelector(`#${CSS.escape(found.htmlFor)}`) : found.querySelector('input');
  return control as HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
}

function type(root: Element, text: string, value: string, index = 0) {
  const el = label(root, text, index);
  act(() => {
    el.value = value;
    el.dispatchEvent(new Event(el instanceof HTMLSelectElement ? 'change' : 'input'));
  });
}

function check(root: Element, text: string) {
  const el = label(root, text) as HTMLInputElement;
  act(() => {
    el.checked = true;
    el.dispatchEvent(new Event('change'));
  });
}

function press(root: Element, text: string, index = 0) {
  const button = [...root.querySelectorAll('button')].filter((b) => b.textContent === text)[index];
  if (!button) throw new Error(`no button "${text}" #${index}`);
  act(() => button.click());
}

describe('surveys list', () => {
  it('lists surveys with status and responses, starts one and archives one after asking', async () => {
    let stored = [survey(), survey({ id: 'sv2', name: 'Entrega', status: 'active' })];
    const server = fakeServer({
      'GET /api/surveys': () => json({ surveys: stored }),
      'GET /api/surveys/:id/results': (req) => json({ ...results, responses: req.url.includes('sv2') ? 7 : 40 }),
      'PUT /api/surveys/:id': async (req) => {
        const body = (await req.json()) as WireSurvey;
        stored = stored.map((s) => (s.id === 'sv1' ? { ...s, ...body } : s));
        return json(stored[0]);
      },
      'POST /api/surveys/:id/archive': () => {
        stored = stored.filter((s) => s.id !== 'sv2');
        return json(survey({ id: 'sv2', name: 'Entrega', status: 'archived' }));
      },
    });
    const page = mountPage(SurveysPage, server.fetch, { href: '/surveys' });
    const rows = () =>
      [...page.root.querySelectorAll('tbody tr')].map((tr) =>
        [...tr.querySelectorAll('td')].slice(0, 4).map((td) => td.textContent),
      );
    await vi.waitFor(() =>
      expect(rows()).toEqual([
        ['Tras la compra', 'Draft', '4', '40'],
        ['Entrega', 'Active', '4', '7'],
      ]),
    );

    act(() => (page.root.querySelector('button[aria-label="Start: Tras la compra"]') as HTMLButtonElement).click());
    await vi.waitFor(() => expect(rows()[0]?.[1]).toBe('Active'));
    const put = server.requests.find((r) => r.method === 'PUT');
    expect(put?.path).toBe('/api/surveys/sv1');
    const { id: _id, createdAt: _c, updatedAt: _u, ...definition } = survey();
    expect(put?.body).toEqual({ ...definition, status: 'active' });
    expect(page.root.querySelector('[role="status"]')?.textContent).toBe('"Tras la compra" is now active.');

    act(() => (page.root.querySelector('button[aria-label="Archive: Entrega"]') as HTMLButtonElement).click());
    expect(page.root.querySelector('[role="alertdialog"]')?.textContent).toContain('Archive "Entrega"?');
    expect(server.requests.some((r) => r.path.endsWith('/archive'))).toBe(false);
    press(page.root.querySelector('[role="alertdialog"]') as Element, 'Archive');
    await vi.waitFor(() => expect(rows().map((r) => r[0])).toEqual(['Tras la compra']));
    expect(server.requests.filter((r) => r.path === '/api/surveys/sv2/archive')).toHaveLength(1);

    type(page.root, 'Show', 'archived');
    expect(page.navigations.at(-1)).toBe('/surveys?status=archived');
    await vi.waitFor(() => expect(server.requests.at(-1)?.query.get('status')).toBe('archived'));
  });

  it('says how to start when there are no surveys, in Spanish', async () => {
    const server = fakeServer({ 'GET /api/surveys': () => json({ surveys: [] }) });
    const page = mountPage(SurveysPage, server.fetch, { href: '/surveys', lang: 'es' });
    await vi.waitFor(() => expect(page.root.textContent).toContain('Aún no hay encuestas.'));
    expect(page.root.querySelector('h2')?.textContent).toBe('Encuestas');
  });
});

describe('survey editor', () => {
  const segments = {
    segments: [
      { id: 'builtin:rfm:champions', name: 'Champions' },
      { id: 'seg_1', name: 'Compradores de zapatillas' },
    ],
  };

  it('creates a survey with every question kind and targeting option', async () => {
    const server = fakeServer({
      'GET /api/segments': () => json(segments),
      'POST /api/surveys': async (req) => json({ ...survey(), ...((await req.json()) as object), id: 'sv9' }, 201),
    });
    const page = mountPage(SurveysPage, server.fetch, { href: '/surveys/new' });
    await vi.waitFor(() => expect(page.root.querySelector('form')).not.toBeNull());
    const root = page.root;
    type(root, 'Name', 'Opinión tras la compra');
    type(root, 'Status', 'active');
    type(root, 'Question in Spanish', '¿Nos recomendarías?');
    for (const kind of ['csat', 'single_choice', 'multiple_choice', 'text']) {
      type(root, 'Add a question', kind);
      press(root, 'Add a question');
    }
    expect(
      [...root.querySelectorAll('legend')].map((l) => l.textContent).filter((l) => l?.startsWith('Question')),
    ).toEqual([
      'Question 1 · NPS (0–10)',
      'Question 2 · Satisfaction (1–5)',
      'Question 3 · Single choice',
      'Question 4 · Multiple choice',
      'Question 5 · Free text',
    ]);
    type(root, 'Question in English', 'How was delivery?', 1);
    type(root, 'Question in English', 'Where did you hear of us?', 2);
    type(root, 'Spanish', 'Google', 0);
    type(root, 'Spanish', 'Un amigo', 1);
    type(root, 'Question in English', 'What do you run in?', 3);
    for (const [i, text] of ['Road', 'Trail'].entries()) type(root, 'English', text, 2 + i);
    press(root, 'Add a choice', 1);
    type(root, 'English', 'Track', 4);
    type(root, 'At most (choices)', '2');
    type(root, 'Answer id', 'comment', 4);
    type(root, 'Question in English', 'Anything else?', 4);
    type(root, 'Longest answer (characters)', '500');
    // The first question moves one down.
    act(() => (root.querySelector('button[aria-label="Move down: Question 1"]') as HTMLButtonElement).click());

    type(root, 'Only on pages', '/demo/p/*\n\n /demo/cart ');
    type(root, 'Never on pages', '/demo/checkout');
    check(root, 'Only visitors who did an event');
    type(root, 'Event', 'Order Completed');
    type(root, 'In the last (days)', '60');
    press(root, 'Add a condition');
    type(root, 'Property', 'total');
    type(root, 'Comparison', 'gt');
    type(root, 'Value type', 'number');
    type(root, 'Value', '100');
    await vi.waitFor(() => expect(root.querySelector('option[value="seg_1"]')).not.toBeNull());
    type(root, 'Segment', 'seg_1');
    type(root, 'Wait before showing (seconds)', '5');
    type(root, 'Share of visitors (%)', '50');
    check(root, 'Again after some days');
    type(root, 'Days between', '14');
    act(() => {
      root.querySelector('form')?.dispatchEvent(new Event('submit', { cancelable: true }));
    });

    await vi.waitFor(() => expect(page.navigations.at(-1)).toBe('/surveys/sv9'));
    const post = server.requests.find((r) => r.method === 'POST');
    expect(post?.body).toEqual({
      name: 'Opinión tras la compra',
      status: 'active',
      questions: [
        { id: 'q2', kind: 'csat', title: { en: 'How was delivery?' }, required: true },
        { id: 'q1', kind: 'nps', title: { es: '¿Nos recomendarías?' }, required: true },
        {
          id: 'q3',
          kind: 'single_choice',
          title: { en: 'Where did you hear of us?' },
          required: true,
          choices: [
            { id: 'c1', label: { es: 'Google' } },
            { id: 'c2', label: { es: 'Un amigo' } },
          ],
        },
        {
          id: 'q4',
          kind: 'multiple_choice',
          title: { en: 'What do you run in?' },
          required: true,
          choices: [
            { id: 'c1', label: { en: 'Road' } },
            { id: 'c2', label: { en: 'Trail' } },
            { id: 'c3', label: { en: 'Track' } },
          ],
          maxSelected: 2,
        },
        { id: 'comment', kind: 'text', title: { en: 'Anything else?' }, required: false, maxLength: 500 },
      ],
      targeting: {
        urls: ['/demo/p/*', '/demo/cart'],
        excludeUrls: ['/demo/checkout'],
        event: { name: 'Order Completed', withinDays: 60, filters: [{ property: 'total', op: 'gt', value: 100 }] },
        segmentId: 'seg_1',
        delaySeconds: 5,
        sharePercent: 50,
      },
      frequency: { mode: 'every', days: 14 },
    });
  });

  it('shows the server refusing a field at the top and next to that field', async () => {
    const server = fakeServer({
      'GET /api/segments': () => json(segments),
      'POST /api/surveys': () =>
        refusal(400, 'invalid_body', 'questions.0.title: give the text in `es` or `en`', 'questions.0.title'),
    });
    const page = mountPage(SurveysPage, server.fetch, { href: '/surveys/new' });
    await vi.waitFor(() => expect(page.root.querySelector('form')).not.toBeNull());
    type(page.root, 'Name', 'Sin título');
    act(() => {
      page.root.querySelector('form')?.dispatchEvent(new Event('submit', { cancelable: true }));
    });
    await vi.waitFor(() =>
      expect(page.root.querySelector('[role="alert"]')?.textContent).toBe(
        'Question 1 · title: give the text in `es` or `en`',
      ),
    );
    const input = label(page.root, 'Question in Spanish');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    const described = input.getAttribute('aria-describedby')?.split(' ').at(-1) ?? '';
    expect(page.root.querySelector(`#${CSS.escape(described)}`)?.textContent).toBe('give the text in `es` or `en`');
  });

  it('edits a stored survey and sends it back unchanged when nothing was touched', async () => {
    const stored = survey({
      targeting: {
        urls: ['/demo/**'],
        excludeUrls: [],
        event: { name: 'Cart Viewed', withinDays: 7, filters: [{ property: 'coupon', op: 'eq', value: true }] },
        segmentId: 'builtin:rfm:champions',
        delaySeconds: 3,
        sharePercent: 25,
      },
      frequency: { mode: 'every', days: 30 },
    });
    const server = fakeServer({
      'GET /api/segments': () => json(segments),
      'GET /api/surveys/:id': () => json(stored),
      'PUT /api/surveys/:id': async (req) => json({ ...stored, ...((await req.json()) as object) }),
    });
    const page = mountPage(SurveysPage, server.fetch, { href: '/surveys/sv1/edit' });
    await vi.waitFor(() => expect(label(page.root, 'Name').value).toBe('Tras la compra'));
    expect((label(page.root, 'Value') as HTMLSelectElement).value).toBe('true');
    act(() => {
      page.root.querySelector('form')?.dispatchEvent(new Event('submit', { cancelable: true }));
    });
    await vi.waitFor(() => expect(page.navigations.at(-1)).toBe('/surveys/sv1'));
    const { id: _id, createdAt: _c, updatedAt: _u, ...definition } = stored;
    expect(server.requests.find((r) => r.method === 'PUT')?.body).toEqual(definition);
  });
});

describe('survey results', () => {
  it('shows scores, distributions, paged written answers and the CSV link', async () => {
    const server = fakeServer({
      'GET /api/surveys/:id': () => json(survey({ status: 'active' })),
      'GET /api/surveys/:id/results': () => json(results),
      'GET /api/surveys/:id/responses': (req) =>
        new URL(req.url).searchParams.get('cursor') === '17'
          ? json({ responses: [response('r3', 'Más tallas grandes')], nextCursor: null })
          : json({ responses: [response('r1', 'Envío rápido'), response('r2')], nextCursor: '17' }),
    });
    const page = mountPage(SurveysPage, server.fetch, { href: '/surveys/sv1' });
    await vi.waitFor(() => expect(page.root.querySelectorAll('.survey-result').length).toBe(4));
    const kpis = [...page.root.querySelectorAll('.kpi')].map(
      (k) => `${k.querySelector('.label')?.textContent}=${k.querySelector('.value')?.textContent}`,
    );
    expect(kpis).toEqual([
      'Responses=40',
      'Shown=100',
      'Closed without answering=12',
      'Response rate=40%',
      'NPS=20.5',
      'Promoters (9–10)=50%',
      'Passives (7–8)=25%',
      'Detractors (0–6)=25%',
      'CSAT (4–5)=78.9 %',
      'Average=4.21',
    ]);
    const bars = (caption: string) =>
      [...page.root.querySelectorAll('figure')]
        .find((f) => f.querySelector('figcaption')?.textContent === caption)
        ?.querySelectorAll('rect title');
    expect([...(bars('Answers to "How did you find us?"') ?? [])].map((b) => b.textContent)).toEqual([
      'Google: 18',
      'A friend: 12',
    ]);
    expect(bars('Answers to "Would you recommend us?"')?.length).toBe(11);
    expect(page.root.querySelector('a[download]')?.getAttribute('href')).toBe('/api/surveys/sv1/responses.csv?site=s1');

    const texts = () => [...page.root.querySelectorAll('.survey-texts blockquote')].map((b) => b.textContent);
    await vi.waitFor(() => expect(texts()).toEqual(['Envío rápido']));
    expect(server.requests.find((r) => r.path === '/api/surveys/sv1/responses')?.query.get('limit')).toBe('20');
    press(page.root, 'Next page');
    await vi.waitFor(() => expect(texts()).toEqual(['Más tallas grandes']));
    expect(server.requests.at(-1)?.query.get('cursor')).toBe('17');
  });
});
