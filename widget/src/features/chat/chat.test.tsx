// @vitest-environment happy-dom
// The chat view: starting a chat, live messages without duplicates, the away message and email when the shop is
// closed, validation, and a server that cannot be reached (the draft stays, retry works).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/client.ts';
import { fakeApi, message, mountWidget, unreachable } from '../../testing.ts';

let unmount: (() => void) | undefined;
afterEach(() => {
  unmount?.();
  unmount = undefined;
});

async function chatWith(api: ReturnType<typeof fakeApi>['api']) {
  const w = mountWidget(api);
  unmount = w.handle.unmount;
  await w.open();
  return w;
}

const bubbles = (root: ShadowRoot) => [...root.querySelectorAll('.msg')].map((m) => [m.className, m.textContent]);

describe('chat', () => {
  it('starts a chat, follows its stream and shows each message once, in order', async () => {
    const { api, streams } = fakeApi();
    const w = await chatWith(api);
    await w.sees('Write to us and we will answer here.');
    w.type('textarea', '  Hola, ¿hay talla 43?  ');
    w.$('textarea').dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    await vi.waitFor(() => expect(streams).toHaveLength(1));
    expect(api.startChat).toHaveBeenCalledWith(expect.objectContaining({ text: 'Hola, ¿hay talla 43?' }));
    expect(api.startChat.mock.calls[0]?.[0]).not.toHaveProperty('email');
    expect(streams[0]?.id).toBe('c1');
    expect(w.$<HTMLTextAreaElement>('textarea').value).toBe('');

    // The stream repeats the visitor's message (it sends the whole history first), then the agent answers.
    const stream = streams[0]!;
    stream.on.message(message(1, 'visitor', 'Hola, ¿hay talla 43?'));
    stream.on.message(message(3, 'agent', 'Sí, quedan dos.'));
    stream.on.message(message(2, 'system', 'closed', 'status_changed'));
    stream.on.message(message(3, 'agent', 'Sí, quedan dos.'));
    await w.sees('Sí, quedan dos.');
    expect(bubbles(w.root)).toEqual([
      ['msg visitor', 'You: Hola, ¿hay talla 43?'],
      ['msg agent', 'Shop: Sí, quedan dos.'],
    ]);
    expect(w.text()).toContain('The shop closed this chat.');
    const log = w.$('[role=log]');
    expect(log.getAttribute('aria-live')).toBe('polite');
    expect(log.getAttribute('aria-label')).toBe('Conversation');

    // Later messages go to the same conversation.
    w.type('textarea', 'Gracias');
    w.button('Send').click();
    await w.sees('You: Gracias');
    expect(api.send).toHaveBeenCalledWith('c1', 'Gracias');
    expect(api.startChat).toHaveBeenCalledTimes(1);
  });

  it('says when the live connection is down and when it is back', async () => {
    const { api, streams } = fakeApi();
    const w = await chatWith(api);
    w.type('textarea', 'hola');
    w.button('Send').click();
    await vi.waitFor(() => expect(streams).toHaveLength(1));
    streams[0]!.on.live(false);
    await w.sees('Connection lost. Reconnecting…');
    streams[0]!.on.live(true);
    await vi.waitFor(() => expect(w.text()).not.toContain('Reconnecting'));
  });

  it('resumes the conversation kept from an earlier page', async () => {
    const { api, streams } = fakeApi();
    const w = mountWidget(api, 'en', 'c9');
    unmount = w.handle.unmount;
    await w.open();
    await vi.waitFor(() => expect(streams.map((s) => s.id)).toEqual(['c9']));
    streams[0]!.on.message(message(7, 'agent', 'Seguimos aquí.'));
    await w.sees('Shop: Seguimos aquí.');
    w.type('textarea', 'Perfecto');
    w.button('Send').click();
    await vi.waitFor(() => expect(api.send).toHaveBeenCalledWith('c9', 'Perfecto'));
    expect(api.startChat).not.toHaveBeenCalled();
  });

  it('starts afresh when the kept conversation is gone', async () => {
    const { api } = fakeApi();
    api.send.mockRejectedValueOnce(new ApiError(404, 'not_found'));
    const w = mountWidget(api, 'en', 'gone');
    unmount = w.handle.unmount;
    await w.open();
    w.type('textarea', 'Hola');
    w.button('Send').click();
    await w.sees('Something went wrong. Try again.');
    expect(localStorage.getItem('fideliza:wk_test:chat')).toBeNull();
    expect(w.$<HTMLTextAreaElement>('textarea').value).toBe('Hola');
    w.button('Send').click();
    await vi.waitFor(() => expect(api.startChat).toHaveBeenCalledTimes(1));
    expect(localStorage.getItem('fideliza:wk_test:chat')).toBe('c1');
  });

  it('rejects an empty message without calling the server', async () => {
    const { api } = fakeApi();
    const w = await chatWith(api);
    w.type('textarea', '   ');
    w.button('Send').click();
    await w.sees('Please fill in this field.');
    expect(w.$('[role=alert]').textContent).toBe('Please fill in this field.');
    expect(w.$('textarea').getAttribute('aria-invalid')).toBe('true');
    expect(api.startChat).not.toHaveBeenCalled();
  });

  it('shows the away message while the shop is closed and asks for a valid email', async () => {
    const { api } = fakeApi();
    api.session.mockResolvedValue({
      token: 't',
      expiresAt: '',
      userId: null,
      online: false,
      awayMessage: 'Volvemos a las 9.',
    });
    const w = await chatWith(api);
    await w.sees('Volvemos a las 9.');
    w.type('textarea', '¿Enviáis a Canarias?');
    w.type('input[type=email]', 'no-es-un-email');
    w.button('Send').click();
    await w.sees('Enter a valid email address.');
    expect(w.$('input[type=email]').getAttribute('aria-invalid')).toBe('true');
    expect(api.startChat).not.toHaveBeenCalled();

    w.type('input[type=email]', 'ana@example.com');
    w.button('Send').click();
    await vi.waitFor(() => expect(api.startChat).toHaveBeenCalledTimes(1));
    expect(api.startChat.mock.calls[0]?.[0]).toMatchObject({ text: '¿Enviáis a Canarias?', email: 'ana@example.com' });
  });

  it('uses the default away text when the shop set none', async () => {
    const { api } = fakeApi();
    api.session.mockResolvedValue({ token: 't', expiresAt: '', userId: null, online: false, awayMessage: '' });
    const w = await chatWith(api);
    await w.sees('Nobody is online right now.');
  });

  it('keeps the draft when the server cannot be reached, and sends it on retry', async () => {
    const { api } = fakeApi();
    api.startChat.mockImplementationOnce(unreachable);
    const w = await chatWith(api);
    w.type('textarea', 'Mi pedido no llega');
    w.button('Send').click();
    await w.sees('We cannot reach the shop right now.');
    expect(w.$<HTMLTextAreaElement>('textarea').value).toBe('Mi pedido no llega');

    w.button('Send').click();
    await w.sees('You: Mi pedido no llega');
    expect(w.text()).not.toContain('cannot reach');
    expect(api.startChat).toHaveBeenCalledTimes(2);
  });

  it('says so when the session cannot be opened, and retries on request', async () => {
    const { api } = fakeApi();
    api.session.mockImplementationOnce(unreachable);
    const w = await chatWith(api);
    await w.sees('We cannot reach the shop right now.');
    w.button('Try again').click();
    await w.sees('Write to us and we will answer here.');
    expect(api.session).toHaveBeenCalledTimes(2);
  });

  it('explains a rate limit', async () => {
    const { api } = fakeApi();
    api.startChat.mockRejectedValueOnce(new ApiError(429, 'rate_limited'));
    const w = await chatWith(api);
    w.type('textarea', 'hola');
    w.button('Send').click();
    await w.sees('Too many attempts.');
  });

  it('turns http(s) URLs in agent messages into links and leaves markup and javascript: as text', async () => {
    const { api, streams } = fakeApi();
    const w = await chatWith(api);
    w.type('textarea', 'hola');
    w.button('Send').click();
    await vi.waitFor(() => expect(streams).toHaveLength(1));
    const hostile = '<img src=x onerror=alert(1)> javascript:alert(1) <b>bold</b> see https://shop.example/a?b=1.';
    streams[0]!.on.message(message(5, 'agent', hostile));
    await w.sees('see https://shop.example/a?b=1.');
    const bubble = w.root.querySelectorAll('.msg.agent')[0]!;
    expect(bubble.querySelector('img')).toBeNull();
    expect(bubble.querySelector('b')).toBeNull();
    expect(bubble.textContent).toBe(`Shop: ${hostile}`);
    const links = [...bubble.querySelectorAll('a')];
    expect(links.map((a) => [a.getAttribute('href'), a.textContent, a.getAttribute('rel')])).toEqual([
      ['https://shop.example/a?b=1', 'https://shop.example/a?b=1', 'noopener noreferrer nofollow ugc'],
    ]);
  });
});
