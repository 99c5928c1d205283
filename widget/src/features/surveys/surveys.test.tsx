// @vitest-environment happy-dom
// Surveys: asked for on each page path (after the SDK flushed), shown after their delay, every question kind with
// its labels, validation, answers sent, seen/dismissed recorded once, Spanish and English, failures kept visible.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, type SurveyQuestion, type WidgetSurvey } from '../../api/client.ts';
import { mount, type WidgetHandle } from '../../main.tsx';
import { fakeApi, mountWidget, unreachable } from '../../testing.ts';

let unmount: (() => void) | undefined;
afterEach(() => {
  unmount?.();
  unmount = undefined;
  vi.useRealTimers();
  history.replaceState(null, '', '/');
});

const q = <K extends SurveyQuestion['kind']>(question: Extract<SurveyQuestion, { kind: K }>) => question;

const allKinds: WidgetSurvey = {
  id: 's1',
  delaySeconds: 0,
  questions: [
    q({ id: 'nps', kind: 'nps', required: true, title: { en: 'Would you recommend us?', es: '¿Nos recomendarías?' } }),
    q({ id: 'csat', kind: 'csat', required: false, title: { es: '¿Qué tal la entrega?' } }),
    q({
      id: 'size',
      kind: 'single_choice',
      required: true,
      title: { en: 'How was the size?' },
      choices: [
        { id: 'small', label: { en: 'Small', es: 'Pequeña' } },
        { id: 'right', label: { en: 'Right', es: 'Justa' } },
      ],
    }),
    q({
      id: 'why',
      kind: 'multiple_choice',
      required: true,
      title: { en: 'Why did you buy?' },
      maxSelected: 2,
      choices: [
        { id: 'price', label: { en: 'Price' } },
        { id: 'look', label: { en: 'Look' } },
        { id: 'brand', label: { en: 'Brand' } },
      ],
    }),
    q({ id: 'more', kind: 'text', required: false, title: { en: 'Anything else?' }, maxLength: 300 }),
  ],
};

/** A widget whose server offers `survey` on every page. */
async function withSurvey(survey: WidgetSurvey = allKinds, locale: 'en' | 'es' = 'en') {
  const server = fakeApi();
  server.api.surveys.mockResolvedValue({ surveys: [survey] });
  const w = mountWidget(server.api, locale);
  unmount = w.handle.unmount;
  await vi.waitFor(() => w.$('#fz-survey-heading'));
  return { ...w, api: server.api };
}

const check = (input: HTMLInputElement) => {
  input.checked = !input.checked;
  input.dispatchEvent(new Event('change', { bubbles: true }));
};
const inputs = (root: ShadowRoot, name: string) => [...root.querySelectorAll<HTMLInputElement>(`[name=fz-q-${name}]`)];

describe('survey card', () => {
  it('asks for the page path once the SDK has flushed, shows the survey and records it as seen once', async () => {
    history.replaceState(null, '', '/checkout/done?email=ana@example.com#top');
    const { api } = fakeApi();
    api.surveys.mockResolvedValue({ surveys: [allKinds] });
    const order: string[] = [];
    const flush = vi.fn(async () => {
      order.push('flush');
    });
    api.surveys.mockImplementation(async (path) => {
      order.push(`surveys ${path}`);
      return { surveys: [allKinds] };
    });
    const handle: WidgetHandle = mount({ api, locale: 'en', client: { flush } });
    unmount = handle.unmount;
    const root = handle.host.shadowRoot!;
    await vi.waitFor(() => expect(root.querySelector('#fz-survey-heading')?.textContent).toBe('Quick survey'));
    // The path only: the query (here with an email) never leaves the page.
    expect(order).toEqual(['flush', 'surveys /checkout/done']);
    await vi.waitFor(() => expect(api.surveyEvent).toHaveBeenCalledWith('s1', 'seen'));
    expect(root.querySelector('[role=status]')?.textContent).toBe('A quick survey opened at the end of this page.');
    // Opening the panel hides the card; closing it brings it back, still counted once.
    root.querySelector<HTMLButtonElement>('.launcher')!.click();
    await vi.waitFor(() => expect(root.querySelector('#fz-survey-heading')).toBeNull());
    root.querySelector<HTMLButtonElement>('.launcher')!.click();
    await vi.waitFor(() => root.querySelector('#fz-survey-heading')!);
    expect(api.surveyEvent).toHaveBeenCalledTimes(1);
  });

  it('shows nothing when no survey applies, and never an error when the server is down', async () => {
    const { api } = fakeApi();
    api.surveys.mockImplementation(unreachable);
    const w = mountWidget(api);
    unmount = w.handle.unmount;
    await vi.waitFor(() => expect(api.surveys).toHaveBeenCalled());
    await w.open();
    expect(w.root.querySelector('#fz-survey-heading')).toBeNull();
    expect(w.text()).not.toContain('cannot reach');
  });

  it('waits for the survey delay, counted from the arrival on the page', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const { api } = fakeApi();
    api.surveys.mockResolvedValue({ surveys: [{ ...allKinds, delaySeconds: 5 }] });
    const w = mountWidget(api);
    unmount = w.handle.unmount;
    await vi.advanceTimersByTimeAsync(4999);
    expect(api.surveys).toHaveBeenCalledTimes(1);
    expect(w.root.querySelector('#fz-survey-heading')).toBeNull();
    await vi.advanceTimersByTimeAsync(1);
    expect(w.root.querySelector('#fz-survey-heading')).not.toBeNull();
  });

  it('labels every kind of question for screen readers, in the shopper language with the other as fallback', async () => {
    const w = await withSurvey(allKinds, 'es');
    const groups = [...w.root.querySelectorAll('fieldset')];
    expect(groups.map((g) => g.querySelector('legend')?.textContent)).toEqual([
      '¿Nos recomendarías?',
      '¿Qué tal la entrega? (opcional)',
      'How was the size?',
      'Why did you buy?',
    ]);
    // NPS 0–10 and CSAT 1–5 as radio groups whose ends are described.
    expect(inputs(w.root, 'nps').map((i) => i.parentElement?.textContent)).toEqual(
      Array.from({ length: 11 }, (_, i) => String(i)),
    );
    expect(inputs(w.root, 'nps').every((i) => i.type === 'radio')).toBe(true);
    const npsHint = w.root.getElementById(groups[0]!.getAttribute('aria-describedby')!);
    expect(npsHint?.textContent).toBe('0 = nada probable, 10 = muy probable');
    expect(inputs(w.root, 'csat').map((i) => i.parentElement?.textContent)).toEqual(['1', '2', '3', '4', '5']);
    expect(w.root.getElementById(groups[1]!.getAttribute('aria-describedby')!)?.textContent).toBe(
      '1 = muy insatisfecho, 5 = muy satisfecho',
    );
    expect(inputs(w.root, 'size').map((i) => [i.type, i.parentElement?.textContent])).toEqual([
      ['radio', 'Pequeña'],
      ['radio', 'Justa'],
    ]);
    // Several choices: check boxes, with how many to pick.
    expect(inputs(w.root, 'why').map((i) => [i.type, i.parentElement?.textContent])).toEqual([
      ['checkbox', 'Price'],
      ['checkbox', 'Look'],
      ['checkbox', 'Brand'],
    ]);
    expect(w.root.getElementById(groups[3]!.getAttribute('aria-describedby')!)?.textContent).toBe(
      'Elige entre 1 y 2 opciones.',
    );
    const text = w.$<HTMLTextAreaElement>('textarea');
    expect(text.closest('label')?.textContent).toBe('Anything else? (opcional)');
    expect(text.maxLength).toBe(300);
    expect(w.$('[aria-labelledby=fz-survey-heading] .close').getAttribute('aria-label')).toBe('Cerrar la encuesta');
  });

  it('asks for required answers and the allowed number of choices before sending', async () => {
    const { api, ...w } = await withSurvey();
    w.button('Send').click();
    await w.sees('Please answer this question.');
    expect(w.$('.question [role=alert]').closest('.question')?.querySelector('legend')?.textContent).toBe(
      'Would you recommend us?',
    );
    check(inputs(w.root, 'nps')[9]!);
    await vi.waitFor(() => expect(w.text()).not.toContain('Please answer'));
    check(inputs(w.root, 'size')[1]!);
    for (const box of inputs(w.root, 'why')) check(box);
    w.button('Send').click();
    await w.sees('Choose between 1 and 2 options.');
    expect(api.answer).not.toHaveBeenCalled();
  });

  it('sends the answers (trimmed text, no empty optional ones, the page without its query), then thanks', async () => {
    history.replaceState(null, '', '/gracias?order=A-1');
    const { api, ...w } = await withSurvey();
    check(inputs(w.root, 'nps')[9]!);
    check(inputs(w.root, 'nps')[10]!);
    check(inputs(w.root, 'size')[0]!);
    const [price, look] = inputs(w.root, 'why');
    check(price!);
    check(look!);
    check(price!);
    w.type('textarea', '  Más colores  ');
    await vi.waitFor(() => expect(inputs(w.root, 'nps')[10]!.parentElement?.className).toBe('on'));
    w.button('Send').click();
    await w.sees('Thank you');
    expect(api.answer).toHaveBeenCalledWith('s1', {
      answers: { nps: 10, size: 'small', why: ['look'], more: 'Más colores' },
      url: `${location.origin}/gracias`,
    });
    await vi.waitFor(() => expect(w.root.activeElement).toBe(w.$('.done')));
    // Closing after answering is no dismissal.
    w.$('[aria-labelledby=fz-survey-heading] .close').click();
    await vi.waitFor(() => expect(w.root.querySelector('#fz-survey-heading')).toBeNull());
    expect(api.surveyEvent).not.toHaveBeenCalledWith('s1', 'dismiss');
  });

  it('records a dismissal when closed by its button or Escape, and gives focus back to the launcher', async () => {
    for (const how of ['button', 'Escape']) {
      const { api, ...w } = await withSurvey();
      if (how === 'button') w.$('[aria-labelledby=fz-survey-heading] .close').click();
      else inputs(w.root, 'nps')[0]!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
      await vi.waitFor(() => expect(w.root.querySelector('#fz-survey-heading')).toBeNull());
      expect(api.surveyEvent).toHaveBeenCalledWith('s1', 'dismiss');
      expect(w.root.activeElement).toBe(w.$('.launcher'));
      w.handle.unmount();
      unmount = undefined;
    }
  });

  it('keeps the answers when the server is unreachable, and says so when the survey closed meanwhile', async () => {
    const { api, ...w } = await withSurvey({ ...allKinds, questions: allKinds.questions.slice(0, 1) });
    api.answer.mockImplementationOnce(unreachable);
    check(inputs(w.root, 'nps')[7]!);
    w.button('Send').click();
    await w.sees('We cannot reach the shop right now.');
    expect(inputs(w.root, 'nps')[7]!.checked).toBe(true);
    api.answer.mockRejectedValueOnce(new ApiError(409, 'survey_closed'));
    w.button('Send').click();
    await w.sees('This survey no longer takes answers.');
  });

  it('asks again when a single-page shop moves to another path, not when only the query changes', async () => {
    const { api } = fakeApi();
    const w = mountWidget(api);
    unmount = w.handle.unmount;
    await vi.waitFor(() => expect(api.surveys).toHaveBeenCalledWith('/'));
    api.surveys.mockResolvedValue({ surveys: [allKinds] });
    history.replaceState(null, '', '/?sort=price');
    history.pushState(null, '', '/cart');
    await vi.waitFor(() => w.$('#fz-survey-heading'));
    expect(api.surveys.mock.calls).toEqual([['/'], ['/cart']]);
  });

  it('drops a survey whose delay has not passed when the visitor leaves its page', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const { api } = fakeApi();
    api.surveys.mockImplementation(async (path) => ({
      surveys: path === '/' ? [{ ...allKinds, delaySeconds: 3 }] : [],
    }));
    const w = mountWidget(api);
    unmount = w.handle.unmount;
    await vi.advanceTimersByTimeAsync(1000);
    history.pushState(null, '', '/elsewhere');
    await vi.advanceTimersByTimeAsync(5000);
    expect(api.surveys.mock.calls).toEqual([['/'], ['/elsewhere']]);
    expect(w.root.querySelector('#fz-survey-heading')).toBeNull();
    expect(api.surveyEvent).not.toHaveBeenCalled();
  });
});
