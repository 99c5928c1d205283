// Test helpers: a stand-in server (the Api interface) whose streams the test drives, and a mounted widget to poke.
import { expect, vi } from 'vitest';
import type { SurveyResponseInput } from '../../server/src/protocol/surveys.ts';
import {
  type Api,
  ApiError,
  type SiteLook,
  type StreamHandlers,
  type WidgetSurvey,
  type WireComplaintStatus,
  type WireMessage,
} from './api/client.ts';
import type { Locale } from './i18n/index.ts';
import { mount, type WidgetHandle } from './main.tsx';

export const message = (id: number, author: WireMessage['author'], text: string, event: string | null = null) =>
  ({ id, conversationId: 'c1', author, event, text, createdAt: '2026-11-23T10:00:00.000Z' }) satisfies WireMessage;

export interface FakeStream {
  id: string;
  on: StreamHandlers;
  stopped: boolean;
}

/** An Api answering like a server that is up and open; tests change single answers with the mocks' own methods. */
export function fakeApi() {
  const streams: FakeStream[] = [];
  let nextId = 100;
  const api = {
    look: vi.fn(async (): Promise<SiteLook> => ({ color: '#7a1fa2', position: 'left' })),
    session: vi.fn(async () => ({ token: 'tok', expiresAt: '', userId: null, online: true, awayMessage: '' })),
    startChat: vi.fn(async (input: { text: string }) => ({
      conversation: { id: 'c1', kind: 'chat' as const, status: 'open', createdAt: '', updatedAt: '' },
      messages: [message(1, 'visitor', input.text)],
      online: true,
    })),
    send: vi.fn(async (_id: string, text: string) => message(nextId++, 'visitor', text)),
    listen: vi.fn((id: string, on: StreamHandlers) => {
      const stream = { id, on, stopped: false };
      streams.push(stream);
      return () => {
        stream.stopped = true;
      };
    }),
    feedback: vi.fn(async () => ({})),
    complain: vi.fn(async () => ({ conversationId: 'k1', ticket: 'RC-2026-000007' })),
    photo: vi.fn(async () => ({})),
    status: vi.fn(async (_ticket: string, _email?: string): Promise<WireComplaintStatus> => {
      throw new ApiError(404, 'not_found');
    }),
    /** No survey for any page unless a test says otherwise. */
    surveys: vi.fn(async (_path: string): Promise<{ surveys: WidgetSurvey[] }> => ({ surveys: [] })),
    surveyEvent: vi.fn(async (_id: string, _kind: 'seen' | 'dismiss') => ({})),
    answer: vi.fn(async (_id: string, _input: SurveyResponseInput) => ({})),
  } satisfies Api;
  return { api, streams };
}

/** The server cannot be reached (fetch rejected), as the client reports it. */
export const unreachable = () => Promise.reject(new ApiError(0, 'unreachable'));

/** A mounted widget and ways to find and drive what is inside its shadow root; `chatId` as kept by an earlier page. */
export function mountWidget(api: Api, locale: Locale = 'en', chatId?: string) {
  localStorage.clear();
  if (chatId) localStorage.setItem('fideliza:wk_test:chat', chatId);
  const handle: WidgetHandle = mount({ api, locale, writeKey: 'wk_test' });
  const root = handle.host.shadowRoot!;
  const $ = <T extends Element = HTMLElement>(selector: string): T => {
    const el = root.querySelector<T>(selector);
    if (!el) throw new Error(`no ${selector} in the widget`);
    return el;
  };
  const text = () => root.textContent ?? '';
  return {
    handle,
    root,
    $,
    text,
    /** Waits for the launcher (it appears once the site's look is known) and opens the panel. */
    async open() {
      await vi.waitFor(() => $('.launcher'));
      $('.launcher').click();
      await vi.waitFor(() => {
        if ($('#fz-panel').hidden) throw new Error('panel still hidden');
      });
    },
    async tab(name: string) {
      const tab = [...root.querySelectorAll<HTMLElement>('[role=tab]')].find((t) => t.textContent === name);
      if (!tab) throw new Error(`no tab ${name}`);
      tab.click();
      await vi.waitFor(() => expect(tab.getAttribute('aria-selected')).toBe('true'));
    },
    type(selector: string, value: string) {
      const el = $<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>(selector);
      el.value = value;
      el.dispatchEvent(new Event(el.tagName === 'SELECT' ? 'change' : 'input', { bubbles: true }));
    },
    /** The button whose text is exactly `label`. */
    button(label: string): HTMLButtonElement {
      const found = [...root.querySelectorAll('button')].find((b) => b.textContent?.trim() === label);
      if (!found) throw new Error(`no button "${label}"`);
      return found;
    },
    /** Waits until the widget's text contains `part`. */
    async sees(part: string) {
      await vi.waitFor(() => expect(text()).toContain(part));
    },
  };
}
