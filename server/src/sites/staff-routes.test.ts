// The settings API of a site: read and change name, origins and settings (seen by ingestion and CORS at once),
// rotate the write and secret keys (the old ones stop at once), create sites; admins only, marketers read.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStaff, sessionFor, signedIn } from '../auth/testing.ts';
import type { Role } from '../auth/users.ts';
import type { DialectName } from '../db/index.ts';
import { openTestDatabase, type TestDb, testDialects } from '../db/testing.ts';
import { createApp } from '../http/app.ts';
import { type CreatedSite, createSite } from './index.ts';

const config = { TRUST_PROXY: false, RATE_LIMIT_RPS: 1000, RATE_LIMIT_BURST: 1000 };
const SHOP = 'https://tienda.example';

interface SiteBody {
  id: string;
  name: string;
  origins: string[];
  writeKey: string;
  settings: { widget: { enabled: boolean; color: string; position: string }; conversations: unknown };
  install: { host: string; scriptUrl: string };
}

describe.each(testDialects)('site settings API on %s', (dialect: DialectName) => {
  let db: TestDb;
  let created: ReturnType<typeof createApp>;
  let site: CreatedSite;
  const users = new Map<Role, string>();
  const as = async (role: Role, siteId = site.siteId) =>
    signedIn(created.app, await sessionFor(db.kysely, users.get(role) ?? ''), siteId);

  /** A page view sent like the SDK does, from `origin` with `writeKey`. */
  const track = (writeKey: string, origin = SHOP) =>
    created.app.request('/v1/batch', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin },
      body: JSON.stringify({ writeKey, batch: [{ type: 'page', anonymousId: 'a1', messageId: crypto.randomUUID() }] }),
    });
  const withKey = (key: string, path: string) =>
    created.app.request(path, { headers: { authorization: `Bearer ${key}` } });
  const auditOf = (siteId: string, action: string) =>
    db.kysely
      .selectFrom('audit_log')
      .select(['actor', 'target', 'details'])
      .where('site_id', '=', siteId)
      .where('action', '=', action)
      .orderBy('entry_id')
      .execute();

  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    site = await createSite(db.kysely, { name: 'Tienda', origins: [SHOP] });
    for (const role of ['admin', 'marketer', 'agent', 'validator'] as const) {
      users.set(role, (await addStaff(db.kysely, role, [site.siteId])).userId);
    }
    created = createApp({ db, config });
  });
  afterAll(async () => {
    await created?.closeRealtime();
    await db?.close();
  });

  it('shows the site, its settings and what the install snippet needs', async () => {
    const res = await (await as('admin')).get('/api/site');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      id: site.siteId,
      name: 'Tienda',
      origins: [SHOP],
      writeKey: site.writeKey,
      settings: expect.objectContaining({ widget: { enabled: false, color: '#1f6feb', position: 'right' } }),
      install: { host: 'http://localhost', scriptUrl: 'http://localhost/sdk.js' },
    });
    // Never the secret key, in any form.
    const text = JSON.stringify(await (await (await as('admin')).get('/api/site')).json());
    expect(text).not.toContain(site.secretKey);
  });

  it('names the host a trusted proxy forwards, and ignores forwarded headers otherwise', async () => {
    const behindProxy = createApp({ db, config: { ...config, TRUST_PROXY: true } });
    const cookie = await sessionFor(db.kysely, users.get('admin') ?? '');
    const headers = {
      cookie,
      'x-fideliza-site': site.siteId,
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'fz.example.com',
    };
    const proxied = (await (await behindProxy.app.request('/api/site', { headers })).json()) as SiteBody;
    expect(proxied.install).toEqual({ host: 'https://fz.example.com', scriptUrl: 'https://fz.example.com/sdk.js' });
    const direct = (await (await created.app.request('/api/site', { headers })).json()) as SiteBody;
    expect(direct.install.host).toBe('http://localhost');
  });

  it('lets marketers read the settings and no one but admins change them', async () => {
    expect((await (await as('marketer')).get('/api/site')).status).toBe(200);
    for (const role of ['agent', 'validator'] as const) {
      const res = await (await as(role)).get('/api/site');
      expect(res.status, role).toBe(403);
    }
    const before = await db.kysely.selectFrom('sites').selectAll().where('site_id', '=', site.siteId).execute();
    for (const role of ['marketer', 'agent', 'validator'] as const) {
      const client = await as(role);
      const put = await client.put('/api/site', { name: 'Hacked', origins: ['https://evil.example'], settings: {} });
      expect(put.status, role).toBe(403);
      expect(await put.json()).toMatchObject({ error: { code: 'role_not_allowed' } });
      expect((await client.post('/api/site/keys/rotate', { key: 'secret' })).status, role).toBe(403);
      expect((await client.post('/api/site/keys/rotate', { key: 'write' })).status, role).toBe(403);
      expect((await client.post('/api/sites', { name: 'Mine' })).status, role).toBe(403);
    }
    const after = await db.kysely.selectFrom('sites').selectAll().where('site_id', '=', site.siteId).execute();
    expect(after).toEqual(before);
  });

  it('refuses invalid changes with a 400 naming the field, and stores nothing', async () => {
    const admin = await as('admin');
    const valid = { name: 'Tienda', origins: [SHOP], settings: {} };
    const cases: [unknown, string][] = [
      [{ ...valid, name: '  ' }, 'name'],
      [{ ...valid, name: 'x'.repeat(101) }, 'name'],
      [{ ...valid, origins: [SHOP, 'ftp://tienda.example'] }, 'origins.1'],
      [{ ...valid, origins: ['https://tienda.example/shop'] }, 'origins.0'],
      [{ ...valid, origins: ['https://*.tienda.example'] }, 'origins.0'],
      [{ ...valid, origins: ['tienda.example'] }, 'origins.0'],
      [{ ...valid, origins: ['https://user:pw@tienda.example'] }, 'origins.0'],
      [{ ...valid, origins: ['https://tienda.example?x=1'] }, 'origins.0'],
      [{ ...valid, origins: 'https://tienda.example' }, 'origins'],
      [{ ...valid, settings: { widget: { color: 'red' } } }, 'settings.widget.color'],
      [{ ...valid, settings: { widget: { position: 'top' } } }, 'settings.widget.position'],
      [{ ...valid, settings: { conversations: { timezone: 'Mars/Olympus' } } }, 'settings.conversations.timezone'],
      [
        { ...valid, settings: { conversations: { hours: [{ days: [1], from: '18:00', to: '09:00' }] } } },
        'settings.conversations.hours.0',
      ],
      [{ name: 'Tienda', origins: [SHOP] }, 'settings'],
    ];
    for (const [body, field] of cases) {
      const res = await admin.put('/api/site', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const error = ((await res.json()) as { error: { code: string; field: string; message: string } }).error;
      expect(error.field, JSON.stringify(body)).toBe(field);
      expect(error.message).toMatch(new RegExp(`^${field.replaceAll('.', '\\.')}: .+`));
    }
    const malformed = await created.app.request('/api/site', {
      method: 'PUT',
      headers: { authorization: `Bearer ${site.secretKey}`, 'content-type': 'application/json' },
      body: '{"name":',
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: { code: 'malformed_json' } });
    const row = await db.kysely
      .selectFrom('sites')
      .select(['name', 'allowed_origins'])
      .where('site_id', '=', site.siteId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ name: 'Tienda', allowed_origins: [SHOP] });
  });

  it('changes name, origins and widget look, seen by ingestion, CORS and the SDK config at once', async () => {
    const admin = await as('admin');
    // Warm the caches with the old state first: the change must not wait for them to expire.
    expect((await track(site.writeKey)).status).toBe(200);
    expect((await track(site.writeKey, 'https://nueva.example')).status).toBe(403);
    const current = (await (await admin.get('/api/site')).json()) as SiteBody;

    const res = await admin.put('/api/site', {
      name: '  Tienda Nueva ',
      origins: ['https://Nueva.example/', 'https://nueva.example', 'http://localhost:3000'],
      settings: {
        ...current.settings,
        widget: { enabled: true, color: '#aa3300', position: 'left' },
        conversations: {
          timezone: 'Europe/Madrid',
          hours: [{ days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' }],
          awayMessage: 'Volvemos mañana',
        },
      },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as SiteBody;
    expect(body).toMatchObject({
      name: 'Tienda Nueva',
      origins: ['https://nueva.example', 'http://localhost:3000'],
      settings: {
        widget: { enabled: true, color: '#aa3300', position: 'left' },
        conversations: { timezone: 'Europe/Madrid', awayMessage: 'Volvemos mañana', requireUserHash: false },
      },
    });
    expect((await (await admin.get('/api/site')).json()) as SiteBody).toEqual(body);

    expect((await track(site.writeKey, 'https://nueva.example')).status).toBe(200);
    expect((await track(site.writeKey, SHOP)).status).toBe(403);
    const preflight = await created.app.request('/v1/batch', {
      method: 'OPTIONS',
      headers: { origin: 'https://nueva.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://nueva.example');
    const config = await created.app.request(`/v1/config?writeKey=${site.writeKey}`);
    expect(await config.json()).toEqual({ widget: { enabled: true, color: '#aa3300', position: 'left' } });

    const [entry] = (await auditOf(site.siteId, 'site.update')).slice(-1);
    expect(entry).toMatchObject({
      actor: users.get('admin'),
      target: site.siteId,
      details: { changed: ['name', 'origins', 'settings.widget', 'settings.conversations'] },
    });
  });

  it('rotates the write key: the old one stops working for ingestion and config at once', async () => {
    const admin = await as('admin');
    const old = ((await (await admin.get('/api/site')).json()) as SiteBody).writeKey;
    expect((await track(old, 'https://nueva.example')).status).toBe(200);

    const res = await admin.post('/api/site/keys/rotate', { key: 'write' });
    expect(res.status).toBe(200);
    const { writeKey, secretKey } = (await res.json()) as { writeKey: string; secretKey: null };
    expect(secretKey).toBeNull();
    expect(writeKey).toMatch(new RegExp(`^wk_${site.siteId}_[a-z0-9]{24}$`));
    expect(writeKey).not.toBe(old);

    expect((await track(old, 'https://nueva.example')).status).toBe(401);
    expect((await created.app.request(`/v1/config?writeKey=${old}`)).status).toBe(401);
    expect((await track(writeKey, 'https://nueva.example')).status).toBe(200);
    expect(((await (await admin.get('/api/site')).json()) as SiteBody).writeKey).toBe(writeKey);
    expect(await auditOf(site.siteId, 'site.write_key_rotated')).toEqual([
      { actor: users.get('admin'), target: site.siteId, details: {} },
    ]);
    // The secret key was not touched.
    expect((await withKey(site.secretKey, '/api/site')).status).toBe(200);
  });

  it('rotates the secret key: shown once, stored hashed, the old one refused at once', async () => {
    const admin = await as('admin');
    const bad = await admin.post('/api/site/keys/rotate', { key: 'identity' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { field: 'key' } });
    expect((await admin.post('/api/site/keys/rotate', {})).status).toBe(400);

    const res = await admin.post('/api/site/keys/rotate', { key: 'secret' });
    expect(res.status).toBe(200);
    const { secretKey } = (await res.json()) as { secretKey: string };
    expect(secretKey).toMatch(new RegExp(`^sk_${site.siteId}_[a-z0-9]{32}$`));

    const old = await withKey(site.secretKey, '/api/site');
    expect(old.status).toBe(401);
    expect(await old.json()).toMatchObject({ error: { code: 'unknown_secret_key' } });
    expect((await withKey(site.secretKey, '/api/audit')).status).toBe(401);
    expect((await withKey(secretKey, '/api/site')).status).toBe(200);

    const row = await db.kysely
      .selectFrom('sites')
      .selectAll()
      .where('site_id', '=', site.siteId)
      .executeTakeFirstOrThrow();
    expect(row.secret_key_hash).toBe(createHash('sha256').update(secretKey).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(secretKey.slice(-32));
    // Nor in the audit log.
    const log = await db.kysely.selectFrom('audit_log').selectAll().where('site_id', '=', site.siteId).execute();
    expect(JSON.stringify(log)).not.toContain(secretKey.slice(-32));
    expect(await auditOf(site.siteId, 'site.secret_key_rotated')).toHaveLength(1);

    // The new key rotates itself away too (an integration replacing a leaked key).
    const again = await created.app.request('/api/site/keys/rotate', {
      method: 'POST',
      headers: { authorization: `Bearer ${secretKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ key: 'secret' }),
    });
    expect(again.status).toBe(200);
    expect((await withKey(secretKey, '/api/site')).status).toBe(401);
    const [, byKey] = await auditOf(site.siteId, 'site.secret_key_rotated');
    expect(byKey?.actor).toBe('secret-key');
  });

  it('creates a site whose creator is its first admin, with keys shown once', async () => {
    const admin = await as('admin');
    expect(await (await admin.post('/api/sites', { name: '' })).json()).toMatchObject({ error: { field: 'name' } });
    expect(await (await admin.post('/api/sites', { name: 'X', origins: ['nope'] })).json()).toMatchObject({
      error: { field: 'origins.0' },
    });

    const res = await admin.post('/api/sites', { name: 'Outlet', origins: ['https://outlet.example/'] });
    expect(res.status).toBe(201);
    const made = (await res.json()) as { id: string; name: string; writeKey: string; secretKey: string };
    expect(made.name).toBe('Outlet');
    expect(made.writeKey).toMatch(new RegExp(`^wk_${made.id}_`));
    expect(made.secretKey).toMatch(new RegExp(`^sk_${made.id}_`));

    const me = (await (await admin.get('/api/auth/me')).json()) as { sites: { id: string; role: string }[] };
    expect(me.sites).toContainEqual({ id: made.id, name: 'Outlet', role: 'admin' });
    const onNew = await as('admin', made.id);
    const read = (await (await onNew.get('/api/site')).json()) as SiteBody;
    expect(read).toMatchObject({ id: made.id, name: 'Outlet', origins: ['https://outlet.example'] });
    const team = (await (await onNew.get('/api/team')).json()) as { members: { userId: string; role: string }[] };
    expect(team.members.map((m) => [m.userId, m.role])).toEqual([[users.get('admin'), 'admin']]);
    // Ingestion knows the new key at once.
    expect((await track(made.writeKey, 'https://outlet.example')).status).toBe(200);
    // Nobody else of the first site works on the new one.
    expect((await (await as('marketer', made.id)).get('/api/site')).status).toBe(403);

    expect(await auditOf(made.id, 'site.create')).toEqual([
      { actor: users.get('admin'), target: made.id, details: { name: 'Outlet', origins: ['https://outlet.example'] } },
    ]);
    expect((await auditOf(site.siteId, 'site.create')).map((e) => e.target)).toEqual([made.id]);

    // The secret key speaks for its own site only: it has no person to make admin of a new one.
    const byKey = await created.app.request('/api/sites', {
      method: 'POST',
      headers: { authorization: `Bearer ${made.secretKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'By key' }),
    });
    expect(byKey.status).toBe(403);
    expect(await byKey.json()).toMatchObject({ error: { code: 'session_required' } });
  });
});
