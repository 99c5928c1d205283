// @vitest-environment happy-dom
// The client against a stubbed fetch and EventSource: the session it asks for, errors, token renewal, and a stream
// that resumes after the last message it delivered.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { message } from '../testing.ts';
import { ApiError, createApi, type Visitor } from './client.ts';

class FakeEventSource {
  static all: FakeEventSource[] = [];
  readyState = 0;
  onopen: (() => void) | null = null;
  onmessage: ((e: { data: string }) => void) | null = null;
  onerror: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeEventSource.all.push(this);
  }
  close() {
    this.readyState = 2;
  }
  emit(m: ReturnType<typeof message>) {
    this.onmessage?.({ data: JSON.stringify(m) });
  }
}

const HOST = 'https://fz.example';
const calls: { url: string; init: RequestInit }[] = [];
let answers: (() => Response | Promise<Response>)[] = [];
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status });
const session = (token: string) => json(200, { token, expiresAt: '', userId: null, online: true, awayMessage: '' });

beforeEach(() => {
  calls.length = 0;
  answers = [];
  FakeEventSource.all = [];
  vi.stubGlobal('EventSource', FakeEventSource);
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit = {}) => {
      calls.push({ url, init });
      const next = answers.shift();
      if (!next) throw new TypeError('Failed to fetch');
      return next();
    }),
  );
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

const api = (visitor: Visitor = { anonymousId: 'anon-1' }) => createApi(HOST, 'wk_1', () => visitor);
const bodyOf = (i: number) => JSON.parse(String(calls[i]?.init.body)) as Record<string, unknown>;

describe('createApi', () => {
  it('opens an anonymous session unless the SDK has the shop’s HMAC for the user', async () => {
    answers.push(() => session('t1'));
    await api({ anonymousId: 'anon-1', userId: 'u-7' }).session();
    expect(calls[0]?.url).toBe(`${HOST}/v1/widget/session`);
    expect(bodyOf(0)).toEqual({ writeKey: 'wk_1', anonymousId: 'anon-1' });

    answers.push(() => session('t2'));
    await api({ anonymousId: 'anon-1', userId: 'u-7', hmac: 'ab'.repeat(32) }).session();
    expect(bodyOf(1)).toEqual({ writeKey: 'wk_1', anonymousId: 'anon-1', userId: 'u-7', userHash: 'ab'.repeat(32) });
  });

  it('reports an unreachable server as status 0 and a refusal with its code and field', async () => {
    const a = api();
    await expect(a.session()).rejects.toMatchObject({ status: 0, code: 'unreachable' });
    answers.push(
      () => session('t1'),
      () => json(400, { error: { code: 'invalid_body', message: 'x', field: 'description' } }),
    );
    const error = await a.complain({ category: 'x', description: ' ' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, code: 'invalid_body', field: 'description' });
    expect(calls[2]?.init.headers).toMatchObject({ Authorization: 'Bearer t1', 'Content-Type': 'application/json' });
  });

  it('asks for the surveys of a path and reports seen, dismissed and answers as the visitor', async () => {
    const a = api();
    answers.push(
      () => session('t1'),
      () => json(200, { surveys: [] }),
      () => new Response(null, { status: 204 }),
      () => new Response(null, { status: 204 }),
      () => json(201, { id: 'r1' }),
    );
    expect(await a.surveys('/tienda/zapatillas & más')).toEqual({ surveys: [] });
    await a.surveyEvent('s1', 'seen');
    await a.surveyEvent('s1', 'dismiss');
    await a.answer('s1', { answers: { nps: 9 } });
    expect(calls.map((c) => [c.init.method ?? 'GET', c.url])).toEqual([
      ['POST', `${HOST}/v1/widget/session`],
      ['GET', `${HOST}/v1/widget/surveys?url=%2Ftienda%2Fzapatillas%20%26%20m%C3%A1s`],
      ['POST', `${HOST}/v1/widget/surveys/s1/seen`],
      ['POST', `${HOST}/v1/widget/surveys/s1/dismiss`],
      ['POST', `${HOST}/v1/widget/surveys/s1/responses`],
    ]);
    expect(calls.slice(1).every((c) => (c.init.headers as Record<string, string>).Authorization === 'Bearer t1')).toBe(
      true,
    );
    expect(bodyOf(4)).toEqual({ answers: { nps: 9 } });
  });

  it('renews a refused token once and repeats the call', async () => {
    answers.push(
      () => session('old'),
      () => json(401, { error: { code: 'token_expired' } }),
      () => session('new'),
      () => json(201, { id: 9 }),
    );
    expect(await api().send('c1', 'hola')).toEqual({ id: 9 });
    expect(calls.map((c) => c.url.replace(HOST, ''))).toEqual([
      '/v1/widget/session',
      '/v1/widget/conversations/c1/messages',
      '/v1/widget/session',
      '/v1/widget/conversations/c1/messages',
    ]);
    expect(calls[3]?.init.headers).toMatchObject({ Authorization: 'Bearer new' });
  });

  it('uploads a photo as its own bytes and type', async () => {
    answers.push(
      () => session('t'),
      () => json(201, { photoId: 'p' }),
    );
    const photo = new Blob([new Uint8Array([0xff, 0xd8, 0xff])], { type: 'image/jpeg' });
    await api().photo('k1', photo);
    expect(calls[1]?.url).toBe(`${HOST}/v1/widget/complaints/k1/photos`);
    expect(calls[1]?.init.body).toBe(photo);
    expect(calls[1]?.init.headers).toMatchObject({ 'Content-Type': 'image/jpeg' });
  });

  it('looks a ticket up with the email only when one is given', async () => {
    answers.push(
      () => session('t'),
      () => json(200, {}),
      () => json(200, {}),
    );
    const a = api();
    await a.status('RC-2026-000001');
    await a.status('RC-2026-000001', 'a@b.example');
    expect(calls[1]?.url).toBe(`${HOST}/v1/widget/complaints/status?ticket=RC-2026-000001`);
    expect(calls[2]?.url).toBe(`${HOST}/v1/widget/complaints/status?ticket=RC-2026-000001&email=a%40b.example`);
  });

  it('streams a conversation and, when the server ends the stream, opens a new one after the last message', async () => {
    vi.useFakeTimers();
    answers.push(
      () => session('t1'),
      () => session('t2'),
    );
    const got: number[] = [];
    const live: boolean[] = [];
    const stop = api().listen('c1', { message: (m) => got.push(m.id), live: (up) => live.push(up) });
    await vi.waitFor(() => expect(FakeEventSource.all).toHaveLength(1));
    const first = FakeEventSource.all[0]!;
    expect(first.url).toBe(`${HOST}/v1/widget/conversations/c1/events?token=t1&lastEventId=0`);
    first.onopen?.();
    first.emit(message(3, 'visitor', 'a'));
    first.emit(message(5, 'agent', 'b'));

    // A network blip (still CONNECTING): the browser reconnects by itself with Last-Event-ID; nothing to do here.
    first.onerror?.();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(FakeEventSource.all).toHaveLength(1);

    // The server refused the stream (CLOSED): a new session and a stream resuming after message 5.
    first.readyState = 2;
    first.onerror?.();
    await vi.advanceTimersByTimeAsync(3000);
    expect(FakeEventSource.all).toHaveLength(2);
    expect(FakeEventSource.all[1]?.url).toBe(`${HOST}/v1/widget/conversations/c1/events?token=t2&lastEventId=5`);
    expect(got).toEqual([3, 5]);
    expect(live).toEqual([true, false, false]);

    stop();
    expect(FakeEventSource.all[1]?.readyState).toBe(2);
    FakeEventSource.all[1]!.onerror?.();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(FakeEventSource.all).toHaveLength(2);
  });

  it('keeps trying to stream while the server cannot be reached', async () => {
    vi.useFakeTimers();
    const live: boolean[] = [];
    const stop = api().listen('c1', { message: () => {}, live: (up) => live.push(up) });
    await vi.advanceTimersByTimeAsync(0);
    expect(live).toEqual([false]);
    answers.push(() => session('t'));
    await vi.advanceTimersByTimeAsync(3000);
    expect(FakeEventSource.all).toHaveLength(1);
    stop();
  });
});
