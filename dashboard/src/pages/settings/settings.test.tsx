// @vitest-environment happy-dom
// The settings page against a fake server: what each role is offered, the requests the forms send, the
// server's refusals shown in the page's language, keys and passwords shown once.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Role } from '../../context.ts';
import { button, byLabel, choose, fakeServer, json, mountPage, refusal, type, unmountAll } from '../../testing.tsx';
import SettingsPage from './index.tsx';

afterEach(unmountAll);

const WRITE_KEY = 'wk_s000000000000001_aaaaaaaaaaaaaaaaaaaaaaaa';

const siteBody = () => ({
  id: 's1',
  name: 'Tienda Uno',
  origins: ['https://tienda.example'],
  writeKey: WRITE_KEY,
  settings: {
    widget: { enabled: true, color: '#1f6feb', position: 'right' },
    conversations: { requireUserHash: false, timezone: 'Europe/Madrid', hours: [], awayMessage: '' },
    knowledge: { lapsedAfterDays: 180 },
  },
  install: { host: 'https://fz.example', scriptUrl: 'https://fz.example/sdk.js' },
});

const team = [
  { userId: 'u1', email: 'ana@tienda.example', role: 'admin', since: '2026-11-01T10:00:00.000Z' },
  { userId: 'u2', email: 'luis@tienda.example', role: 'agent', since: '2026-11-02T10:00:00.000Z' },
];

const mount = (fetch: typeof globalThis.fetch, role: Role, lang: 'en' | 'es' = 'en') =>
  mountPage(SettingsPage, fetch, {
    href: '/settings',
    role,
    lang,
    otherSites: [{ siteId: 's2', siteName: 'Outlet', role: 'marketer' }],
  }).root;

const section = (root: Element, title: string) => {
  const h = [...root.querySelectorAll('h3')].find((x) => x.textContent === title);
  const s = h?.closest('section');
  if (!s) throw new Error(`no section ${title}`);
  return s;
};
const submit = (form: Element | null) => form?.dispatchEvent(new Event('submit', { cancelable: true }));

describe('settings page', () => {
  it('shows an admin every section, with the real write key in the snippets', async () => {
    const { fetch } = fakeServer({
      'GET /api/site': () => json(siteBody()),
      'GET /api/team': () => json({ members: team }),
    });
    const root = mount(fetch, 'admin');
    await vi.waitFor(() => expect(root.querySelector('pre')).not.toBeNull());
    expect([...root.querySelectorAll('h3')].map((h) => h.textContent)).toEqual([
      'Site',
      'Install',
      'Widget look',
      'Keys',
      'Team',
      'Sites',
    ]);
    expect(byLabel<HTMLInputElement>(root, 'Shop name')?.value).toBe('Tienda Uno');
    expect(byLabel<HTMLInputElement>(root, 'Origin 1')?.value).toBe('https://tienda.example');
    const [script, npm] = [...root.querySelectorAll('pre')].map((p) => p.textContent ?? '');
    expect(script).toContain('window.fideliza=window.fideliza||[];');
    expect(script).toContain(`<script async src="https://fz.example/sdk.js" data-key="${WRITE_KEY}"></script>`);
    expect(npm).toContain(`createClient({ writeKey: '${WRITE_KEY}', host: 'https://fz.example' })`);
    await vi.waitFor(() => expect(section(root, 'Team').querySelectorAll('tbody tr')).toHaveLength(2));
    expect(section(root, 'Team').querySelector('tbody td')?.textContent).toBe('ana@tienda.example (you)');
  });

  it('previews a new widget colour at once and saves the whole site with it', async () => {
    const { fetch, requests } = fakeServer({
      'GET /api/site': () => json(siteBody()),
      'GET /api/team': () => json({ members: team }),
      'PUT /api/site': async (req) => json({ ...siteBody(), ...((await req.json()) as object) }),
    });
    const root = mount(fetch, 'admin');
    await vi.waitFor(() => expect(root.querySelector('[data-testid="widget-swatch"]')).not.toBeNull());
    const widget = section(root, 'Widget look');
    type(byLabel(widget, 'Brand colour'), '#aa3300');
    choose(byLabel(widget, 'Position'), 'left');
    await vi.waitFor(() =>
      expect((widget.querySelector('[data-testid="widget-swatch"]') as HTMLElement).style.background).toMatch(
        /#aa3300|rgb\(170, 51, 0\)/,
      ),
    );
    expect(widget.querySelector('.preview-left')).not.toBeNull();
    submit(widget.querySelector('form'));
    await vi.waitFor(() => expect(widget.querySelector('[role="status"].notice-ok')?.textContent).toBe('Saved.'));
    const put = requests.find((r) => r.method === 'PUT');
    expect(put?.body).toEqual({
      name: 'Tienda Uno',
      origins: ['https://tienda.example'],
      settings: { ...siteBody().settings, widget: { enabled: true, color: '#aa3300', position: 'left' } },
    });
  });

  it("shows the server's refusal of an origin under that origin, in Spanish", async () => {
    const { fetch, requests } = fakeServer({
      'GET /api/site': () => json(siteBody()),
      'GET /api/team': () => json({ members: team }),
      'PUT /api/site': () => refusal(400, 'invalid_body', 'origins.1: an origin like …', 'origins.1'),
    });
    const root = mount(fetch, 'admin', 'es');
    await vi.waitFor(() => expect(root.querySelector('pre')).not.toBeNull());
    const site = section(root, 'Sitio');
    button(site, 'Añadir origen')?.click();
    await vi.waitFor(() => expect(byLabel(site, 'Origen 2')).not.toBeNull());
    type(byLabel(site, 'Origen 2'), 'https://tienda.example/tienda');
    submit(site.querySelector('form'));
    await vi.waitFor(() => expect(site.querySelector('.error-text')).not.toBeNull());
    expect(site.querySelector('.error-text')?.textContent).toBe(
      '«https://tienda.example/tienda» no es un origen: escribe solo el esquema y el host, como https://tienda.example (sin ruta ni *).',
    );
    expect(byLabel(site, 'Origen 2')?.getAttribute('aria-invalid')).toBe('true');
    expect(requests.find((r) => r.method === 'PUT')?.body).toMatchObject({
      origins: ['https://tienda.example', 'https://tienda.example/tienda'],
    });
  });

  it('makes a new secret key only after a confirmation, and shows it once', async () => {
    const { fetch, requests } = fakeServer({
      'GET /api/site': () => json(siteBody()),
      'GET /api/team': () => json({ members: team }),
      'POST /api/site/keys/rotate': async (req) => {
        const { key } = (await req.json()) as { key: string };
        return key === 'secret'
          ? json({ key, writeKey: null, secretKey: 'sk_s000000000000001_new' })
          : json({ key, writeKey: 'wk_s000000000000001_new', secretKey: null });
      },
    });
    const root = mount(fetch, 'admin');
    await vi.waitFor(() => expect(root.querySelector('pre')).not.toBeNull());
    const keys = section(root, 'Keys');
    button(keys, 'Make a new secret key')?.click();
    await vi.waitFor(() => expect(keys.querySelector('.confirm')).not.toBeNull());
    expect(requests.some((r) => r.method === 'POST')).toBe(false);
    button(keys, 'Yes, make a new key')?.click();
    await vi.waitFor(() => expect(keys.textContent).toContain('sk_s000000000000001_new'));
    expect(keys.textContent).toContain('it will not be shown again');

    button(keys, 'Make a new write key')?.click();
    await vi.waitFor(() => expect(keys.querySelector('.confirm')).not.toBeNull());
    button(keys, 'Yes, make a new key')?.click();
    // The snippet follows the new write key.
    await vi.waitFor(() => expect(root.querySelector('pre')?.textContent).toContain('wk_s000000000000001_new'));
    expect(keys.textContent).toContain('New write key in place.');
    expect(requests.filter((r) => r.method === 'POST').map((r) => r.body)).toEqual([
      { key: 'secret' },
      { key: 'write' },
    ]);
  });

  it('shows the identity secret only when asked, and replaces it after a confirmation', async () => {
    const { fetch, requests } = fakeServer({
      'GET /api/site': () => json(siteBody()),
      'GET /api/team': () => json({ members: team }),
      'GET /api/widget/identity-secret': () => json({ identitySecret: 'old-identity-secret' }),
      'POST /api/widget/identity-secret/rotate': () => json({ identitySecret: 'new-identity-secret' }),
    });
    const root = mount(fetch, 'admin');
    await vi.waitFor(() => expect(root.querySelector('pre')).not.toBeNull());
    const keys = section(root, 'Keys');
    expect(keys.textContent).not.toContain('old-identity-secret');
    expect(requests.some((r) => r.path.startsWith('/api/widget'))).toBe(false);
    button(keys, 'Show the identity secret')?.click();
    await vi.waitFor(() => expect(keys.textContent).toContain('old-identity-secret'));
    button(keys, 'Make a new identity secret')?.click();
    await vi.waitFor(() => expect(keys.querySelector('.confirm')?.textContent).toContain('old identity secret'));
    button(keys, 'Yes, make a new key')?.click();
    await vi.waitFor(() => expect(keys.textContent).toContain('new-identity-secret'));
    expect(keys.textContent).not.toContain('old-identity-secret');
    expect(requests.filter((r) => r.path.startsWith('/api/widget')).map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /api/widget/identity-secret',
      'POST /api/widget/identity-secret/rotate',
    ]);
  });

  it('adds a teammate and shows the new password once; changes a role; says why the last admin stays', async () => {
    const members = [...team];
    const { fetch, requests } = fakeServer({
      'GET /api/site': () => json(siteBody()),
      'GET /api/team': () => json({ members }),
      'POST /api/team': async (req) => {
        const { email, role } = (await req.json()) as { email: string; role: string };
        const member = { userId: 'u3', email, role, since: '2026-11-23T10:00:00.000Z' };
        members.push(member);
        return json({ member, password: 'Kq7xWm2PzR9vTb4NcH6d' }, 201);
      },
      'PUT /api/team/u2': async (req) => json({ member: { ...team[1], ...((await req.json()) as object) } }),
      'PUT /api/team/u1': () =>
        refusal(409, 'last_admin', 'a site needs at least one admin: make someone else admin first'),
    });
    const root = mount(fetch, 'admin');
    const teamSection = await vi.waitFor(() => {
      const s = section(root, 'Team');
      if (s.querySelectorAll('tbody tr').length !== 2) throw new Error('team not loaded');
      return s;
    });
    type(byLabel(teamSection, 'Email'), 'nueva@tienda.example');
    choose(byLabel(teamSection, 'Role'), 'marketer');
    submit(teamSection.querySelector('form'));
    await vi.waitFor(() => expect(teamSection.textContent).toContain('Kq7xWm2PzR9vTb4NcH6d'));
    expect(teamSection.textContent).toContain('nueva@tienda.example has a new account.');
    await vi.waitFor(() => expect(teamSection.querySelectorAll('tbody tr')).toHaveLength(3));
    expect(requests.find((r) => r.method === 'POST')?.body).toEqual({
      email: 'nueva@tienda.example',
      role: 'marketer',
    });

    const roleOf = (email: string) =>
      teamSection.querySelector(`select[aria-label="Role of ${email}"]`) as HTMLSelectElement;
    choose(roleOf('luis@tienda.example'), 'validator');
    await vi.waitFor(() => expect(requests.some((r) => r.method === 'PUT' && r.path === '/api/team/u2')).toBe(true));
    expect(requests.find((r) => r.path === '/api/team/u2')?.body).toEqual({ role: 'validator' });

    choose(roleOf('ana@tienda.example'), 'agent');
    await vi.waitFor(() =>
      expect(teamSection.querySelector('[role="alert"]')?.textContent).toBe(
        'A site needs at least one administrator: make someone else administrator first.',
      ),
    );
    await vi.waitFor(() => expect(roleOf('ana@tienda.example').value).toBe('admin'));
  });

  it('removes a teammate only after a confirmation', async () => {
    const members = [...team];
    const { fetch, requests } = fakeServer({
      'GET /api/site': () => json(siteBody()),
      'GET /api/team': () => json({ members }),
      'DELETE /api/team/:userId': () => {
        members.splice(1, 1);
        return new Response(null, { status: 204 });
      },
    });
    const root = mount(fetch, 'admin');
    const teamSection = await vi.waitFor(() => {
      const s = section(root, 'Team');
      if (s.querySelectorAll('tbody tr').length !== 2) throw new Error('team not loaded');
      return s;
    });
    button(teamSection.querySelector('tbody') as Element, 'Remove luis@tienda.example')?.click();
    await vi.waitFor(() => expect(teamSection.querySelector('.confirm')?.textContent).toContain('They lose access'));
    expect(requests.some((r) => r.method === 'DELETE')).toBe(false);
    button(teamSection.querySelector('.confirm') as Element, 'Remove luis@tienda.example')?.click();
    await vi.waitFor(() => expect(teamSection.querySelectorAll('tbody tr')).toHaveLength(1));
    expect(requests.filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual(['/api/team/u2']);
  });

  it('creates a site and shows its keys once', async () => {
    const { fetch, requests } = fakeServer({
      'GET /api/site': () => json(siteBody()),
      'GET /api/team': () => json({ members: team }),
      'POST /api/sites': () =>
        json({ id: 's3', name: 'Outlet Norte', writeKey: 'wk_s3_x', secretKey: 'sk_s3_secret' }, 201),
    });
    const root = mount(fetch, 'admin');
    await vi.waitFor(() => expect(root.querySelector('pre')).not.toBeNull());
    const sites = section(root, 'Sites');
    expect([...sites.querySelectorAll('tbody tr')].map((r) => r.textContent)).toEqual([
      'Tienda Uno (current)Administrator',
      'OutletMarketer',
    ]);
    type(byLabel(sites, 'Name of the new site'), 'Outlet Norte');
    type(byLabel(sites, 'Its origin (optional)'), 'https://norte.example');
    submit(sites.querySelector('form'));
    await vi.waitFor(() => expect(sites.textContent).toContain('sk_s3_secret'));
    expect(sites.textContent).toContain('Outlet Norte is ready and you are its administrator.');
    expect(requests.find((r) => r.path === '/api/sites')?.body).toEqual({
      name: 'Outlet Norte',
      origins: ['https://norte.example'],
    });
  });

  it('offers a marketer nothing to change: the snippet and look to read, no keys, no team', async () => {
    const { fetch, requests } = fakeServer({ 'GET /api/site': () => json(siteBody()) });
    const root = mount(fetch, 'marketer');
    await vi.waitFor(() => expect(root.querySelector('pre')).not.toBeNull());
    expect([...root.querySelectorAll('h3')].map((h) => h.textContent)).toEqual([
      'Site',
      'Install',
      'Widget look',
      'Sites',
    ]);
    expect(root.textContent).toContain('Only administrators can change these settings.');
    expect(root.querySelectorAll('form, input, select, textarea')).toHaveLength(0);
    const buttons = [...root.querySelectorAll('button')].map((b) => b.textContent);
    expect(buttons.every((b) => b === 'Copy')).toBe(true);
    expect(section(root, 'Site').textContent).toContain('https://tienda.example');
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/site']);
  });

  it('shows agents and validators only the sites they work on', async () => {
    for (const role of ['agent', 'validator'] as const) {
      const { fetch, requests } = fakeServer({});
      const root = mount(fetch, role, 'es');
      expect([...root.querySelectorAll('h3')].map((h) => h.textContent)).toEqual(['Sitios']);
      expect(root.querySelectorAll('form')).toHaveLength(0);
      expect(requests).toEqual([]);
      unmountAll();
    }
  });

  it('says when the settings cannot be loaded, and tries again', async () => {
    let fail = true;
    const { fetch } = fakeServer({
      'GET /api/site': () => (fail ? refusal(503, 'unavailable', 'the database is unavailable') : json(siteBody())),
      'GET /api/team': () => json({ members: team }),
    });
    const root = mount(fetch, 'admin');
    await vi.waitFor(() => expect(root.querySelector('[role="alert"]')?.textContent).toContain('unavailable'));
    fail = false;
    button(root, 'Try again')?.click();
    await vi.waitFor(() => expect(root.querySelector('pre')).not.toBeNull());
  });
});
