// The audit log: logins, logouts and staff actions recorded with who did them (a user or the secret key);
// the complaint workflow takes its actor from the session; GET /api/audit pages newest first, admins only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeApp, ORIGIN, staffClient, type TestApp, visitorSession } from '../conversations/testing.ts';
import type { DialectName } from '../db/index.ts';
import { openTestDatabase, type TestDb, testDialects } from '../db/testing.ts';
import { createSite } from '../sites/index.ts';
import { createStaffUser, SECRET_KEY_ACTOR, SESSION_COOKIE } from './index.ts';
import { addStaff, sessionFor, signedIn } from './testing.ts';

describe.each(testDialects)('the audit log on %s', (dialect: DialectName) => {
  let db: TestDb;
  let app: TestApp;
  let site: Awaited<ReturnType<typeof createSite>>;
  let other: Awaited<ReturnType<typeof createSite>>;
  const staff: Record<'admin' | 'agent' | 'validator' | 'marketer', { userId: string; email: string }> = {
    admin: { userId: '', email: '' },
    agent: { userId: '', email: '' },
    validator: { userId: '', email: '' },
    marketer: { userId: '', email: '' },
  };
  const as = async (role: keyof typeof staff) =>
    signedIn(app.app, await sessionFor(db.kysely, staff[role].userId), site.siteId);

  const entries = (siteId: string) =>
    db.kysely
      .selectFrom('audit_log')
      .select(['actor', 'actor_email', 'action', 'target', 'details'])
      .where('site_id', '=', siteId)
      .orderBy('entry_id')
      .execute();

  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    site = await createSite(db.kysely, { name: 'Tienda', origins: [ORIGIN] });
    other = await createSite(db.kysely, { name: 'Otra', origins: [] });
    for (const role of ['admin', 'agent', 'validator', 'marketer'] as const) {
      staff[role] = await addStaff(db.kysely, role, [site.siteId]);
    }
    app = makeApp(db);
  });
  afterAll(async () => {
    await app?.closeRealtime();
    await db?.close();
  });

  it('records sign-in and sign-out on every site of the user, and not on others', async () => {
    const user = await createStaffUser(db.kysely, {
      email: 'both@tienda.example',
      role: 'agent',
      siteIds: [site.siteId],
    });
    const third = await createSite(db.kysely, { name: 'Tercera', origins: [] });
    await db.kysely
      .insertInto('site_members')
      .values({ site_id: third.siteId, user_id: user.userId, role: 'agent' })
      .execute();
    const res = await app.app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-fideliza-csrf': '1', 'user-agent': 'test-browser' },
      body: JSON.stringify({ email: user.email, password: user.password }),
    });
    expect(res.status).toBe(200);
    const cookie = /fideliza_session=([^;]*)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
    await app.app.request('/api/auth/logout', {
      method: 'POST',
      headers: { cookie: `${SESSION_COOKIE}=${cookie}`, 'x-fideliza-csrf': '1' },
    });
    for (const siteId of [site.siteId, third.siteId]) {
      const mine = (await entries(siteId)).filter((e) => e.actor === user.userId);
      expect(mine.map((e) => [e.action, e.actor_email, e.target])).toEqual([
        ['auth.login', user.email, user.userId],
        ['auth.logout', user.email, user.userId],
      ]);
      expect(mine[0]?.details).toMatchObject({ userAgent: 'test-browser' });
    }
    expect((await entries(other.siteId)).filter((e) => e.actor === user.userId)).toEqual([]);
  });

  it('takes the complaint actor from the session, ignoring a body actor, and audits each transition', async () => {
    const customer = await visitorSession(app, site.writeKey, { anonymousId: 'customer-1' });
    const filed = await customer.post('/v1/widget/complaints', {
      category: 'damaged',
      orderNumber: 'PO-1',
      description: 'The box arrived crushed',
    });
    expect(filed.status).toBe(201);
    const { conversationId } = (await filed.json()) as { conversationId: string };
    const agent = await as('agent');
    const validator = await as('validator');
    const path = `/api/complaints/${conversationId}/transitions`;

    expect((await agent.post(path, { action: 'review', text: 'Carrier damage' })).status).toBe(200);
    // An agent cannot validate by naming a validator: the session is the actor.
    const impersonating = await agent.post(path, { action: 'validate', text: 'OK', actor: staff.validator.email });
    expect(impersonating.status).toBe(403);
    expect((await validator.post(path, { action: 'validate', text: 'OK' })).status).toBe(200);
    // With the secret key the body names the actor, and the audit says the key acted on their behalf.
    const key = staffClient(app, site.secretKey);
    expect((await key.post(path, { action: 'resolve', text: 'Refund', actor: staff.admin.email })).status).toBe(200);

    const transitions = await db.kysely
      .selectFrom('complaint_transitions')
      .select(['action', 'actor_id', 'actor_role'])
      .where('site_id', '=', site.siteId)
      .where('conversation_id', '=', conversationId)
      .orderBy('at')
      .execute();
    expect(transitions.map((t) => [t.action, t.actor_id, t.actor_role])).toEqual([
      ['register', null, 'customer'],
      ['review', staff.agent.userId, 'agent'],
      ['validate', staff.validator.userId, 'validator'],
      ['resolve', staff.admin.userId, 'admin'],
    ]);
    const audited = (await entries(site.siteId)).filter((e) => e.target === conversationId);
    expect(audited.map((e) => [e.action, e.actor, e.details])).toEqual([
      ['complaint.review', staff.agent.userId, {}],
      ['complaint.validate', staff.validator.userId, {}],
      ['complaint.resolve', SECRET_KEY_ACTOR, { onBehalfOf: staff.admin.userId }],
    ]);
  });

  it('records replies, assignments and status changes by the signed-in agent', async () => {
    const customer = await visitorSession(app, site.writeKey, { anonymousId: 'customer-2' });
    const started = await customer.post('/v1/widget/conversations', { text: 'Hola', pageUrl: `${ORIGIN}/p/1` });
    const { conversation } = (await started.json()) as { conversation: { id: string } };
    const agent = await as('agent');
    expect((await agent.post(`/api/conversations/${conversation.id}/messages`, { text: 'Buenas' })).status).toBe(201);
    expect(
      (await agent.post(`/api/conversations/${conversation.id}/assign`, { assignee: staff.agent.email })).status,
    ).toBe(200);
    expect((await agent.post(`/api/conversations/${conversation.id}/status`, { status: 'closed' })).status).toBe(200);
    const reply = await db.kysely
      .selectFrom('messages')
      .select('staff_user_id')
      .where('site_id', '=', site.siteId)
      .where('conversation_id', '=', conversation.id)
      .where('author', '=', 'agent')
      .executeTakeFirstOrThrow();
    expect(reply.staff_user_id).toBe(staff.agent.userId);
    const audited = (await entries(site.siteId)).filter((e) => e.target === conversation.id);
    expect(audited.map((e) => [e.action, e.actor, e.actor_email])).toEqual([
      ['conversation.reply', staff.agent.userId, staff.agent.email],
      ['conversation.assign', staff.agent.userId, staff.agent.email],
      ['conversation.status', staff.agent.userId, staff.agent.email],
    ]);
    expect(audited[1]?.details).toEqual({ assignee: staff.agent.userId });
  });

  it('lists the site log for admins, newest first, in pages; refuses other roles', async () => {
    const marketer = await as('marketer');
    const created = await marketer.post('/api/surveys', {
      name: 'NPS',
      questions: [{ id: 'q1', kind: 'nps', title: { es: '¿Nos recomendarías?' } }],
    });
    expect(created.status).toBe(201);
    const surveyId = ((await created.json()) as { id: string }).id;
    expect((await marketer.post(`/api/surveys/${surveyId}/archive`)).status).toBe(200);
    const secretKey = staffClient(app, site.secretKey);
    expect((await secretKey.post('/api/widget/identity-secret/rotate', {})).status).toBe(200);

    const admin = await as('admin');
    const all = await db.kysely
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('site_id', '=', site.siteId)
      .executeTakeFirstOrThrow();
    const seen: { action: string; actor: string; target: string | null }[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await admin.get(`/api/audit?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      const page = (await res.json()) as { entries: typeof seen; nextCursor: string | null };
      expect(page.entries.length).toBeLessThanOrEqual(2);
      seen.push(...page.entries);
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 100);
    expect(seen.length).toBe(Number(all.n));
    expect(seen.slice(0, 3).map((e) => [e.action, e.actor, e.target])).toEqual([
      ['settings.identity_secret_rotated', SECRET_KEY_ACTOR, null],
      ['survey.archive', staff.marketer.userId, surveyId],
      ['survey.create', staff.marketer.userId, surveyId],
    ]);
    for (const role of ['marketer', 'agent', 'validator'] as const) {
      expect((await (await as(role)).get('/api/audit')).status).toBe(403);
    }
    expect((await admin.get('/api/audit?cursor=abc')).status).toBe(400);
  });
});
