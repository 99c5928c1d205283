// The settings page in Chromium against the real server: an admin changes the widget's colour (the SDK's
// config serves it at once) and adds a teammate who can sign in with the password shown once; a marketer is
// offered no change, and the server refuses one sent straight with the marketer's session. Axe-clean, screenshotted.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPage, type DashboardEnv, startDashboard } from '../support/dashboard.ts';

let env: DashboardEnv;

beforeAll(async () => {
  env = await startDashboard({ customers: 20, days: 7 });
}, 180_000);

afterAll(async () => {
  await env?.stop();
});

async function openSettings(page: Page): Promise<void> {
  await page.click('nav[aria-label] a[href="/dashboard/settings"]');
  await page.waitForSelector('#settings-install');
  await page.waitForSelector('pre');
}

const widgetConfig = async () =>
  (await (await fetch(`${env.base}/v1/config?writeKey=${env.demo.writeKey}`)).json()) as {
    widget: { enabled: boolean; color: string; position: string };
  };

describe('dashboard settings', () => {
  it('lets an admin change the widget colour and add a teammate', async () => {
    const page = await env.login('admin');
    await openSettings(page);
    await page.waitForSelector('section[aria-labelledby="settings-team"] tbody tr');
    // The snippet carries this site's real write key and this server's address.
    const snippet = await page.textContent('section[aria-labelledby="settings-install"] pre');
    expect(snippet).toContain(`<script async src="${env.base}/sdk.js" data-key="${env.demo.writeKey}"></script>`);
    expect(await checkPage(page, 'settings-admin')).toEqual([]);

    const widget = page.locator('section[aria-labelledby="settings-widget"]');
    await widget.locator('input[name="color"]').fill('#aa3300');
    // The preview follows before anything is saved.
    await page.waitForFunction(() => {
      const swatch = document.querySelector<HTMLElement>('[data-testid="widget-swatch"]');
      return swatch && getComputedStyle(swatch).backgroundColor === 'rgb(170, 51, 0)';
    });
    expect((await widgetConfig()).widget.color).not.toBe('#aa3300');
    await widget.getByRole('button', { name: 'Save' }).click();
    await widget.getByText('Saved.').waitFor();
    expect((await widgetConfig()).widget.color).toBe('#aa3300');

    const team = page.locator('section[aria-labelledby="settings-team"]');
    await team.getByLabel('Email').fill('nuevo@tienda-demo.example');
    await team.getByLabel('Role', { exact: true }).selectOption('marketer');
    await team.getByRole('button', { name: 'Add', exact: true }).click();
    await team.getByText('nuevo@tienda-demo.example has a new account.').waitFor();
    const password = (await team.locator('.notice-ok code').textContent()) ?? '';
    expect(password).toMatch(/^\S{20}$/);
    await team.getByRole('cell', { name: 'nuevo@tienda-demo.example', exact: true }).waitFor();
    expect(await checkPage(page, 'settings-admin-team-added')).toEqual([]);

    // The new teammate signs in with that password and works on the demo site as a marketer.
    const login = await fetch(`${env.base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-fideliza-csrf': '1' },
      body: JSON.stringify({ email: 'nuevo@tienda-demo.example', password }),
    });
    expect(login.status).toBe(200);
    expect(((await login.json()) as { sites: { id: string; role: string }[] }).sites).toContainEqual(
      expect.objectContaining({ id: env.demo.siteId, role: 'marketer' }),
    );
  }, 90_000);

  it('offers a marketer no change, and the server refuses one sent anyway', async () => {
    const page = await env.login('marketer', { locale: 'es' });
    await openSettings(page);
    expect(await page.textContent('main')).toContain('Solo los administradores pueden cambiar estos ajustes.');
    expect(await page.locator('main form, main input, main select, main textarea').count()).toBe(0);
    const buttons = await page.locator('main button').allTextContents();
    expect(buttons.every((b) => b === 'Copiar')).toBe(true);
    expect(await page.locator('#settings-keys, #settings-team').count()).toBe(0);
    expect(await checkPage(page, 'settings-marketer')).toEqual([]);

    const before = await widgetConfig();
    const refused = await page.evaluate(async (siteId) => {
      const res = await fetch('/api/site', {
        method: 'PUT',
        headers: { 'content-type': 'application/json', 'x-fideliza-csrf': '1', 'x-fideliza-site': siteId },
        body: JSON.stringify({
          name: 'Tienda del marketer',
          origins: [],
          settings: { widget: { enabled: true, color: '#000000', position: 'left' } },
        }),
      });
      return { status: res.status, body: await res.json() };
    }, env.demo.siteId);
    expect(refused).toEqual({
      status: 403,
      body: { error: { code: 'role_not_allowed', message: 'your role (marketer) may not do this' } },
    });
    expect(await widgetConfig()).toEqual(before);
  }, 60_000);
});
