// Chat and feedback: what visitors send is stored as capped text; staff list, read, reply, assign and close.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDb, testDialects } from '../db/testing.ts';
import { MAX_TEXT_CHARS } from '../protocol/index.ts';
import { eraseConversations, exportConversations } from './index.ts';
import { makeApp, setupSite, staffClient, type TestApp, type Visitor, visitorSession } from './testing.ts';

interface StaffConversation {
  id: string;
  kind: string;
  status: string;
  assigneeId: string | null;
  rating: number | null;
  pageUrl: string | null;
}

describe.each(testDialects)('chat and feedback on %s', (dialect) => {
  let db: TestDb;
  let app: TestApp;
  let site: Awaited<ReturnType<typeof setupSite>>;
  let staff: ReturnType<typeof staffClient>;
  let v: Visitor;

  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    site = await setupSite(db);
    app = makeApp(db);
    staff = staffClient(app, site.secretKey);
    v = await visitorSession(app, site.writeKey, { anonymousId: 'chatter' });
  });
  afterAll(async () => {
    await app.closeRealtime();
    await db.close();
  });

  const start = async (text: string) => {
    const res = await v.post('/v1/widget/conversations', { text, pageUrl: 'https://tienda.example/p/1' });
    expect(res.status).toBe(201);
    return ((await res.json()) as { conversation: { id: string } }).conversation.id;
  };

  it('stores visitor text as given (markup included) and caps its length', async () => {
    const xss = '<img src=x onerror=alert(1)> & "quotes"';
    const id = await start(xss);
    expect((await v.post(`/v1/widget/conversations/${id}/messages`, { text: 'x'.repeat(MAX_TEXT_CHARS) })).status).toBe(
      201,
    );
    const tooLong = await v.post(`/v1/widget/conversations/${id}/messages`, { text: 'x'.repeat(MAX_TEXT_CHARS + 1) });
    expect(tooLong.status).toBe(400);
    expect(((await tooLong.json()) as { error: { field: string } }).error.field).toBe('text');
    expect((await v.post(`/v1/widget/conversations/${id}/messages`, { text: '   ' })).status).toBe(400);
    const rows = await db.kysely
      .selectFrom('messages')
      .select(['body', 'author'])
      .where('site_id', '=', site.siteId)
      .where('conversation_id', '=', id)
      .orderBy('message_id')
      .execute();
    expect(rows.map((r) => [r.author, r.body.length])).toEqual([
      ['visitor', xss.length],
      ['visitor', MAX_TEXT_CHARS],
    ]);
    expect(rows[0]?.body).toBe(xss);
    // The database refuses an over-long body even if a caller skipped the wire check.
    await expect(
      db.kysely
        .insertInto('messages')
        .values({
          site_id: site.siteId,
          message_id: 999_999,
          conversation_id: id,
          author: 'agent',
          staff_user_id: null,
          visibility: 'public',
          event: null,
          body: 'y'.repeat(MAX_TEXT_CHARS + 1),
        })
        .execute(),
    ).rejects.toThrow();
  });

  it('lets staff reply, assign and close; a visitor message reopens a closed chat', async () => {
    const id = await start('need help');
    const reply = await staff.post(`/api/conversations/${id}/messages`, {
      text: 'Hola, ¿en qué te ayudo?',
      actor: site.agent.email,
    });
    expect(reply.status).toBe(201);
    // Actors must be staff of this site with an answering role.
    expect(
      (await staff.post(`/api/conversations/${id}/messages`, { text: 'x', actor: 'nobody@example.com' })).status,
    ).toBe(403);
    expect(
      (await staff.post(`/api/conversations/${id}/messages`, { text: 'x', actor: site.marketer.email })).status,
    ).toBe(403);
    expect((await staff.post(`/api/conversations/${id}/assign`, { assignee: site.agent.userId })).status).toBe(200);
    expect((await staff.post(`/api/conversations/${id}/assign`, { assignee: site.marketer.email })).status).toBe(400);
    expect(
      (await staff.post(`/api/conversations/${id}/status`, { status: 'closed', actor: site.admin.email })).status,
    ).toBe(200);
    expect((await staff.post(`/api/conversations/${id}/status`, { status: 'snoozed' })).status).toBe(400);

    let detail = (await (await staff.get(`/api/conversations/${id}`)).json()) as {
      conversation: StaffConversation;
      messages: { author: string; event: string | null; text: string; staffUserId: string | null }[];
    };
    expect(detail.conversation).toMatchObject({
      status: 'closed',
      assigneeId: site.agent.userId,
      pageUrl: 'https://tienda.example/p/1',
    });
    expect(detail.messages.map((m) => [m.author, m.event, m.text])).toEqual([
      ['visitor', null, 'need help'],
      ['agent', null, 'Hola, ¿en qué te ayudo?'],
      ['system', 'assigned', site.agent.userId],
      ['system', 'status_changed', 'closed'],
    ]);
    expect(detail.messages[1]?.staffUserId).toBe(site.agent.userId);

    // The visitor sees the reply and the closing, not the assignment.
    const mine = (await (await v.get(`/v1/widget/conversations/${id}`)).json()) as {
      conversation: { status: string };
      messages: { author: string; event: string | null }[];
    };
    expect(mine.messages.map((m) => m.event ?? m.author)).toEqual(['visitor', 'agent', 'status_changed']);
    expect(JSON.stringify(mine)).not.toContain(site.agent.userId);

    expect((await v.post(`/v1/widget/conversations/${id}/messages`, { text: 'one more thing' })).status).toBe(201);
    detail = (await (await staff.get(`/api/conversations/${id}`)).json()) as typeof detail;
    expect(detail.conversation.status).toBe('open');
    // Another site's key sees none of it.
    const other = await setupSite(db, undefined, false);
    expect((await staffClient(app, other.secretKey).get(`/api/conversations/${id}`)).status).toBe(404);
    expect(
      (await staffClient(app, other.secretKey).post(`/api/conversations/${id}/messages`, { text: 'x' })).status,
    ).toBe(404);
    expect((await app.app.request(`/api/conversations/${id}`)).status).toBe(401);
  });

  it('takes feedback with a 1–5 rating, a comment and the page', async () => {
    const res = await v.post('/v1/widget/feedback', {
      rating: 4,
      comment: 'Good page',
      pageUrl: 'https://tienda.example/faq',
    });
    expect(res.status).toBe(201);
    const { conversation } = (await res.json()) as { conversation: { id: string; kind: string } };
    expect(conversation.kind).toBe('feedback');
    const detail = (await (await staff.get(`/api/conversations/${conversation.id}`)).json()) as {
      conversation: StaffConversation;
      messages: { text: string }[];
    };
    expect(detail.conversation).toMatchObject({ rating: 4, pageUrl: 'https://tienda.example/faq' });
    expect(detail.messages.map((m) => m.text)).toEqual(['Good page']);
    for (const bad of [
      { rating: 0, pageUrl: 'https://tienda.example/' },
      { rating: 6, pageUrl: 'https://tienda.example/' },
      { rating: 3.5, pageUrl: 'https://tienda.example/' },
      { rating: 3, pageUrl: 'javascript:alert(1)' },
      { rating: 3 },
    ]) {
      expect((await v.post('/v1/widget/feedback', bad)).status).toBe(400);
    }
  });

  it('lists conversations newest first with filters and a stable cursor', async () => {
    const list = async (query: string) => {
      const res = await staff.get(`/api/conversations?${query}`);
      expect(res.status).toBe(200);
      return (await res.json()) as { conversations: StaffConversation[]; nextCursor: string | null };
    };
    const all: StaffConversation[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof list>> = await list(`limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.conversations.length).toBeLessThanOrEqual(2);
      all.push(...page.conversations);
      cursor = page.nextCursor;
    } while (cursor);
    const everything = await list('limit=100');
    expect(all.map((c) => c.id)).toEqual(everything.conversations.map((c) => c.id));
    expect(new Set(all.map((c) => c.id)).size).toBe(all.length);
    expect(all.length).toBeGreaterThanOrEqual(3);

    expect((await list('kind=feedback')).conversations.every((c) => c.kind === 'feedback')).toBe(true);
    expect((await list('kind=feedback')).conversations.length).toBe(1);
    const assigned = await list(`assignee=${site.agent.userId}`);
    expect(assigned.conversations.map((c) => c.assigneeId)).toEqual([site.agent.userId]);
    expect((await list('assignee=none')).conversations.every((c) => c.assigneeId === null)).toBe(true);
    expect((await list('status=closed')).conversations.every((c) => c.status === 'closed')).toBe(true);
    expect((await staff.get('/api/conversations?kind=letter')).status).toBe(400);
    expect((await staff.get('/api/conversations?cursor=bogus')).status).toBe(400);
    expect((await staff.get('/api/conversations?limit=1000')).status).toBe(400);
  });

  it("exports and erases one person's conversations, leaving everyone else's", async () => {
    const gone = await visitorSession(app, site.writeKey, { anonymousId: 'forget-me' });
    const kept = await visitorSession(app, site.writeKey, { anonymousId: 'keep-me' });
    await gone.post('/v1/widget/conversations', { text: 'private words' });
    await gone.post('/v1/widget/complaints', { category: 'x', description: 'private complaint' });
    await kept.post('/v1/widget/conversations', { text: 'stays' });
    const ids = { anonymousIds: ['forget-me'], userIds: [] };
    const exported = await exportConversations(db.kysely, site.siteId, ids);
    expect(exported.map((c) => c.kind).sort()).toEqual(['chat', 'complaint']);
    expect(JSON.stringify(exported)).toContain('private words');
    expect(JSON.stringify(exported)).toContain('private complaint');
    expect(await eraseConversations(db.kysely, site.siteId, ids)).toBe(2);
    const left = await db.kysely.selectFrom('messages').select('body').where('site_id', '=', site.siteId).execute();
    expect(left.map((m) => m.body)).toContain('stays');
    expect(left.map((m) => m.body)).not.toContain('private words');
    expect(
      await db.kysely
        .selectFrom('complaints')
        .select('description')
        .where('description', '=', 'private complaint')
        .execute(),
    ).toEqual([]);
    expect(await exportConversations(db.kysely, site.siteId, ids)).toEqual([]);
    expect(await eraseConversations(db.kysely, site.siteId, { anonymousIds: [], userIds: [] })).toBe(0);
  });

  it('hands the identity secret to the shop and rotates it', async () => {
    const first = (await (await staff.get('/api/widget/identity-secret')).json()) as { identitySecret: string };
    expect(first.identitySecret.length).toBeGreaterThanOrEqual(32);
    const rotated = (await (await staff.post('/api/widget/identity-secret/rotate', {})).json()) as {
      identitySecret: string;
    };
    expect(rotated.identitySecret).not.toBe(first.identitySecret);
    expect(
      ((await (await staff.get('/api/widget/identity-secret')).json()) as { identitySecret: string }).identitySecret,
    ).toBe(rotated.identitySecret);
  });
});
