// Complaints: ticket numbers, every workflow transition allowed and refused (state and role), lookup, photos.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDb, testDialects } from '../db/testing.ts';
import type { ComplaintAction, WireComplaintStatus } from '../protocol/index.ts';
import { workflow } from './index.ts';
import { MAX_PHOTO_BYTES } from './photos.ts';
import { makeApp, ORIGIN, setupSite, staffClient, type TestApp, type Visitor, visitorSession } from './testing.ts';

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);
const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.from([0x24, 0, 0, 0]), Buffer.from('WEBPVP8 ')]);

describe.each(testDialects)('complaints on %s', (dialect) => {
  let db: TestDb;
  let app: TestApp;
  let site: Awaited<ReturnType<typeof setupSite>>;
  let staff: ReturnType<typeof staffClient>;
  let customer: Visitor;

  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    site = await setupSite(db);
    app = makeApp(db);
    staff = staffClient(app, site.secretKey);
    customer = await visitorSession(app, site.writeKey, { anonymousId: 'customer' });
  });
  afterAll(async () => {
    await app.closeRealtime();
    await db.close();
  });

  async function file(v: Visitor = customer, email?: string) {
    const res = await v.post('/v1/widget/complaints', {
      category: 'damaged',
      orderNumber: 'PO-1001',
      description: 'The box arrived crushed',
      ...(email ? { email } : {}),
    });
    expect(res.status).toBe(201);
    return (await res.json()) as { conversationId: string; ticket: string; status: string };
  }
  const move = (id: string, action: ComplaintAction, actor: string, text?: string) =>
    staff.post(`/api/complaints/${id}/transitions`, { action, actor, ...(text ? { text } : {}) });

  it('files a complaint with a readable, sequential ticket number', async () => {
    const a = await file();
    const b = await file();
    const year = new Date().getUTCFullYear();
    expect(a.ticket).toMatch(new RegExp(`^RC-${year}-\\d{6}$`));
    expect(Number(b.ticket.slice(-6))).toBe(Number(a.ticket.slice(-6)) + 1);
    expect(a.status).toBe('registered');
    const bad = await customer.post('/v1/widget/complaints', { category: 'x', description: '' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { field: string } }).error.field).toBe('description');
  });

  it('numbers tickets per site, each site starting at 1', async () => {
    const other = await setupSite(db, undefined, false);
    const v = await visitorSession(app, other.writeKey, { anonymousId: 'c2' });
    const res = await v.post('/v1/widget/complaints', { category: 'late', description: 'late' });
    expect(((await res.json()) as { ticket: string }).ticket).toMatch(/-000001$/);
  });

  it('walks the whole workflow, recording who, when and each text; the customer sees the answer', async () => {
    const { conversationId: id, ticket } = await file();
    expect((await move(id, 'review', site.agent.email, 'Carrier damage confirmed')).status).toBe(200);
    expect((await move(id, 'reject', site.validator.userId, 'Attach the carrier report')).status).toBe(200);
    expect((await move(id, 'review', site.agent.userId, 'Carrier report attached')).status).toBe(200);
    expect((await move(id, 'validate', site.validator.email, 'OK')).status).toBe(200);
    const before = (await (
      await customer.get(`/v1/widget/complaints/status?ticket=${ticket}`)
    ).json()) as WireComplaintStatus;
    expect(before.status).toBe('validated');
    expect(before.response).toBeNull();
    expect((await move(id, 'resolve', site.admin.email, 'We refund the full amount')).status).toBe(200);
    expect((await move(id, 'close', site.agent.email)).status).toBe(200);

    const detail = (await (await staff.get(`/api/conversations/${id}`)).json()) as {
      conversation: { status: string };
      complaint: {
        technicalReport: string;
        validationNote: string;
        response: string;
        transitions: {
          action: string;
          from: string | null;
          to: string;
          actor: { email: string; role: string } | null;
          text: string | null;
          at: string;
        }[];
      };
    };
    expect(detail.conversation.status).toBe('closed');
    expect(detail.complaint).toMatchObject({
      technicalReport: 'Carrier report attached',
      validationNote: 'OK',
      response: 'We refund the full amount',
    });
    expect(detail.complaint.transitions.map((t) => [t.action, t.from, t.to, t.actor?.role ?? null, t.text])).toEqual([
      ['register', null, 'registered', null, 'The box arrived crushed'],
      ['review', 'registered', 'in_review', 'agent', 'Carrier damage confirmed'],
      ['reject', 'in_review', 'rejected', 'validator', 'Attach the carrier report'],
      ['review', 'rejected', 'in_review', 'agent', 'Carrier report attached'],
      ['validate', 'in_review', 'validated', 'validator', 'OK'],
      ['resolve', 'validated', 'resolved', 'admin', 'We refund the full amount'],
      ['close', 'resolved', 'closed', 'agent', null],
    ]);
    expect(detail.complaint.transitions[1]?.actor?.email).toBe(site.agent.email);
    expect(detail.complaint.transitions.every((t) => !Number.isNaN(Date.parse(t.at)))).toBe(true);

    const status = (await (
      await customer.get(`/v1/widget/complaints/status?ticket=${ticket}`)
    ).json()) as WireComplaintStatus;
    expect(status.status).toBe('closed');
    expect(status.response).toBe('We refund the full amount');
    expect(status.history.map((h) => h.status)).toEqual([
      'registered',
      'in_review',
      'rejected',
      'in_review',
      'validated',
      'resolved',
      'closed',
    ]);
    // Internal texts never reach the customer; the answer also arrives as an agent message.
    const text = JSON.stringify(status);
    expect(text).not.toContain('Carrier');
    const conversation = (await (await customer.get(`/v1/widget/conversations/${id}`)).json()) as {
      messages: { author: string; text: string }[];
    };
    expect(conversation.messages.filter((m) => m.author === 'agent').map((m) => m.text)).toEqual([
      'We refund the full amount',
    ]);
    expect(JSON.stringify(conversation)).not.toContain('Carrier');
  });

  it('refuses every action from every wrong state with 409, and changes nothing', async () => {
    const states = ['registered', 'in_review', 'validated', 'rejected', 'resolved', 'closed'] as const;
    // A complaint brought to each state by the allowed path.
    const path: Record<(typeof states)[number], [ComplaintAction, string][]> = {
      registered: [],
      in_review: [['review', site.agent.email]],
      validated: [
        ['review', site.agent.email],
        ['validate', site.validator.email],
      ],
      rejected: [
        ['review', site.agent.email],
        ['reject', site.validator.email],
      ],
      resolved: [
        ['review', site.agent.email],
        ['validate', site.validator.email],
        ['resolve', site.agent.email],
      ],
      closed: [
        ['review', site.agent.email],
        ['validate', site.validator.email],
        ['resolve', site.agent.email],
        ['close', site.agent.email],
      ],
    };
    const roleFor = (action: ComplaintAction) =>
      workflow[action].roles.includes('validator') ? site.validator.email : site.agent.email;
    for (const state of states) {
      const { conversationId: id } = await file();
      for (const [action, actor] of path[state]) expect((await move(id, action, actor, 'text')).status).toBe(200);
      for (const action of Object.keys(workflow) as ComplaintAction[]) {
        if (workflow[action].from.includes(state)) continue;
        const res = await move(id, action, roleFor(action), 'text');
        expect([state, action, res.status]).toEqual([state, action, 409]);
      }
      const row = await db.kysely
        .selectFrom('conversations')
        .select('status')
        .where('site_id', '=', site.siteId)
        .where('conversation_id', '=', id)
        .executeTakeFirstOrThrow();
      expect(row.status).toBe(state);
    }
  });

  it('allows each action only to its roles (403 otherwise) and needs the texts it records', async () => {
    const { conversationId: id } = await file();
    const members = {
      agent: site.agent.email,
      validator: site.validator.email,
      admin: site.admin.email,
      marketer: site.marketer.email,
    };
    const expectRoles = async (action: ComplaintAction, allowedAfter: () => Promise<void>) => {
      for (const [role, email] of Object.entries(members)) {
        if ((workflow[action].roles as readonly string[]).includes(role)) continue;
        const res = await move(id, action, email, 'text');
        expect([action, role, res.status]).toEqual([action, role, 403]);
      }
      await allowedAfter();
    };
    await expectRoles('review', async () => {
      expect((await move(id, 'review', members.agent)).status).toBe(400);
      expect((await move(id, 'review', members.agent, 'report')).status).toBe(200);
    });
    await expectRoles('reject', async () => {
      expect((await move(id, 'reject', members.validator)).status).toBe(400);
    });
    await expectRoles('validate', async () => {
      expect((await move(id, 'validate', members.validator)).status).toBe(200);
    });
    await expectRoles('resolve', async () => {
      expect((await move(id, 'resolve', members.agent)).status).toBe(400);
      expect((await move(id, 'resolve', members.agent, 'answer')).status).toBe(200);
    });
    await expectRoles('close', async () => {
      expect((await move(id, 'close', members.admin)).status).toBe(200);
    });
    // Someone who is not staff of this site, an unknown complaint, a chat, and a missing actor.
    const outsider = await setupSite(db);
    expect((await move(id, 'close', outsider.admin.email)).status).toBe(403);
    expect((await move('00000000-0000-0000-0000-000000000000', 'review', members.agent, 'x')).status).toBe(404);
    const chat = (await (await customer.post('/v1/widget/conversations', { text: 'hi' })).json()) as {
      conversation: { id: string };
    };
    expect((await move(chat.conversation.id, 'review', members.agent, 'x')).status).toBe(404);
    expect((await staff.post(`/api/complaints/${id}/transitions`, { action: 'close' })).status).toBe(400);
    // Generic status changes do not bypass the workflow.
    expect((await staff.post(`/api/conversations/${id}/status`, { status: 'open' })).status).toBe(409);
  });

  it('looks a ticket up by the owner token or the email used, and by nothing else', async () => {
    const { ticket } = await file(customer, 'Ana@Example.com');
    const stranger = await visitorSession(app, site.writeKey, { anonymousId: 'stranger' });
    expect((await customer.get(`/v1/widget/complaints/status?ticket=${ticket}`)).status).toBe(200);
    expect((await stranger.get(`/v1/widget/complaints/status?ticket=${ticket}`)).status).toBe(404);
    expect((await stranger.get(`/v1/widget/complaints/status?ticket=${ticket}&email=other@example.com`)).status).toBe(
      404,
    );
    const byEmail = await stranger.get(`/v1/widget/complaints/status?ticket=${ticket}&email=ana@example.com`);
    expect(byEmail.status).toBe(200);
    expect(((await byEmail.json()) as WireComplaintStatus).ticket).toBe(ticket);
    expect((await stranger.get('/v1/widget/complaints/status?ticket=nope')).status).toBe(400);
    // A ticket of another site is not found, even with the right email.
    const other = await setupSite(db, undefined, false);
    const elsewhere = await visitorSession(app, other.writeKey, { anonymousId: 'x' });
    expect((await elsewhere.get(`/v1/widget/complaints/status?ticket=${ticket}&email=ana@example.com`)).status).toBe(
      404,
    );
  });

  it('takes up to 3 photos, images only and at most 2 MB each, served to staff and to the owner', async () => {
    const { conversationId: id, ticket } = await file();
    const upload = (bytes: Buffer, v: Visitor = customer) =>
      app.app.request(`/v1/widget/complaints/${id}/photos`, {
        method: 'POST',
        headers: { origin: ORIGIN, authorization: `Bearer ${v.token}`, 'content-type': 'image/jpeg' },
        body: new Uint8Array(bytes),
      });
    // Claimed image types do not count: the bytes decide.
    const svg = await upload(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'));
    expect(svg.status).toBe(415);
    expect((await upload(Buffer.from('GIF89a....'))).status).toBe(415);
    expect((await upload(Buffer.alloc(0))).status).toBe(400);
    const big = Buffer.concat([JPEG, Buffer.alloc(MAX_PHOTO_BYTES)]);
    expect((await upload(big)).status).toBe(413);
    const stranger = await visitorSession(app, site.writeKey, { anonymousId: 'stranger-2' });
    expect((await upload(JPEG, stranger)).status).toBe(404);

    const ids: string[] = [];
    for (const [bytes, type] of [
      [JPEG, 'image/jpeg'],
      [PNG, 'image/png'],
      [WEBP, 'image/webp'],
    ] as const) {
      const res = await upload(bytes);
      expect(res.status).toBe(201);
      const body = (await res.json()) as { photoId: string; contentType: string };
      expect(body.contentType).toBe(type);
      ids.push(body.photoId);
    }
    const fourth = await upload(JPEG);
    expect(fourth.status).toBe(409);
    expect(((await fourth.json()) as { error: { code: string } }).error.code).toBe('too_many_photos');

    const mine = await customer.get(`/v1/widget/complaints/${id}/photos/${ids[1]}`);
    expect(mine.status).toBe(200);
    expect(mine.headers.get('content-type')).toBe('image/png');
    expect(mine.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await mine.arrayBuffer()).equals(PNG)).toBe(true);
    expect((await stranger.get(`/v1/widget/complaints/${id}/photos/${ids[1]}`)).status).toBe(404);
    const forStaff = await staff.get(`/api/complaints/${id}/photos/${ids[0]}`);
    expect(Buffer.from(await forStaff.arrayBuffer()).equals(JPEG)).toBe(true);
    const status = (await (
      await customer.get(`/v1/widget/complaints/status?ticket=${ticket}`)
    ).json()) as WireComplaintStatus;
    expect(status.photos).toEqual(ids);
  });

  // Registered on Postgres only (concurrent connections; PGlite has one), so no run reports it skipped.
  if (dialect === 'postgres')
    it('hands out unique, gapless ticket numbers under concurrent filing', async () => {
      const fresh = await setupSite(db, undefined, false);
      const visitors = await Promise.all(
        Array.from({ length: 6 }, (_, i) => visitorSession(app, fresh.writeKey, { anonymousId: `burst-${i}` })),
      );
      // 6 visitors × 5 complaints at once (each visitor from its own address, within the per-IP limit).
      const results = await Promise.all(
        visitors.flatMap((v) =>
          Array.from({ length: 5 }, async () => {
            const res = await v.post('/v1/widget/complaints', { category: 'late', description: 'late' });
            expect(res.status).toBe(201);
            return ((await res.json()) as { ticket: string }).ticket;
          }),
        ),
      );
      const numbers = results.map((t) => Number(t.slice(-6))).sort((a, b) => a - b);
      expect(numbers).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    });
});
