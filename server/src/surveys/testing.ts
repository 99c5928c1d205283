// Test helpers for surveys: an app with a movable clock, a staff client, survey fixtures, tracked events.
import { makeApp, setupSite, type TestApp } from '../conversations/testing.ts';
import type { Db } from '../db/index.ts';
import { RateLimiter } from '../ingest/index.ts';
import type { SurveyDefinitionInput, SurveyQuestion, WireSurvey } from '../protocol/index.ts';
import type { SurveyOptions } from './index.ts';

export { setupSite, type TestApp, visitorSession, visitorWithToken } from '../conversations/testing.ts';

export const DAY_MS = 24 * 60 * 60 * 1000;

/** A clock tests move by hand: `clock.now` is epoch milliseconds. */
export const makeClock = (start = Date.now()) => ({ now: start });
export type Clock = ReturnType<typeof makeClock>;

export const lenientSurveyLimits = () => ({
  responses: new RateLimiter(1000, 1000),
  impressions: new RateLimiter(1000, 1000),
});

export function makeSurveyApp(db: Db, clock: Clock, options: Partial<SurveyOptions> = {}): TestApp {
  return makeApp(db, {
    surveys: { now: () => new Date(clock.now), limits: lenientSurveyLimits(), ...options },
  });
}

export type Site = Awaited<ReturnType<typeof setupSite>>;
export const newSite = (db: Db) => setupSite(db, undefined, false);

/** The staff API with a site's secret key; `json` returns status and parsed body together. */
export function staffApi(app: TestApp, secretKey: string) {
  const send = (method: string, path: string, body?: unknown) =>
    app.app.request(path, {
      method,
      headers: { authorization: `Bearer ${secretKey}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  return {
    send,
    async json<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
      const res = await send(method, path, body);
      return { status: res.status, body: (await res.json()) as T };
    },
    async create(definition: SurveyDefinitionInput): Promise<WireSurvey> {
      const res = await send('POST', '/api/surveys', definition);
      if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`);
      return (await res.json()) as WireSurvey;
    },
  };
}

export const q = {
  nps: (id = 'nps'): SurveyQuestion => ({
    id,
    kind: 'nps',
    required: true,
    title: { es: '¿Nos recomendarías?', en: 'Would you recommend us?' },
  }),
  csat: (id = 'csat', required = true): SurveyQuestion => ({
    id,
    kind: 'csat',
    required,
    title: { en: 'How satisfied are you?' },
  }),
  single: (id = 'single', required = true): SurveyQuestion => ({
    id,
    kind: 'single_choice',
    required,
    title: { es: '¿Cómo nos conociste?' },
    choices: [
      { id: 'search', label: { es: 'Buscador', en: 'Search' } },
      { id: 'friend', label: { es: 'Un amigo', en: 'A friend' } },
      { id: 'ads', label: { es: 'Publicidad', en: 'Ads' } },
    ],
  }),
  multiple: (id = 'multi', required = true, extra: { minSelected?: number; maxSelected?: number } = {}) =>
    ({
      id,
      kind: 'multiple_choice',
      required,
      title: { en: 'What did you buy?' },
      choices: [
        { id: 'shoes', label: { en: 'Shoes' } },
        { id: 'shirts', label: { en: 'Shirts' } },
        { id: 'hats', label: { en: 'Hats' } },
      ],
      ...extra,
    }) satisfies SurveyQuestion,
  text: (id = 'text', required = false, maxLength = 1000): SurveyQuestion => ({
    id,
    kind: 'text',
    required,
    title: { en: 'Anything else?' },
    maxLength,
  }),
};

/** Tracks events for a visitor through the real ingestion API (no sentAt, so timestamps are kept as sent). */
export async function track(
  app: TestApp,
  writeKey: string,
  events: { anonymousId?: string; userId?: string; event: string; properties?: object; at: number }[],
) {
  const res = await app.app.request('/v1/batch', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      writeKey,
      batch: events.map((e, i) => ({
        type: 'track',
        messageId: `m-${e.at}-${i}-${Math.random()}`,
        ...(e.anonymousId ? { anonymousId: e.anonymousId } : {}),
        ...(e.userId ? { userId: e.userId } : {}),
        event: e.event,
        properties: e.properties ?? {},
        timestamp: new Date(e.at).toISOString(),
      })),
    }),
  });
  const body = (await res.json()) as { accepted: number };
  if (res.status !== 200 || body.accepted !== events.length) throw new Error(`track failed: ${JSON.stringify(body)}`);
}
