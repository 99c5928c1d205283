// The live-page overlay: signed, expiring tokens for one page and range; staff mint them; the overlay trades one
// for the page's click grid from the site's own origins only, without a session.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDb, testDialects } from '../db/testing.ts';
import { createApp } from '../http/app.ts';
import { createSite } from '../sites/index.ts';
import { applyHeatmapEvents } from './index.ts';
import {
  OVERLAY_TOKEN_TTL_SECONDS,
  overlayKey,
  readOverlayToken,
  signOverlayToken,
  verifyOverlayToken,
} from './overlay-token.ts';
import { click } from './test-events.ts';

const claims = { siteId: 's_1', path: '/p', from: '2026-03-01', to: '2026-03-31', exp: 1_000 };

describe('overlay tokens', () => {
  it('verifies what it signed until it expires', () => {
    const token = signOverlayToken('key', claims);
    expect(token).toMatch(/^hm1\.[\w-]+\.[\w-]+$/);
    expect(verifyOverlayToken('key', token, 999)).toEqual({ ok: true, claims });
    expect(verifyOverlayToken('key', token, 1_000)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses another key, a changed payload and garbage', () => {
    const token = signOverlayToken('key', claims);
    expect(verifyOverlayToken('other key', token, 0)).toEqual({ ok: false, reason: 'bad_signature' });
    const [version, , signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ s: 's_1', p: '/admin', f: '2026-03-01', t: '2026-03-31', e: 1_000 }));
    expect(verifyOverlayToken('key', `${version}.${forged.toString('base64url')}.${signature}`, 0)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    for (const bad of ['', 'hm1', 'hm1..', 'v1.e30.x', `${token}.x`, 'hm1.bm90IGpzb24.x', 'hm1.e30.x']) {
      expect(verifyOverlayToken('key', bad, 0)).toEqual({ ok: false, reason: 'malformed' });
      expect(readOverlayToken(bad)).toBeNull();
    }
  });
});

describe.each(testDialects)('overlay routes on %s', (dialect) => {
  let db: TestDb;
  let app: ReturnType<typeof createApp>;
  let site: Awaited<ReturnType<typeof createSite>>;
  let other: Awaited<ReturnType<typeof createSite>>;
  const SHOP = 'https://shop.example';

  const mint = async (body: unknown, key = site.secretKey) => {
    const res = await app.app.request('/api/heatmaps/overlay-token', {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const overlay = async (query: Record<string, string>, origin?: string) => {
    const res = await app.app.request(`/v1/heatmap-overlay?${new URLSearchParams(query)}`, {
      headers: origin ? { origin } : {},
    });
    return { res, body: (await res.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    site = await createSite(db.kysely, { name: 'Tienda', origins: [SHOP] });
    other = await createSite(db.kysely, { name: 'Otra', origins: ['https://other.example'] });
    app = createApp({ db, config: { TRUST_PROXY: false, RATE_LIMIT_RPS: 100, RATE_LIMIT_BURST: 100 } });
    const at = (day: string) => ({ timestamp: new Date(`${day}T10:00:00Z`) });
    await applyHeatmapEvents(db.kysely, [
      click(site.siteId, 10, 10, at('2026-03-02')),
      click(site.siteId, 10, 10, at('2026-03-03')),
      // Outside the token's range, another page, another device, another site: never in its answer.
      click(site.siteId, 10, 10, at('2026-04-02')),
      click(site.siteId, 10, 10, { ...at('2026-03-02'), url_path: '/q' }),
      click(site.siteId, 990, 0, { ...at('2026-03-02'), viewport_width: 390 }),
      click(other.siteId, 500, 500, at('2026-03-02')),
    ]);
  });
  afterAll(() => db.close());

  it('mints a token for a page and range, expiring soon, and writes it in the audit log', async () => {
    const before = Date.now();
    const { status, body } = await mint({ path: '/p', from: '2026-03-01', to: '2026-03-31' });
    expect(status).toBe(201);
    const expires = Date.parse(body.expiresAt as string);
    expect(expires).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + OVERLAY_TOKEN_TTL_SECONDS * 1000);
    expect(expires).toBeLessThanOrEqual(Date.now() + OVERLAY_TOKEN_TTL_SECONDS * 1000);
    expect(readOverlayToken(body.token as string)).toMatchObject({
      siteId: site.siteId,
      path: '/p',
      from: '2026-03-01',
      to: '2026-03-31',
    });
    const audit = await db.kysely
      .selectFrom('audit_log')
      .select(['action', 'target'])
      .where('site_id', '=', site.siteId)
      .execute();
    expect(audit).toContainEqual({ action: 'heatmap.overlay_link', target: '/p' });
  });

  it.each([
    [{ from: '2026-03-01', to: '2026-03-31' }, 'path'],
    [{ path: 'p', from: '2026-03-01', to: '2026-03-31' }, 'path'],
    [{ path: '/p', from: '2026-03-31', to: '2026-03-01' }, 'to'],
  ])('refuses to mint for %j, naming %s', async (body, field) => {
    const { status, body: answer } = await mint(body);
    expect(status).toBe(400);
    expect(answer).toMatchObject({ error: { field } });
  });

  it('answers the grid of the token’s page, range and the asked device, for the site’s own origin', async () => {
    const { body: minted } = await mint({ path: '/p', from: '2026-03-01', to: '2026-03-31' });
    const token = minted.token as string;
    const desktop = await overlay({ token, device: 'desktop' }, SHOP);
    expect(desktop.res.status).toBe(200);
    expect(desktop.res.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(desktop.res.headers.get('cache-control')).toBe('no-store');
    expect(desktop.body).toEqual({
      path: '/p',
      from: '2026-03-01',
      to: '2026-03-31',
      device: 'desktop',
      expiresAt: minted.expiresAt,
      columns: 50,
      clicks: 2,
      rage: 0,
      cells: [{ x: 0, y: 0, clicks: 2, rage: 0 }],
    });
    const mobile = await overlay({ token, device: 'mobile' });
    expect(mobile.body).toMatchObject({ device: 'mobile', clicks: 1, cells: [{ x: 49, y: 0, clicks: 1, rage: 0 }] });
  });

  it('refuses another site’s origin, a bad device, a forged, foreign or expired token', async () => {
    const { body: minted } = await mint({ path: '/p', from: '2026-03-01', to: '2026-03-31' });
    const token = minted.token as string;
    const foreignOrigin = await overlay({ token, device: 'desktop' }, 'https://other.example');
    expect(foreignOrigin.res.status).toBe(403);
    expect(foreignOrigin.body).toMatchObject({ error: { code: 'origin_not_allowed' } });
    expect((await overlay({ token, device: 'phone' })).body).toMatchObject({ error: { field: 'device' } });
    expect((await overlay({ device: 'desktop' })).body).toMatchObject({ error: { field: 'token' } });

    const garbage = await overlay({ token: 'hm1.nope.nope', device: 'desktop' });
    expect(garbage.res.status).toBe(401);
    expect(garbage.body).toMatchObject({ error: { code: 'invalid_token' } });
    // Claims of this site signed with the other site's key.
    const crossKey = signOverlayToken(await overlayKey(db.kysely, other.siteId), {
      siteId: site.siteId,
      path: '/p',
      from: '2026-03-01',
      to: '2026-03-31',
      exp: Math.floor(Date.now() / 1000) + 60,
    });
    expect((await overlay({ token: crossKey, device: 'desktop' })).body).toMatchObject({
      error: { code: 'invalid_token' },
    });
    const expired = signOverlayToken(await overlayKey(db.kysely, site.siteId), {
      siteId: site.siteId,
      path: '/p',
      from: '2026-03-01',
      to: '2026-03-31',
      exp: Math.floor(Date.now() / 1000) - 1,
    });
    const late = await overlay({ token: expired, device: 'desktop' });
    expect(late.res.status).toBe(401);
    expect(late.body).toMatchObject({ error: { code: 'token_expired' } });
  });

  it('keeps one key per site, shared by every process', async () => {
    const first = await overlayKey(db.kysely, site.siteId);
    expect(await overlayKey(db.kysely, site.siteId)).toBe(first);
    expect(await overlayKey(db.kysely, other.siteId)).not.toBe(first);
  });
});
