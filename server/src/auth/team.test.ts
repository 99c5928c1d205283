// The team API: admins list, add (a new account's password is shown once), change roles and remove members;
// a removed member's sessions no longer reach the site; a site always keeps an admin.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DialectName } from '../db/index.ts';
import { openTestDatabase, type TestDb, testDialects } from '../db/testing.ts';
import { createApp } from '../http/app.ts';
import { type CreatedSite, createSite } from '../sites/index.ts';
import { changeMemberRole, type Role, type TeamMember } from './index.ts';
import { addStaff, sessionFor, signedIn } from './testing.ts';

const config = { TRUST_PROXY: false, RATE_LIMIT_RPS: 1000, RATE_LIMIT_BURST: 1000 };

describe.each(testDialects)('team API on %s', (dialect: DialectName) => {
  let db: TestDb;
  let created: ReturnType<typeof createApp>;
  let site: CreatedSite;
  let other: CreatedSite;
  const users = new Map<Role, { userId: string; email: string }>();
  const as = async (role: Role, siteId = site.siteId) =>
    signedIn(created.app, await sessionFor(db.kysely, users.get(role)?.userId ?? ''), siteId);
  const team = async () =>
    ((await (await (await as('admin')).get('/api/team')).json()) as { members: TeamMember[] }).members;
  const auditOf = (action: string) =>
    db.kysely
      .selectFrom('audit_log')
      .select(['actor', 'target', 'details'])
      .where('site_id', '=', site.siteId)
      .where('action', '=', action)
      .orderBy('entry_id')
      .execute();

  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    site = await createSite(db.kysely, { name: 'Tienda', origins: [] });
    other = await createSite(db.kysely, { name: 'Otra', origins: [] });
    for (const role of ['admin', 'marketer', 'agent', 'validator'] as const) {
      users.set(role, await addStaff(db.kysely, role, [site.siteId], `${role}@tienda.example`));
    }
    created = createApp({ db, config });
  });
  afterAll(async () => {
    await created?.closeRealtime();
    await db?.close();
  });

  it('lists the members of this site with their roles, and nobody else', async () => {
    await addStaff(db.kysely, 'admin', [other.siteId], 'elsewhere@otra.example');
    const members = await team();
    expect(members.map((m) => [m.email, m.role])).toEqual([
      ['admin@tienda.example', 'admin'],
      ['agent@tienda.example', 'agent'],
      ['marketer@tienda.example', 'marketer'],
      ['validator@tienda.example', 'validator'],
    ]);
    expect(members[0]).toEqual({
      userId: users.get('admin')?.userId,
      email: 'admin@tienda.example',
      role: 'admin',
      since: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
  });

  it('refuses every team route to marketers, agents and validators', async () => {
    const target = users.get('agent')?.userId ?? '';
    for (const role of ['marketer', 'agent', 'validator'] as const) {
      const client = await as(role);
      const answers = [
        await client.get('/api/team'),
        await client.post('/api/team', { email: 'sneaky@tienda.example', role: 'admin' }),
        await client.put(`/api/team/${target}`, { role: 'admin' }),
        await client.delete(`/api/team/${target}`),
      ];
      for (const res of answers) {
        expect(res.status, role).toBe(403);
        expect(await res.json()).toMatchObject({ error: { code: 'role_not_allowed' } });
      }
    }
    expect((await team()).map((m) => m.role)).toEqual(['admin', 'agent', 'marketer', 'validator']);
    const sneaky = await db.kysely
      .selectFrom('staff_users')
      .select('user_id')
      .where('email', 'like', 'sneaky%')
      .execute();
    expect(sneaky).toEqual([]);
  });

  it('adds a new person with a generated password, shown once, that signs them in', async () => {
    const admin = await as('admin');
    const res = await admin.post('/api/team', { email: 'Nueva@Tienda.example', role: 'agent' });
    expect(res.status).toBe(201);
    const added = (await res.json()) as { member: TeamMember; password: string };
    expect(added.member).toMatchObject({ email: 'Nueva@Tienda.example', role: 'agent' });
    expect(added.password).toMatch(/^\S{20}$/);
    const stored = await db.kysely
      .selectFrom('staff_users')
      .select('password_hash')
      .where('user_id', '=', added.member.userId)
      .executeTakeFirstOrThrow();
    expect(stored.password_hash).toMatch(/^scrypt\$/);
    expect(stored.password_hash).not.toContain(added.password);

    const login = await created.app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-fideliza-csrf': '1' },
      body: JSON.stringify({ email: 'nueva@tienda.example', password: added.password }),
    });
    expect(login.status).toBe(200);
    expect(((await login.json()) as { sites: unknown[] }).sites).toEqual([
      { id: site.siteId, name: 'Tienda', role: 'agent' },
    ]);
    const [entry] = await auditOf('team.add');
    expect(entry).toEqual({
      actor: users.get('admin')?.userId,
      target: added.member.userId,
      details: { email: 'Nueva@Tienda.example', role: 'agent', newAccount: true },
    });
    expect(JSON.stringify(await auditOf('team.add'))).not.toContain(added.password);
  });

  it('adds someone who already has an account without a new password', async () => {
    const elsewhere = await addStaff(db.kysely, 'marketer', [other.siteId], 'ana@otra.example');
    const res = await (await as('admin')).post('/api/team', { email: 'ANA@otra.example', role: 'validator' });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({
      member: { userId: elsewhere.userId, email: 'ana@otra.example', role: 'validator', since: expect.any(String) },
      password: null,
    });
    // Their role on the other site is untouched.
    const roles = await db.kysely
      .selectFrom('site_members')
      .select(['site_id', 'role'])
      .where('user_id', '=', elsewhere.userId)
      .orderBy('role')
      .execute();
    expect(roles).toEqual([
      { site_id: other.siteId, role: 'marketer' },
      { site_id: site.siteId, role: 'validator' },
    ]);

    const again = await (await as('admin')).post('/api/team', { email: 'ana@otra.example', role: 'agent' });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: { code: 'already_member' } });
  });

  it('refuses a bad email or role with a 400 naming the field', async () => {
    const admin = await as('admin');
    for (const [body, field] of [
      [{ email: 'not-an-email', role: 'agent' }, 'email'],
      [{ email: 'ok@tienda.example', role: 'owner' }, 'role'],
      [{ role: 'agent' }, 'email'],
    ] as const) {
      const res = await admin.post('/api/team', body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { field: string } }).error.field).toBe(field);
    }
    expect(
      (
        (await (await admin.put(`/api/team/${users.get('agent')?.userId}`, { role: 'boss' })).json()) as {
          error: { field: string };
        }
      ).error.field,
    ).toBe('role');
  });

  it('changes a role, which the next request of that member already feels', async () => {
    const marketer = await as('marketer');
    expect((await marketer.get('/api/segments')).status).toBe(200);
    const id = users.get('marketer')?.userId ?? '';
    const res = await (await as('admin')).put(`/api/team/${id}`, { role: 'agent' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ member: { userId: id, role: 'agent' } });
    expect((await marketer.get('/api/segments')).status).toBe(403);
    expect((await marketer.get('/api/conversations')).status).toBe(200);
    expect((await auditOf('team.role_change')).at(-1)).toEqual({
      actor: users.get('admin')?.userId,
      target: id,
      details: { email: 'marketer@tienda.example', from: 'marketer', to: 'agent' },
    });
    await (await as('admin')).put(`/api/team/${id}`, { role: 'marketer' });

    const unknown = await (await as('admin')).put('/api/team/nobody', { role: 'agent' });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'member_not_found' } });
    const stranger = await (await as('admin')).put(`/api/team/${(await team())[0]?.userId ?? ''}x`, { role: 'agent' });
    expect(stranger.status).toBe(404);
  });

  it('never leaves the site without an admin', async () => {
    const admin = await as('admin');
    const id = users.get('admin')?.userId ?? '';
    for (const res of [
      await admin.put(`/api/team/${id}`, { role: 'marketer' }),
      await admin.delete(`/api/team/${id}`),
    ]) {
      expect(res.status).toBe(409);
      expect(await res.json()).toEqual({
        error: { code: 'last_admin', message: 'a site needs at least one admin: make someone else admin first' },
      });
    }
    // Re-confirming the last admin as admin is no demotion.
    expect((await admin.put(`/api/team/${id}`, { role: 'admin' })).status).toBe(200);
    expect((await team()).filter((m) => m.role === 'admin').map((m) => m.userId)).toEqual([id]);
  });

  it('lets one of two admins go, but not both when they demote each other at once', async () => {
    const second = await addStaff(db.kysely, 'admin', [site.siteId], 'second@tienda.example');
    const first = users.get('admin')?.userId ?? '';
    const results = await Promise.allSettled([
      changeMemberRole(db.kysely, site.siteId, first, 'agent'),
      changeMemberRole(db.kysely, site.siteId, second.userId, 'agent'),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const admins = (
      await db.kysely
        .selectFrom('site_members')
        .select('user_id')
        .where('site_id', '=', site.siteId)
        .where('role', '=', 'admin')
        .execute()
    ).map((r) => r.user_id);
    expect(admins).toHaveLength(1);
    // Back to the first admin alone, for the tests after this one.
    const survivor = admins[0] as string;
    if (survivor !== first) await changeMemberRole(db.kysely, site.siteId, first, 'admin');
    const removed = await (await as('admin')).delete(`/api/team/${second.userId}`);
    expect(removed.status).toBe(204);
  });

  it('removes a member: their sessions no longer reach this site, but still reach their other sites', async () => {
    const agent = users.get('agent') ?? { userId: '', email: '' };
    await db.kysely
      .insertInto('site_members')
      .values({ site_id: other.siteId, user_id: agent.userId, role: 'agent' })
      .execute();
    const cookie = await sessionFor(db.kysely, agent.userId);
    const here = signedIn(created.app, cookie, site.siteId);
    const there = signedIn(created.app, cookie, other.siteId);
    expect((await here.get('/api/conversations')).status).toBe(200);

    const res = await (await as('admin')).delete(`/api/team/${agent.userId}`);
    expect(res.status).toBe(204);
    const refused = await here.get('/api/conversations');
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { code: 'not_a_member' } });
    expect((await there.get('/api/conversations')).status).toBe(200);
    const me = (await (await here.get('/api/auth/me')).json()) as { sites: { id: string }[] };
    expect(me.sites.map((s) => s.id)).toEqual([other.siteId]);
    expect((await team()).map((m) => m.email)).not.toContain(agent.email);
    expect((await auditOf('team.remove')).at(-1)).toEqual({
      actor: users.get('admin')?.userId,
      target: agent.userId,
      details: { email: agent.email, role: 'agent' },
    });

    const twice = await (await as('admin')).delete(`/api/team/${agent.userId}`);
    expect(twice.status).toBe(404);
  });
});
