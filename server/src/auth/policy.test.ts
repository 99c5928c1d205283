// Every /api route has a policy entry and the guard enforces it for every role; staff of one site see
// nothing of another. A new route without a line in policy.ts fails here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DialectName } from '../db/index.ts';
import { openTestDatabase, type TestDb, testDialects } from '../db/testing.ts';
import { createApp } from '../http/app.ts';
import { createSite } from '../sites/index.ts';
import { allows, PUBLIC, type Role, roles, ruleFor, SIGNED_IN } from './index.ts';
import { addStaff, sessionFor, signedIn } from './testing.ts';

const config = { TRUST_PROXY: false, RATE_LIMIT_RPS: 1000, RATE_LIMIT_BURST: 1000 };
/** Codes that mean the guard refused (as opposed to the handler answering the made-up request). */
const GUARD_REFUSALS = [
  'missing_secret_key',
  'session_expired',
  'csrf',
  'no_policy',
  'not_a_member',
  'role_not_allowed',
];

type App = ReturnType<typeof createApp>;

/** Every route the app registered under /api, as `METHOD /pattern` (middleware, registered as ALL, left out). */
function apiRoutes(app: App['app']): { method: string; path: string }[] {
  const seen = new Map<string, { method: string; path: string }>();
  for (const r of app.routes) {
    if (r.method === 'ALL' || !r.path.startsWith('/api/')) continue;
    seen.set(`${r.method} ${r.path}`, { method: r.method, path: r.path });
  }
  return [...seen.values()];
}

/** A concrete path for a pattern: each `:param` (with or without a `{regex}`) becomes a made-up id. */
const concrete = (pattern: string) => pattern.replace(/:[A-Za-z0-9_]+(\{[^}]*\})?/g, 'x0');

/** The error code of a response, if it is one; event streams are closed unread. */
async function codeOf(res: Response): Promise<string | undefined> {
  if (!(res.headers.get('content-type') ?? '').includes('application/json')) {
    await res.body?.cancel();
    return undefined;
  }
  const body = (await res.json().catch(() => null)) as { error?: { code?: string } } | null;
  return body?.error?.code;
}

describe.each(testDialects)('the /api policy on %s', (dialect: DialectName) => {
  let db: TestDb;
  let created: App;
  let siteA: Awaited<ReturnType<typeof createSite>>;
  let siteB: Awaited<ReturnType<typeof createSite>>;
  const members = new Map<Role, string>();

  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    siteA = await createSite(db.kysely, { name: 'A', origins: [] });
    siteB = await createSite(db.kysely, { name: 'B', origins: [] });
    for (const role of roles) members.set(role, (await addStaff(db.kysely, role, [siteA.siteId])).userId);
    // Every optional part mounted, so the walk sees every route the product can serve.
    created = createApp({ db, config, demo: true, conversations: { heartbeatMs: 50 } });
  });
  afterAll(async () => {
    await created?.closeRealtime();
    await db?.close();
  });

  it('has a policy entry for every registered /api route', () => {
    const routes = apiRoutes(created.app);
    expect(routes.length).toBeGreaterThan(20);
    const missing = routes.filter((r) => ruleFor(r.method, r.path) === undefined).map((r) => `${r.method} ${r.path}`);
    expect(missing, 'add these routes to server/src/auth/policy.ts').toEqual([]);
  });

  it('refuses every non-public route without credentials', async () => {
    for (const r of apiRoutes(created.app)) {
      if (ruleFor(r.method, r.path) === PUBLIC) continue;
      const res = await created.app.request(concrete(r.path), { method: r.method });
      expect(res.status, `${r.method} ${r.path}`).toBe(401);
      await codeOf(res);
    }
  });

  it('lets each role through exactly the routes its policy allows', async () => {
    const outcomes: string[] = [];
    const expected: string[] = [];
    for (const r of apiRoutes(created.app)) {
      const rule = ruleFor(r.method, r.path);
      if (rule === undefined || rule === PUBLIC) continue;
      for (const role of roles) {
        // A fresh session each time: logout is among the routes walked.
        const cookie = await sessionFor(db.kysely, members.get(role) ?? '');
        const client = signedIn(created.app, cookie, siteA.siteId);
        const res =
          r.method === 'GET'
            ? await client.get(concrete(r.path))
            : await created.app.request(concrete(r.path), {
                method: r.method,
                headers: {
                  cookie,
                  'x-fideliza-site': siteA.siteId,
                  'x-fideliza-csrf': '1',
                  'content-type': 'application/json',
                },
                body: '{}',
              });
        const code = await codeOf(res);
        const refused = res.status === 403 && GUARD_REFUSALS.includes(code ?? '');
        outcomes.push(`${r.method} ${r.path} ${role}: ${refused ? `refused (${code})` : 'admitted'}`);
        expected.push(
          `${r.method} ${r.path} ${role}: ${rule === SIGNED_IN || allows(rule, role) ? 'admitted' : 'refused (role_not_allowed)'}`,
        );
        expect(res.status, `${r.method} ${r.path} as ${role}`).not.toBe(401);
      }
    }
    expect(outcomes).toEqual(expected);
    // Admin may do everything; the secret key too (checked on a sample, the rest is covered above).
    expect(outcomes.filter((o) => o.includes(' admin: refused'))).toEqual([]);
  });

  it('lets the secret key through every site route', async () => {
    for (const r of apiRoutes(created.app)) {
      const rule = ruleFor(r.method, r.path);
      if (rule === PUBLIC || rule === SIGNED_IN) continue;
      const res = await created.app.request(concrete(r.path), {
        method: r.method,
        headers: { authorization: `Bearer ${siteB.secretKey}`, 'content-type': 'application/json' },
        body: r.method === 'GET' ? undefined : '{}',
      });
      const code = await codeOf(res);
      expect([res.status, code], `${r.method} ${r.path}`).not.toContainEqual(401);
      expect(GUARD_REFUSALS, `${r.method} ${r.path}`).not.toContain(code);
    }
  });

  describe('between sites', () => {
    let adminA: ReturnType<typeof signedIn>;
    let surveyB: string;

    beforeAll(async () => {
      const cookie = await sessionFor(db.kysely, members.get('admin') ?? '');
      adminA = signedIn(created.app, cookie, siteA.siteId);
      const res = await created.app.request('/api/surveys', {
        method: 'POST',
        headers: { authorization: `Bearer ${siteB.secretKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          name: 'B only',
          questions: [{ id: 'q1', kind: 'nps', title: { en: 'How likely?' } }],
        }),
      });
      expect(res.status).toBe(201);
      surveyB = ((await res.json()) as { id: string }).id;
    });

    it('refuses a member of site A who names site B, on every kind of route', async () => {
      const cookie = await sessionFor(db.kysely, members.get('admin') ?? '');
      const asB = signedIn(created.app, cookie, siteB.siteId);
      for (const path of [
        '/api/conversations',
        '/api/surveys',
        `/api/surveys/${surveyB}`,
        '/api/heatmaps/pages',
        '/api/audit',
        '/api/widget/identity-secret',
      ]) {
        const res = await asB.get(path);
        expect(res.status, path).toBe(403);
        expect(await codeOf(res), path).toBe('not_a_member');
      }
      expect((await asB.post(`/api/surveys/${surveyB}/archive`)).status).toBe(403);
      // The query parameter names the site as well as the header, and an unknown site looks the same.
      const viaQuery = await created.app.request(`/api/surveys?site=${siteB.siteId}`, { headers: { cookie } });
      expect(viaQuery.status).toBe(403);
      const ghost = await created.app.request('/api/surveys?site=s000000000000000', { headers: { cookie } });
      expect(await codeOf(ghost)).toBe('not_a_member');
      // Without a site, site routes say so.
      const none = await created.app.request('/api/surveys', { headers: { cookie } });
      expect(none.status).toBe(400);
    });

    it("does not find site B's records while working on site A", async () => {
      const one = await adminA.get(`/api/surveys/${surveyB}`);
      expect(one.status).toBe(404);
      const list = (await (await adminA.get('/api/surveys')).json()) as { surveys: { id: string }[] };
      expect(list.surveys.map((s) => s.id)).not.toContain(surveyB);
      expect((await adminA.post(`/api/surveys/${surveyB}/archive`)).status).toBe(404);
      const stillActive = await db.kysely
        .selectFrom('surveys')
        .select('status')
        .where('site_id', '=', siteB.siteId)
        .where('survey_id', '=', surveyB)
        .executeTakeFirstOrThrow();
      expect(stillActive.status).not.toBe('archived');
    });
  });
});
