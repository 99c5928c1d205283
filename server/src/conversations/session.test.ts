// Visitor sessions: write key and origin, the shop's user-id HMAC, token scoping and expiry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDb, testDialects } from '../db/testing.ts';
import { updateSiteSettings } from '../sites/index.ts';
import { loadWidgetSecrets, userHash } from './index.ts';
import { makeApp, ORIGIN, setupSite, type TestApp, visitorSession, visitorWithToken } from './testing.ts';
import { signVisitorToken } from './tokens.ts';

describe.each(testDialects)('widget sessions on %s', (dialect) => {
  let db: TestDb;
  let app: TestApp;
  let site: Awaited<ReturnType<typeof setupSite>>;
  let identitySecret: string;

  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    site = await setupSite(db);
    app = makeApp(db);
    identitySecret = (await loadWidgetSecrets(db.kysely, site.siteId)).identitySecret;
  });
  afterAll(async () => {
    await app.closeRealtime();
    await db.close();
  });

  const session = (body: Record<string, unknown>, origin = ORIGIN) =>
    app.app.request('/v1/widget/session', {
      method: 'POST',
      headers: { origin, 'content-type': 'application/json' },
      body: JSON.stringify({ writeKey: site.writeKey, ...body }),
    });

  it('gives an anonymous visitor a token, refusing unknown keys, foreign origins and bad bodies', async () => {
    const res = await session({ anonymousId: 'anon-1' });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    const body = (await res.json()) as { token: string; expiresAt: string; userId: null; online: boolean };
    expect(body.token).toMatch(/^v1\.[\w-]+\.[\w-]+$/);
    expect(body.userId).toBeNull();
    expect(body.online).toBe(true);
    const days = (Date.parse(body.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);

    expect((await session({ anonymousId: 'a', writeKey: `${site.writeKey}x` })).status).toBe(401);
    const foreign = await session({ anonymousId: 'a' }, 'https://evil.example');
    expect(foreign.status).toBe(403);
    const bad = await session({ anonymousId: '' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { field: string } }).error.field).toBe('anonymousId');
    const malformed = await app.app.request('/v1/widget/session', { method: 'POST', body: '{nope' });
    expect(malformed.status).toBe(400);
  });

  it('binds the user id only with the shop HMAC, and refuses a wrong one', async () => {
    const good = await session({
      anonymousId: 'anon-2',
      userId: 'cust-42',
      userHash: userHash(identitySecret, 'cust-42'),
    });
    expect(good.status).toBe(200);
    expect(((await good.json()) as { userId: string }).userId).toBe('cust-42');
    // Upper-case hex is the same hash.
    const upper = await session({
      anonymousId: 'anon-2',
      userId: 'cust-42',
      userHash: userHash(identitySecret, 'cust-42').toUpperCase(),
    });
    expect(upper.status).toBe(200);

    const wrong = await session({
      anonymousId: 'anon-2',
      userId: 'cust-42',
      userHash: userHash(identitySecret, 'cust-43'),
    });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe('invalid_user_hash');
    const otherSecret = await session({
      anonymousId: 'anon-2',
      userId: 'cust-42',
      userHash: userHash('not-the-secret', 'cust-42'),
    });
    expect(otherSecret.status).toBe(401);

    // Not required: a bare user id leaves the visitor anonymous.
    const bare = await session({ anonymousId: 'anon-2', userId: 'cust-42' });
    expect(bare.status).toBe(200);
    expect(((await bare.json()) as { userId: string | null }).userId).toBeNull();
  });

  it('answers 401 to a bare user id when the site requires the hash, and shows no data of that user', async () => {
    const strict = await setupSite(db, { conversations: { requireUserHash: true } }, false);
    const secret = (await loadWidgetSecrets(db.kysely, strict.siteId)).identitySecret;
    const owner = await visitorSession(app, strict.writeKey, {
      anonymousId: 'phone',
      userId: 'cust-7',
      userHash: userHash(secret, 'cust-7'),
    });
    const started = await owner.post('/v1/widget/conversations', { text: 'hola' });
    expect(started.status).toBe(201);
    const res = await app.app.request('/v1/widget/session', {
      method: 'POST',
      headers: { origin: ORIGIN, 'content-type': 'application/json' },
      body: JSON.stringify({ writeKey: strict.writeKey, anonymousId: 'laptop', userId: 'cust-7' }),
    });
    expect(res.status).toBe(401);
    const body = await res.text();
    expect(JSON.parse(body).error.code).toBe('user_hash_required');
    expect(body).not.toContain('hola');
    expect(body).not.toContain('token');
  });

  it('lets a visitor read only their own conversations; others answer 404', async () => {
    const alice = await visitorSession(app, site.writeKey, { anonymousId: 'alice' });
    const bob = await visitorSession(app, site.writeKey, { anonymousId: 'bob' });
    const created = (await (await alice.post('/v1/widget/conversations', { text: 'my order is late' })).json()) as {
      conversation: { id: string };
    };
    const id = created.conversation.id;
    expect((await alice.get(`/v1/widget/conversations/${id}`)).status).toBe(200);
    for (const path of [`/v1/widget/conversations/${id}`, `/v1/widget/conversations/${id}/events`]) {
      const res = await bob.get(path);
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain('late');
    }
    expect((await bob.post(`/v1/widget/conversations/${id}/messages`, { text: 'hijack' })).status).toBe(404);
    expect((await (await bob.get('/v1/widget/conversations')).json()) as unknown).toEqual({ conversations: [] });
    const mine = (await (await alice.get('/v1/widget/conversations')).json()) as { conversations: { id: string }[] };
    expect(mine.conversations.map((c) => c.id)).toEqual([id]);
    // Nothing was written by bob.
    const rows = await db.kysely.selectFrom('messages').select('body').where('conversation_id', '=', id).execute();
    expect(rows.map((r) => r.body)).toEqual(['my order is late']);
  });

  it('gives a verified user their conversations on any device, and never to an unverified claim', async () => {
    const hash = userHash(identitySecret, 'cust-9');
    const phone = await visitorSession(app, site.writeKey, {
      anonymousId: 'phone-9',
      userId: 'cust-9',
      userHash: hash,
    });
    const id = (
      (await (await phone.post('/v1/widget/conversations', { text: 'from phone' })).json()) as {
        conversation: { id: string };
      }
    ).conversation.id;
    const laptop = await visitorSession(app, site.writeKey, {
      anonymousId: 'laptop-9',
      userId: 'cust-9',
      userHash: hash,
    });
    expect((await laptop.get(`/v1/widget/conversations/${id}`)).status).toBe(200);
    // Same browser, logged out (or claiming the user without proof): the user's conversation stays hidden.
    const claim = await visitorSession(app, site.writeKey, { anonymousId: 'phone-9', userId: 'cust-9' });
    expect((await claim.get(`/v1/widget/conversations/${id}`)).status).toBe(404);
  });

  it('refuses expired, forged, foreign-site and missing tokens, and foreign origins', async () => {
    const { tokenSecret } = await loadWidgetSecrets(db.kysely, site.siteId);
    const claims = { siteId: site.siteId, anonymousId: 'eve', userId: null };
    const expired = signVisitorToken(tokenSecret, { ...claims, exp: Math.floor(Date.now() / 1000) - 1 });
    const res = await visitorWithToken(app, expired).get('/v1/widget/conversations');
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('token_expired');

    const valid = signVisitorToken(tokenSecret, { ...claims, exp: Math.floor(Date.now() / 1000) + 60 });
    expect((await visitorWithToken(app, valid).get('/v1/widget/conversations')).status).toBe(200);
    const forged = signVisitorToken('guess', { ...claims, exp: Math.floor(Date.now() / 1000) + 60 });
    expect((await visitorWithToken(app, forged).get('/v1/widget/conversations')).status).toBe(401);
    // A token whose payload was edited to another anonymous id keeps the old signature.
    const [v, , sig] = valid.split('.');
    const payload = Buffer.from(JSON.stringify({ s: site.siteId, a: 'alice', u: null, e: 9e9 })).toString('base64url');
    expect((await visitorWithToken(app, `${v}.${payload}.${sig}`).get('/v1/widget/conversations')).status).toBe(401);
    // Signed with another site's secret but naming this site.
    const other = await setupSite(db, undefined, false);
    const otherSecret = (await loadWidgetSecrets(db.kysely, other.siteId)).tokenSecret;
    const crossSite = signVisitorToken(otherSecret, { ...claims, exp: Math.floor(Date.now() / 1000) + 60 });
    expect((await visitorWithToken(app, crossSite).get('/v1/widget/conversations')).status).toBe(401);
    for (const junk of ['', 'v1.', 'v1.a.b', 'nonsense']) {
      const r = await app.app.request('/v1/widget/conversations', { headers: { authorization: `Bearer ${junk}` } });
      expect(r.status).toBe(401);
    }
    expect((await app.app.request('/v1/widget/conversations')).status).toBe(401);
    const wrongOrigin = await visitorWithToken(app, valid).get('/v1/widget/conversations', {
      origin: 'https://evil.example',
    });
    expect(wrongOrigin.status).toBe(403);
    // The query parameter (for EventSource) works like the header.
    expect((await app.app.request(`/v1/widget/conversations?token=${valid}`)).status).toBe(200);
  });

  it('reports business hours in the session and asks for an email while closed', async () => {
    // Open only on a day that is not today (in UTC).
    const today = new Date().getUTCDay();
    const closed = await setupSite(db, {
      conversations: {
        hours: [{ days: [(today + 3) % 7], from: '09:00', to: '18:00' }],
        awayMessage: 'Volvemos pronto',
      },
    });
    const v = await visitorSession(app, closed.writeKey, { anonymousId: 'night-owl' });
    expect(v.session.online).toBe(false);
    expect(v.session.awayMessage).toBe('Volvemos pronto');
    const noEmail = await v.post('/v1/widget/conversations', { text: 'hello?' });
    expect(noEmail.status).toBe(400);
    expect(((await noEmail.json()) as { error: { code: string; field: string } }).error).toMatchObject({
      code: 'email_required',
      field: 'email',
    });
    const withEmail = await v.post('/v1/widget/conversations', { text: 'hello?', email: 'ana@example.com' });
    expect(withEmail.status).toBe(201);
    const body = (await withEmail.json()) as {
      conversation: { id: string };
      messages: { author: string; event: string | null; text: string }[];
      online: boolean;
    };
    expect(body.online).toBe(false);
    expect(body.messages.map((m) => [m.author, m.event, m.text])).toEqual([
      ['visitor', null, 'hello?'],
      ['system', 'away', 'Volvemos pronto'],
    ]);
    const row = await db.kysely
      .selectFrom('conversations')
      .select('email')
      .where('site_id', '=', closed.siteId)
      .where('conversation_id', '=', body.conversation.id)
      .executeTakeFirstOrThrow();
    expect(row.email).toBe('ana@example.com');
    // Settings are validated: a bad zone or time never gets stored.
    await expect(
      updateSiteSettings(db.kysely, closed.siteId, { conversations: { timezone: 'Mars/Olympus' } }),
    ).rejects.toThrow();
    await expect(
      updateSiteSettings(db.kysely, closed.siteId, {
        conversations: { hours: [{ days: [1], from: '18:00', to: '09:00' }] },
      }),
    ).rejects.toThrow();
  });
});
