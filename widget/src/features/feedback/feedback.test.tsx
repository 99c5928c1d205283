// @vitest-environment happy-dom
// Feedback: a rating is required, the comment is optional, the page's URL goes along, failures keep what was written.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeApi, mountWidget, unreachable } from '../../testing.ts';

let unmount: (() => void) | undefined;
afterEach(() => unmount?.());

async function feedbackWith(api: ReturnType<typeof fakeApi>['api'], locale: 'en' | 'es' = 'en') {
  const w = mountWidget(api, locale);
  unmount = w.handle.unmount;
  await w.open();
  await w.tab(locale === 'en' ? 'Rate this page' : 'Valorar página');
  return w;
}

const choose = (root: ShadowRoot, n: number) => {
  const radio = root.querySelectorAll<HTMLInputElement>('input[type=radio]')[n - 1]!;
  radio.checked = true;
  radio.dispatchEvent(new Event('change', { bubbles: true }));
};

describe('feedback', () => {
  it('offers five labelled radio buttons in a group with a legend', async () => {
    const w = await feedbackWith(fakeApi().api, 'es');
    expect(w.$('fieldset legend').textContent).toBe('¿Te ha resultado útil esta página?');
    const radios = [...w.root.querySelectorAll('input[type=radio]')];
    expect(radios.map((r) => r.getAttribute('aria-label'))).toEqual(['1 de 5', '2 de 5', '3 de 5', '4 de 5', '5 de 5']);
    expect(new Set(radios.map((r) => r.getAttribute('name')))).toEqual(new Set(['fz-rating']));
  });

  it('asks for a rating before sending', async () => {
    const { api } = fakeApi();
    const w = await feedbackWith(api);
    w.button('Send').click();
    await w.sees('Choose a rating from 1 to 5.');
    expect(api.feedback).not.toHaveBeenCalled();
    choose(w.root, 4);
    await vi.waitFor(() => expect(w.text()).not.toContain('Choose a rating'));
  });

  it('sends the rating, the trimmed comment and the page, then thanks', async () => {
    const { api } = fakeApi();
    const w = await feedbackWith(api);
    choose(w.root, 4);
    w.type('textarea', '  Faltan las medidas.  ');
    w.button('Send').click();
    await w.sees('Thank you for your feedback!');
    expect(api.feedback).toHaveBeenCalledWith({ rating: 4, comment: 'Faltan las medidas.', pageUrl: location.href });
    expect(w.$('[role=status]').textContent).toBe('Thank you for your feedback!');
  });

  it('leaves out an empty comment', async () => {
    const { api } = fakeApi();
    const w = await feedbackWith(api);
    choose(w.root, 2);
    w.button('Send').click();
    await w.sees('Thank you');
    expect(api.feedback).toHaveBeenCalledWith({ rating: 2, pageUrl: location.href });
  });

  it('keeps rating and comment when the server cannot be reached', async () => {
    const { api } = fakeApi();
    api.feedback.mockImplementationOnce(unreachable);
    const w = await feedbackWith(api);
    choose(w.root, 5);
    w.type('textarea', 'Genial');
    w.button('Send').click();
    await w.sees('We cannot reach the shop right now.');
    expect(w.$<HTMLTextAreaElement>('textarea').value).toBe('Genial');
    expect(w.root.querySelectorAll<HTMLInputElement>('input[type=radio]')[4]?.checked).toBe(true);
    w.button('Send').click();
    await w.sees('Thank you');
    expect(api.feedback).toHaveBeenCalledTimes(2);
  });
});
