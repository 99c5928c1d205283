// @vitest-environment happy-dom
// The script-tag entry: the stub's queue replayed in order, options from data- attributes, host from src.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Client } from './index.ts';
import { STUB } from './stub.ts';
import { fakeServer, useLocks } from './testing.ts';

type Global = { fideliza?: unknown };
const w = window as unknown as Global;
const api = () => w.fideliza as Client & { push(call: unknown): void } & Record<string, (...a: unknown[]) => void>;
let sites = 0;

/** Runs snippet.ts as the browser runs the script tag: with `document.currentScript` set to the (detached) tag. */
async function load(attributes: Record<string, string>, src = 'https://fz.example/sdk.js') {
  const tag = document.createElement('script');
  tag.src = src;
  for (const [name, value] of Object.entries(attributes)) tag.setAttribute(name, value);
  Object.defineProperty(document, 'currentScript', { value: tag, configurable: true });
  vi.resetModules();
  await import('./snippet.ts');
  Object.defineProperty(document, 'currentScript', { value: null, configurable: true });
}

beforeEach(() => {
  vi.useFakeTimers();
  localStorage.clear();
  useLocks(undefined);
  delete w.fideliza;
});
afterEach(() => {
  vi.useRealTimers();
  fakeServer();
});

describe('script tag', () => {
  it('replays the calls queued before it loaded, in order, before the first page view', async () => {
    const server = fakeServer();
    const key = `wk_snippet${++sites}`;
    new Function(STUB)();
    api().identify('u-1', { plan: 'gold' });
    api().track('Early', { n: 1 });
    api().track('Earlier?', { n: 2 });
    await load({ 'data-key': key, 'data-auto-click': 'false', 'data-widget': 'false' });
    await vi.advanceTimersByTimeAsync(0);
    await api().flush();
    const sent = server.messages(key);
    expect(sent.map((m) => ('event' in m ? m.event : m.type))).toEqual(['identify', 'Early', 'Earlier?', 'page']);
    expect(sent.every((m) => m.userId === 'u-1')).toBe(true);
    expect(server.of(key)[0]!.url).toBe('https://fz.example/v1/batch');
  });

  it('reads options from data- attributes and the host from its own src', async () => {
    const server = fakeServer();
    const key = `wk_snippet${++sites}`;
    await load(
      { 'data-key': key, 'data-consent': 'pending', 'data-auto-page': 'false', 'data-widget': 'false' },
      'https://cdn.example/fideliza/sdk.js?v=3',
    );
    await vi.advanceTimersByTimeAsync(0);
    api().track('Waiting');
    await api().flush();
    expect(server.of(key)).toEqual([]);
    api().consent('granted');
    await api().flush();
    expect(server.of(key).map((r) => r.url)).toEqual(['https://cdn.example/fideliza/v1/batch']);
    expect(server.messages(key).map((m) => m.type)).toEqual(['track']);
  });

  it('stays in charge when the script is included twice', async () => {
    fakeServer();
    await load({ 'data-key': `wk_snippet${++sites}`, 'data-widget': 'false' });
    const first = w.fideliza;
    await load({ 'data-key': `wk_snippet${++sites}`, 'data-widget': 'false' });
    expect(w.fideliza).toBe(first);
  });

  it('keeps accepting push([method, ...args]) after loading, and ignores what it cannot run', async () => {
    const server = fakeServer();
    const key = `wk_snippet${++sites}`;
    await load({ 'data-key': key, 'data-auto-page': 'false', 'data-widget': 'false' });
    expect(() => {
      api().push(['track', 'Late', { ok: true }]);
      api().push(['noSuchMethod', 1]);
      api().push(null);
      api().push(42);
    }).not.toThrow();
    await api().flush();
    expect(server.messages(key).map((m) => ('event' in m ? m.event : m.type))).toEqual(['Late']);
  });
});
