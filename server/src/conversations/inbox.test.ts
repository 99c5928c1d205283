// The staff inbox's extras: list previews (latest message, ticket), unread per staff user with read markers,
// the assignable team, the customer's profile, and what the signed-in role may do on a conversation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStaff, sessionFor, signedIn } from '../auth/testing.ts';
import { openTestDatabase, type TestDb, testDialects } from '../db/testing.ts';
import { PREVIEW_CHARS } from './inbox.ts';
import { makeApp, ORIGIN, setupSite, staffClient, type TestApp, type Visitor, visitorSession } from './testing.ts';

interface Row {
  id: string;
  kind: string;
  ticket: string | null;
  lastMessage: { id: number; author: string; text: string } | null;
  unread: boolean;
}
interface Detail {
  conversation: { id: string; profileId: string | null };
  complaint: { actions: { action: string; textRequired: boolean }[] } | null;
  canAnswer: boolean;
}

describe.each(testDialects)('inbox extras on %s', (dialect) => {
  let db: TestDb;
  let app: TestApp;
  let site: Awaited<ReturnType<typeof setupSite>>;
  let v: Visitor;
  type Client = ReturnType<typeof signedIn>;
  let agent: Client;
  let validator: Client;
  let marketer: Client;
  let team: Record<'agent' | 'validator' | 'admin' | 'marketer', { userId: string; email: string }>;

  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    site = await setupSite(db, undefined, false);
    app = makeApp(db);
    const add = (role: 'agent' | 'validator' | 'admin' | 'marketer') =>
      addStaff(db.kysely, role, [site.siteId], `${role}@inbox.example`);
    team = {
      agent: await add('agent'),
      validator: await add('validator'),
      admin: await add('admin'),
      marketer: await add('marketer'),
    };
    const as = async (who: { userId: string }) =>
      signedIn(app.app, await sessionFor(db.kysely, who.userId), site.siteId);
    agent = await as(team.agent);
    validator = await as(team.validator);
    marketer = await as(team.marketer);
    v = await visitorSession(app, site.writeKey, { anonymousId: 'anon-inbox' });
  });
  afterAll(async () => {
    await app.closeRealtime();
    await db.close();
  });

  const json = async <T>(res: Response | Promise<Response>, status = 200): Promise<T> => {
    const r = await res;
    expect(r.status, await r.clone().text()).toBe(status);
    return (await r.json()) as T;
  };
  const rowOf = async (who: Client, id: string) =>
    (await json<{ conversations: Row[] }>(who.get('/api/conversations?limit=100'))).conversations.find(
      (c) => c.id === id,
    );

  it('previews the latest message and tracks unread per staff user', async () => {
    const started = await json<{ conversation: { id: string } }>(
      v.post('/v1/widget/conversations', { text: `Hola ${'x'.repeat(300)}` }),
      201,
    );
    const id = started.conversation.id;
    const first = await rowOf(agent, id);
    expect(first).toMatchObject({ kind: 'chat', ticket: null, unread: true, lastMessage: { author: 'visitor' } });
    expect(first?.lastMessage?.text).toHaveLength(PREVIEW_CHARS);
    expect(first?.lastMessage?.text.endsWith('…')).toBe(true);

    // A marker past the end is kept at the conversation's latest message, so later ones still count.
    const read = await json<{ readUpTo: number }>(agent.post(`/api/conversations/${id}/read`, { upTo: 1e12 }));
    expect(read.readUpTo).toBe(first?.lastMessage?.id);
    expect((await rowOf(agent, id))?.unread).toBe(false);
    // Each person's own: the validator has not read it.
    expect((await rowOf(validator, id))?.unread).toBe(true);
    // Markers never go back.
    expect((await json<{ readUpTo: number }>(agent.post(`/api/conversations/${id}/read`, { upTo: 0 }))).readUpTo).toBe(
      read.readUpTo,
    );

    await json(v.post(`/v1/widget/conversations/${id}/messages`, { text: 'Sigo aquí' }), 201);
    expect(await rowOf(agent, id)).toMatchObject({
      unread: true,
      lastMessage: { author: 'visitor', text: 'Sigo aquí' },
    });
    // Answering is reading.
    await json(agent.post(`/api/conversations/${id}/messages`, { text: 'Dime' }), 201);
    expect(await rowOf(agent, id)).toMatchObject({ unread: false, lastMessage: { author: 'agent', text: 'Dime' } });
    // Assignments are system notes, not news.
    await json(agent.post(`/api/conversations/${id}/assign`, { assignee: team.agent.userId }));
    expect((await rowOf(agent, id))?.lastMessage?.text).toBe('Dime');

    expect((await agent.post(`/api/conversations/${id}/read`, { upTo: -1 })).status).toBe(400);
    expect((await agent.post('/api/conversations/nope/read', { upTo: 1 })).status).toBe(404);
    expect((await marketer.post(`/api/conversations/${id}/read`, { upTo: 1 })).status).toBe(403);
    // The secret key reads as nobody: no markers, nothing unread.
    const key = staffClient(app, site.secretKey);
    expect((await key.post(`/api/conversations/${id}/read`, { upTo: 1 })).status).toBe(403);
    const byKey = await json<{ conversations: Row[] }>(key.get('/api/conversations'));
    expect(byKey.conversations.every((c) => c.unread === false)).toBe(true);
  });

  it('offers each role only the complaint steps it may take, and shows the ticket in the list', async () => {
    const created = await json<{ conversationId: string; ticket: string }>(
      v.post('/v1/widget/complaints', { category: 'Envío', description: 'Llegó roto', orderNumber: 'NT-1' }),
      201,
    );
    const id = created.conversationId;
    expect(await rowOf(agent, id)).toMatchObject({ kind: 'complaint', ticket: created.ticket, lastMessage: null });

    const detail = (who: Client) => json<Detail>(who.get(`/api/conversations/${id}`));
    const actions = async (who: Client) => (await detail(who)).complaint?.actions.map((a) => a.action);
    expect((await detail(agent)).complaint?.actions).toEqual([{ action: 'review', textRequired: true }]);
    expect(await actions(validator)).toEqual([]);
    expect((await detail(agent)).canAnswer).toBe(true);
    expect((await detail(validator)).canAnswer).toBe(false);

    await json(agent.post(`/api/complaints/${id}/transitions`, { action: 'review', text: 'Golpe en transporte' }));
    expect(await actions(agent)).toEqual([]);
    expect((await detail(validator)).complaint?.actions).toEqual([
      { action: 'validate', textRequired: false },
      { action: 'reject', textRequired: true },
    ]);
    // The secret key may take every step the state allows.
    const byKey = await json<Detail>(staffClient(app, site.secretKey).get(`/api/conversations/${id}`));
    expect(byKey.complaint?.actions.map((a) => a.action)).toEqual(['validate', 'reject']);
  });

  it('lists who a conversation can be assigned to, to inbox roles only', async () => {
    const { assignees } = await json<{ assignees: { id: string; email: string; role: string }[] }>(
      validator.get('/api/conversations/assignees'),
    );
    expect(assignees.map((a) => a.email).sort()).toEqual([
      'admin@inbox.example',
      'agent@inbox.example',
      'validator@inbox.example',
    ]);
    expect(assignees.find((a) => a.role === 'agent')?.id).toBe(team.agent.userId);
    expect((await marketer.get('/api/conversations/assignees')).status).toBe(403);
  });

  it("names the customer's profile once the visitor's events made one", async () => {
    const started = await json<{ conversation: { id: string } }>(
      v.post('/v1/widget/conversations', { text: '¿Tenéis la talla 42?' }),
      201,
    );
    const id = started.conversation.id;
    expect((await json<Detail>(agent.get(`/api/conversations/${id}`))).conversation.profileId).toBeNull();

    const batch = await app.app.request('/v1/batch', {
      method: 'POST',
      headers: { origin: ORIGIN, 'content-type': 'application/json' },
      body: JSON.stringify({
        writeKey: site.writeKey,
        batch: [{ type: 'page', messageId: 'm-inbox-1', anonymousId: 'anon-inbox', name: 'Home' }],
      }),
    });
    expect(batch.status).toBe(200);
    await app.drain();
    await app.projector.projectAll();
    const profileId = (await json<Detail>(agent.get(`/api/conversations/${id}`))).conversation.profileId;
    expect(profileId).toMatch(/^p_/);
    const profile = await db.kysely
      .selectFrom('identities')
      .select('profile_id')
      .where('site_id', '=', site.siteId)
      .where('value', '=', 'anon-inbox')
      .executeTakeFirstOrThrow();
    expect(profileId).toBe(profile.profile_id);
  });
});
