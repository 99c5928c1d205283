// Abuse limits: new conversations per IP per 12 h, messages per visitor per minute, answered with 429 + Retry-After.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDb, testDialects } from '../db/testing.ts';
import { defaultLimits } from './index.ts';
import { makeApp, setupSite, type TestApp, visitorSession, visitorWithToken } from './testing.ts';

describe.each(testDialects)('abuse limits on %s', (dialect) => {
  let db: TestDb;
  let app: TestApp;
  let site: Awaited<ReturnType<typeof setupSite>>;
  let clock = Date.now();

  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    site = await setupSite(db, undefined, false);
    app = makeApp(db, { conversations: { heartbeatMs: 1000, limits: defaultLimits(() => clock) } });
  });
  afterAll(async () => {
    await app.closeRealtime();
    await db.close();
  });

  const count = async (kind: 'chat' | 'feedback' | 'complaint') =>
    Number(
      (
        await db.kysely
          .selectFrom('conversations')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('site_id', '=', site.siteId)
          .where('kind', '=', kind)
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('allows 6 new conversations per IP in 12 hours, whatever their kind', async () => {
    const a = await visitorSession(app, site.writeKey, { anonymousId: 'a' });
    // Another visitor token from the same address shares the allowance.
    const b = visitorWithToken(
      app,
      (await visitorSession(app, site.writeKey, { anonymousId: 'b' })).token,
      undefined,
      a.ip,
    );
    for (let i = 0; i < 3; i++) expect((await a.post('/v1/widget/conversations', { text: `c${i}` })).status).toBe(201);
    expect((await b.post('/v1/widget/feedback', { rating: 5, pageUrl: 'https://tienda.example/' })).status).toBe(201);
    expect((await b.post('/v1/widget/complaints', { category: 'x', description: 'y' })).status).toBe(201);
    expect((await a.post('/v1/widget/conversations', { text: 'c6' })).status).toBe(201);
    const refused = await b.post('/v1/widget/conversations', { text: 'c7' });
    expect(refused.status).toBe(429);
    const wait = Number(refused.headers.get('retry-after'));
    expect(wait).toBeGreaterThan(60 * 60);
    expect(wait).toBeLessThanOrEqual(2 * 60 * 60 + 1);
    expect(await count('chat')).toBe(4);
    // Another address is unaffected.
    const c = await visitorSession(app, site.writeKey, { anonymousId: 'c' });
    expect((await c.post('/v1/widget/conversations', { text: 'fine' })).status).toBe(201);
    // Two hours later one more conversation fits (the bucket refills 6 per 12 h).
    clock += 2 * 60 * 60 * 1000 + 1000;
    expect((await a.post('/v1/widget/conversations', { text: 'later' })).status).toBe(201);
    expect((await a.post('/v1/widget/conversations', { text: 'again' })).status).toBe(429);
  });

  it('allows 60 messages per visitor per minute', async () => {
    const v = await visitorSession(app, site.writeKey, { anonymousId: 'talker' });
    const id = (
      (await (await v.post('/v1/widget/conversations', { text: 'm1' })).json()) as { conversation: { id: string } }
    ).conversation.id;
    for (let i = 2; i <= 60; i++) {
      expect((await v.post(`/v1/widget/conversations/${id}/messages`, { text: `m${i}` })).status).toBe(201);
    }
    const refused = await v.post(`/v1/widget/conversations/${id}/messages`, { text: 'm61' });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    const stored = await db.kysely
      .selectFrom('messages')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('site_id', '=', site.siteId)
      .where('conversation_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(60);
    clock += 1000;
    expect((await v.post(`/v1/widget/conversations/${id}/messages`, { text: 'm61' })).status).toBe(201);
  });
});
