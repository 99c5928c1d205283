// Test helpers for this capability: a site with staff, a visitor session, and an SSE reader.
import { createStaffUser } from '../auth/index.ts';
import type { Db } from '../db/index.ts';
import { type AppOptions, createApp } from '../http/app.ts';
import { RateLimiter } from '../ingest/index.ts';
import type { WidgetSession } from '../protocol/index.ts';
import { createSite } from '../sites/index.ts';

export const ORIGIN = 'https://tienda.example';
export const config = { TRUST_PROXY: true, RATE_LIMIT_RPS: 1000, RATE_LIMIT_BURST: 1000 };

export type TestApp = ReturnType<typeof createApp>;

type Staff = Awaited<ReturnType<typeof createStaffUser>>;

/** A site on ORIGIN with one staff user per role (`withStaff` false skips them: password hashing is slow). */
export async function setupSite(db: Db, settings?: Parameters<typeof createSite>[1]['settings'], withStaff = true) {
  const site = await createSite(db.kysely, { name: 'Tienda', origins: [ORIGIN], ...(settings ? { settings } : {}) });
  const staff = async (role: 'admin' | 'marketer' | 'agent' | 'validator'): Promise<Staff> =>
    withStaff
      ? createStaffUser(db.kysely, { email: `${role}-${site.siteId}@tienda.example`, role, siteIds: [site.siteId] })
      : { userId: '', email: '', password: '', siteIds: [] };
  const [agent, validator, admin, marketer] = [
    await staff('agent'),
    await staff('validator'),
    await staff('admin'),
    await staff('marketer'),
  ];
  return { ...site, agent, validator, admin, marketer };
}

/** Limits high enough that only the limits tests meet them. */
export const lenientLimits = () => ({
  newConversations: new RateLimiter(1000, 1000),
  messages: new RateLimiter(1000, 1000),
});

export function makeApp(db: Db, options: Partial<AppOptions> = {}): TestApp {
  return createApp({ db, config, conversations: { heartbeatMs: 50, limits: lenientLimits() }, ...options });
}

let ipCounter = 0;
/** A fresh client address per visitor, so the per-IP limit does not couple unrelated tests. */
export const freshIp = () => `198.51.100.${(ipCounter++ % 250) + 1}`;

export interface Visitor {
  token: string;
  session: WidgetSession;
  ip: string;
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
}

export async function visitorSession(
  app: TestApp,
  writeKey: string,
  body: { anonymousId: string; userId?: string; userHash?: string },
): Promise<Visitor> {
  const ip = freshIp();
  const res = await app.app.request('/v1/widget/session', {
    method: 'POST',
    headers: { origin: ORIGIN, 'content-type': 'application/json', 'x-forwarded-for': ip },
    body: JSON.stringify({ writeKey, ...body }),
  });
  if (res.status !== 200) throw new Error(`session failed: ${res.status} ${await res.text()}`);
  const session = (await res.json()) as WidgetSession;
  return visitorWithToken(app, session.token, session, ip);
}

export function visitorWithToken(app: TestApp, token: string, session?: WidgetSession, ip = freshIp()): Visitor {
  const headers = { origin: ORIGIN, authorization: `Bearer ${token}`, 'x-forwarded-for': ip };
  return {
    token,
    session: session as WidgetSession,
    ip,
    get: async (path, extra = {}) => app.app.request(path, { headers: { ...headers, ...extra } }),
    post: async (path, body, extra = {}) =>
      app.app.request(path, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', ...extra },
        body: JSON.stringify(body),
      }),
  };
}

export function staffClient(app: TestApp, secretKey: string) {
  const headers = { authorization: `Bearer ${secretKey}` };
  return {
    get: (path: string, extra: Record<string, string> = {}) =>
      app.app.request(path, { headers: { ...headers, ...extra } }),
    post: (path: string, body: unknown) =>
      app.app.request(path, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
  };
}

export interface SseEvent {
  id?: string;
  event?: string;
  data: string;
}

/** Reads an event stream: `next(n)` waits for n more events (ignoring comments), failing after `timeoutMs`. */
export function sseReader(res: Response) {
  if (!res.body) throw new Error('no body');
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const events: SseEvent[] = [];
  let comments = 0;
  let ended = false;
  let pending: Promise<ReadableStreamReadResult<Uint8Array>> | undefined;

  const parseBuffer = () => {
    for (;;) {
      const end = buffer.indexOf('\n\n');
      if (end === -1) return;
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const e: SseEvent = { data: '' };
      const data: string[] = [];
      let isEvent = false;
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) comments++;
        else if (line.startsWith('data: ')) {
          data.push(line.slice(6));
          isEvent = true;
        } else if (line.startsWith('id: ')) e.id = line.slice(4);
        else if (line.startsWith('event: ')) e.event = line.slice(7);
      }
      if (isEvent) events.push({ ...e, data: data.join('\n') });
    }
  };

  const pull = async (until: () => boolean, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    while (!until()) {
      if (ended) throw new Error('stream ended');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out with ${events.length} events`);
      let timer: NodeJS.Timeout | undefined;
      // A read that lost the race stays pending and is awaited next time, so no chunk is dropped.
      pending ??= reader.read();
      const chunk = await Promise.race([
        pending,
        new Promise<'timeout'>((resolve) => {
          timer = setTimeout(() => resolve('timeout'), left);
        }),
      ]);
      clearTimeout(timer);
      if (chunk === 'timeout') continue;
      pending = undefined;
      if (chunk.done) {
        ended = true;
        continue;
      }
      buffer += decoder.decode(chunk.value, { stream: true });
      parseBuffer();
    }
  };

  return {
    events,
    get comments() {
      return comments;
    },
    async next(count = 1, timeoutMs = 5000): Promise<SseEvent[]> {
      const want = events.length + count;
      await pull(() => events.length >= want, timeoutMs);
      return events.slice(want - count, want);
    },
    async waitFor(pred: () => boolean, timeoutMs = 5000) {
      await pull(pred, timeoutMs);
    },
    /** Waits for the server to end the stream. */
    async end(timeoutMs = 5000) {
      await pull(() => ended, timeoutMs).catch((e) => {
        if (!ended) throw e;
      });
    },
    cancel: () => reader.cancel(),
  };
}
