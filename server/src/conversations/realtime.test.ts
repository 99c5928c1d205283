// Realtime: staff replies reach the visitor's stream; Last-Event-ID resumes without gap or repeat;
// LISTEN/NOTIFY fans out between app instances; streams end on disconnect and on shutdown.
import { Hono } from 'hono';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db, openDatabase } from '../db/index.ts';
import { openTestDatabase, type TestDb, testDialects } from '../db/testing.ts';
import { errorResponse } from '../http/errors.ts';
import type { WireMessage } from '../protocol/index.ts';
import { SiteDirectory } from '../sites/index.ts';
import { conversations } from './index.ts';
import {
  makeApp,
  type SseEvent,
  setupSite,
  sseReader,
  staffClient,
  type TestApp,
  type Visitor,
  visitorSession,
} from './testing.ts';

const data = (e: SseEvent) => JSON.parse(e.data) as WireMessage & { visibility?: string };

describe.each(testDialects)('realtime on %s', (dialect) => {
  let db: TestDb;
  let app: TestApp;
  let site: Awaited<ReturnType<typeof setupSite>>;
  let staff: ReturnType<typeof staffClient>;

  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    site = await setupSite(db);
    app = makeApp(db);
    staff = staffClient(app, site.secretKey);
  });
  afterAll(async () => {
    await app.closeRealtime();
    await db.close();
  });

  async function startChat(v: Visitor, text = 'hola') {
    const res = await v.post('/v1/widget/conversations', { text });
    expect(res.status).toBe(201);
    return ((await res.json()) as { conversation: { id: string } }).conversation.id;
  }
  const reply = async (id: string, text: string) => {
    const res = await staff.post(`/api/conversations/${id}/messages`, { text });
    expect(res.status).toBe(201);
    return (await res.json()) as WireMessage;
  };

  it('shows the backlog, then a staff reply live on the visitor stream, with heartbeats', async () => {
    const v = await visitorSession(app, site.writeKey, { anonymousId: 'sse-1' });
    const id = await startChat(v, 'where is my order?');
    const res = await v.get(`/v1/widget/conversations/${id}/events`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    expect(res.headers.get('access-control-allow-origin')).toBe('https://tienda.example');
    const stream = sseReader(res);
    const [first] = await stream.next();
    expect(first?.event).toBe('message');
    expect(data(first as SseEvent)).toMatchObject({ author: 'visitor', text: 'where is my order?' });
    const sent = await reply(id, 'on its way');
    const [live] = await stream.next(1, 2000);
    expect(live?.id).toBe(String(sent.id));
    expect(data(live as SseEvent)).toMatchObject({ author: 'agent', text: 'on its way', conversationId: id });
    // Visitors never see staff-only fields.
    expect(data(live as SseEvent)).not.toHaveProperty('visibility');
    await stream.waitFor(() => stream.comments > 0, 2000);
    await stream.cancel();
  });

  it('resumes after Last-Event-ID with nothing missed and nothing repeated', async () => {
    const v = await visitorSession(app, site.writeKey, { anonymousId: 'sse-2' });
    const id = await startChat(v);
    const first = sseReader(await v.get(`/v1/widget/conversations/${id}/events`));
    await reply(id, 'one');
    const seen = await first.next(2);
    await first.cancel();
    const lastId = seen[1]?.id as string;
    // While disconnected: replies here and on another conversation of the same site.
    const other = await startChat(await visitorSession(app, site.writeKey, { anonymousId: 'sse-2b' }));
    await reply(id, 'two');
    await reply(other, 'not yours');
    await reply(id, 'three');
    const again = sseReader(await v.get(`/v1/widget/conversations/${id}/events`, { 'last-event-id': lastId }));
    const missed = await again.next(2);
    expect(missed.map((e) => data(e).text)).toEqual(['two', 'three']);
    await reply(id, 'four');
    const [live] = await again.next(1);
    expect(data(live as SseEvent).text).toBe('four');
    // Nothing else arrives (no duplicate of anything already delivered).
    await expect(again.next(1, 300)).rejects.toThrow(/timed out/);
    const ids = again.events.map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(ids.every((n) => n > Number(lastId))).toBe(true);
    await again.cancel();
    // A malformed Last-Event-ID is a 400, not a stream from the start.
    expect((await v.get(`/v1/widget/conversations/${id}/events`, { 'last-event-id': 'abc' })).status).toBe(400);
  });

  it('delivers concurrent replies exactly once and in id order', async () => {
    const v = await visitorSession(app, site.writeKey, { anonymousId: 'sse-3' });
    const id = await startChat(v);
    const stream = sseReader(await v.get(`/v1/widget/conversations/${id}/events`));
    await stream.next(1);
    await Promise.all(Array.from({ length: 25 }, (_, i) => reply(id, `r${i}`)));
    const got = await stream.next(25, 10_000);
    expect(new Set(got.map((e) => data(e).text)).size).toBe(25);
    const ids = got.map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    await expect(stream.next(1, 300)).rejects.toThrow(/timed out/);
    await stream.cancel();
  });

  it('gives staff one stream of the whole site, including staff-only events the visitor does not get', async () => {
    const staffStream = sseReader(await staff.get('/api/conversations/events', { 'last-event-id': '0' }));
    // Everything so far, then live.
    await staffStream.waitFor(() => staffStream.events.length > 5);
    const v = await visitorSession(app, site.writeKey, { anonymousId: 'sse-4' });
    const id = await startChat(v, 'staff should see this');
    const visitorStream = sseReader(await v.get(`/v1/widget/conversations/${id}/events`));
    await visitorStream.next(1);
    const assigned = await staff.post(`/api/conversations/${id}/assign`, { assignee: site.agent.email });
    expect(assigned.status).toBe(200);
    await reply(id, 'hi, I am on it');
    await staffStream.waitFor(() => staffStream.events.some((e) => data(e).text === 'hi, I am on it'));
    const mine = staffStream.events.map(data).filter((m) => m.conversationId === id);
    expect(mine.map((m) => [m.author, m.event, m.visibility])).toEqual([
      ['visitor', null, 'public'],
      ['system', 'assigned', 'staff'],
      ['agent', null, 'public'],
    ]);
    const [agentReply] = await visitorStream.next(1);
    expect(data(agentReply as SseEvent).text).toBe('hi, I am on it');
    expect(visitorStream.events.map((e) => data(e).event)).not.toContain('assigned');
    // Without Last-Event-ID the staff stream is live only.
    const liveOnly = sseReader(await staff.get('/api/conversations/events'));
    await reply(id, 'only this');
    const [only] = await liveOnly.next(1);
    expect(data(only as SseEvent).text).toBe('only this');
    await liveOnly.cancel();
    await staffStream.cancel();
    await visitorStream.cancel();
    expect((await app.app.request('/api/conversations/events')).status).toBe(401);
  });

  it('fans out across two app instances through LISTEN/NOTIFY', async () => {
    // On Postgres the second instance has its own pool and its own LISTEN connection, like another process;
    // PGlite is one process's embedded database, so two instances can only share it.
    let other: Db = db;
    if (dialect === 'postgres') other = await openDatabase({ databaseUrl: db.url as string, poolSize: 2 });
    const app2 = makeApp(other);
    try {
      const v = await visitorSession(app, site.writeKey, { anonymousId: 'sse-5' });
      const id = await startChat(v);
      const stream = sseReader(await v.get(`/v1/widget/conversations/${id}/events`));
      await stream.next(1);
      const res = await staffClient(app2, site.secretKey).post(`/api/conversations/${id}/messages`, { text: 'from B' });
      expect(res.status).toBe(201);
      const [live] = await stream.next(1, 3000);
      expect(data(live as SseEvent).text).toBe('from B');
      await stream.cancel();
    } finally {
      await app2.closeRealtime();
      if (other !== db) await other.close();
    }
  });

  // Registered on Postgres only (concurrent connections; PGlite has one), so no run reports it skipped.
  if (dialect === 'postgres')
    it('catches up after the LISTEN connection is lost and re-established', async () => {
      const v = await visitorSession(app, site.writeKey, { anonymousId: 'sse-7' });
      const id = await startChat(v);
      const stream = sseReader(await v.get(`/v1/widget/conversations/${id}/events`));
      await stream.next(1);
      // Kill this process's listening session, then reply while nobody listens: the NOTIFY is lost.
      const killed = await sql<{ n: number }>`
      select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
      where datname = current_database() and query ilike 'LISTEN %'`.execute(db.kysely);
      expect(killed.rows[0]?.n).toBeGreaterThan(0);
      await reply(id, 'sent during the outage');
      // On reconnect every stream is told it may have missed something and reads the database again.
      const [caught] = await stream.next(1, 5000);
      expect(data(caught as SseEvent).text).toBe('sent during the outage');
      await reply(id, 'live again');
      const [live] = await stream.next(1, 3000);
      expect(data(live as SseEvent).text).toBe('live again');
      await stream.cancel();
    });

  it('drops a stream when its client goes away, and ends every stream on shutdown', async () => {
    const chat = conversations({
      db,
      sites: new SiteDirectory(db.kysely),
      clientIp: () => '203.0.113.9',
      heartbeatMs: 20,
    });
    const local = new Hono().route('/', chat.routes);
    local.onError(errorResponse);
    const v = await visitorSession(app, site.writeKey, { anonymousId: 'sse-6' });
    const id = await startChat(v);
    const open = () =>
      local.request(`/v1/widget/conversations/${id}/events`, { headers: { authorization: `Bearer ${v.token}` } });
    const a = sseReader(await open());
    const b = sseReader(await open());
    await a.next(1);
    await b.next(1);
    expect(chat.hub.size).toBe(2);
    await a.cancel();
    await expect.poll(() => chat.hub.size, { timeout: 2000 }).toBe(1);
    await chat.close();
    await b.end(2000);
    expect(chat.hub.size).toBe(0);
    // After shutdown no new stream is opened.
    expect((await open()).status).toBe(503);
  });
});
