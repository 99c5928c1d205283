// The dashboard's shell in Chromium against the real server and the demo's staff: sign-in (refused and
// accepted), navigation by role, the language switch, sign-out; axe-clean and screenshotted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPage, type DashboardEnv, startDashboard } from '../support/dashboard.ts';

let env: DashboardEnv;

beforeAll(async () => {
  env = await startDashboard({ customers: 20, days: 7 });
}, 180_000);

afterAll(async () => {
  await env?.stop();
});

const navOf = (page: import('playwright-core').Page) =>
  page.$$eval('nav[aria-label] a', (links) => links.map((a) => a.textContent));

describe('dashboard shell', () => {
  it('refuses a wrong password and says so, with an accessible sign-in form', async () => {
    const context = await env.browser.newContext({ locale: 'es-ES' });
    const page = await context.newPage();
    await page.goto(`${env.base}/dashboard/`);
    await page.fill('#login-email', 'admin@tienda-demo.example');
    await page.fill('#login-password', 'not-the-password');
    await page.click('form button[type="submit"]');
    await page.waitForSelector('[role="alert"]');
    expect(await page.textContent('[role="alert"]')).toBe('Correo o contraseña incorrectos.');
    expect(await page.getAttribute('html', 'lang')).toBe('es');
    expect(await checkPage(page, 'login')).toEqual([]);
    await context.close();
  });

  it.each([
    ['admin', ['Overview', 'Heatmaps', 'Customers', 'Segments', 'Inbox', 'Surveys', 'Recommendations', 'Settings']],
    ['marketer', ['Overview', 'Heatmaps', 'Customers', 'Segments', 'Surveys', 'Recommendations', 'Settings']],
    ['agent', ['Customers', 'Inbox', 'Settings']],
    ['validator', ['Inbox', 'Settings']],
  ] as const)('signs in the %s and shows their areas', async (role, areas) => {
    const page = await env.login(role);
    expect(await navOf(page)).toEqual(areas);
    expect(await page.textContent('.shell-header')).toContain(`${role}@`);
  });

  it('switches to Spanish, survives a reload, and signs out', async () => {
    const page = await env.login('marketer');
    await page.selectOption('.shell-header select', 'es');
    await page.waitForFunction(() => document.documentElement.lang === 'es');
    expect((await navOf(page))[0]).toBe('Resumen');
    await page.reload();
    await page.waitForSelector('nav[aria-label="Navegación principal"]');
    await page.click('text=Salir');
    await page.waitForSelector('#login-email');
    // The session is gone on the server too: the API refuses the old cookie.
    const status = await page.evaluate(async () => (await fetch('/api/auth/me')).status);
    expect(status).toBe(401);
  });
});
