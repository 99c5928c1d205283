// The shopper widget end to end: the SDK loads the built widget on the demo shop in Debian's Chromium, against the
// real server; staff act through the secret-key API. Live chat replies, the complaint workflow seen by the visitor,
// hostile page CSS, an XSS payload from an agent, and axe-core inside the shadow root.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaffUser } from '../../server/src/auth/index.ts';
import { createSite } from '../../server/src/sites/index.ts';
import { launchChromium } from '../support/browser.ts';
import { buildSdk, buildWidget, type Fideliza, secretKeyCall, startFideliza } from '../support/fideliza.ts';
import { type Shop, startShop } from '../support/shop.ts';

declare global {
  interface Window {
    pwned?: number;
    axe: { run(context: Element, options: object): Promise<{ violations: AxeViolation[] }> };
  }
}

interface AxeViolation {
  id: string;
  impact: string;
  nodes: { target: unknown[]; failureSummary: string }[];
}

const BRAND = '#7a1fa2';
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let browser: Browser;
let fideliza: Fideliza;
let shop: Shop;
let secretKey: string;
let agent: string;
let validator: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  buildSdk();
  buildWidget();
  shop = await startShop();
  fideliza = await startFideliza(shop.origin);
  const site = await createSite(fideliza.db.kysely, {
    name: 'Widget shop',
    origins: [shop.origin],
    settings: { widget: { enabled: true, color: BRAND, position: 'left' } },
  });
  secretKey = site.secretKey;
  const staff = (role: 'agent' | 'validator') =>
    createStaffUser(fideliza.db.kysely, { email: `${role}@widget.example`, role, siteIds: [site.siteId] });
  agent = (await staff('agent')).email;
  validator = (await staff('validator')).email;
  shop.host = fideliza.url;
  shop.writeKey = site.writeKey;
  browser = await launchChromium();
});

afterAll(async () => {
  await Promise.all(contexts.map((c) => c.close().catch(() => {})));
  await browser?.close();
  await fideliza?.stop();
  await shop?.stop();
});

/** A staff call with the site's secret key; fails the test on any non-2xx answer. */
const staffApi = <T>(path: string, body?: unknown) => secretKeyCall<T>(fideliza.url, secretKey, path, body);

interface OpenOptions {
  /** Extra CSS added to the page. */
  css?: string;
  reducedMotion?: 'reduce' | 'no-preference';
  /** `/csp/` serves the shop under a strict Content-Security-Policy. */
  area?: 'shop' | 'csp';
}

/** Opens a shop page in English and waits for the widget's launcher. */
async function openShop(options: OpenOptions = {}): Promise<{ page: Page; widget: Locator }> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    locale: 'en-US',
    reducedMotion: options.reducedMotion ?? 'no-preference',
  });
  // A step that fails should say where, well before the test's own timeout.
  context.setDefaultTimeout(5000);
  contexts.push(context);
  const page = await context.newPage();
  // A dialog would mean injected script ran: fail loudly rather than hang.
  page.on('dialog', (dialog) => {
    void dialog.dismiss();
    throw new Error(`a dialog opened: ${dialog.message()}`);
  });
  await page.goto(`${shop.origin}/${options.area ?? 'shop'}/`);
  if (options.css) await page.addStyleTag({ content: options.css });
  const widget = page.locator('fideliza-widget');
  await widget.getByRole('button', { name: 'Help and contact' }).waitFor();
  return { page, widget };
}

async function openPanel(widget: Locator): Promise<void> {
  await widget.getByRole('button', { name: 'Help and contact' }).click();
  await widget.getByRole('dialog').waitFor();
}

/** The element focused inside the widget's shadow root, as "role:name". */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.querySelector('fideliza-widget')?.shadowRoot?.activeElement;
    return el ? `${el.getAttribute('role') ?? el.tagName.toLowerCase()}:${el.textContent?.trim() ?? ''}` : null;
  });

async function conversationIdOf(kind: 'chat' | 'complaint'): Promise<string> {
  const { conversations } = await staffApi<{ conversations: { id: string }[] }>(`/api/conversations?kind=${kind}`);
  const id = conversations[0]?.id;
  if (!id) throw new Error(`no ${kind} on the server`);
  return id;
}

describe('widget in Chromium against the real server', () => {
  it('chats: the visitor writes, a staff reply appears within a second, and agent HTML or javascript: runs nothing', async () => {
    const { page, widget } = await openShop();
    await openPanel(widget);
    // Focus moved into the panel, onto the selected tab.
    expect(await focused(page)).toBe('tab:Chat');
    await widget.getByLabel('Message').fill('Hola, ¿tenéis la talla 43?');
    await widget.getByLabel('Message').press('Enter');
    await widget.locator('.msg.visitor', { hasText: 'talla 43' }).waitFor();
    expect(await widget.getByLabel('Message').inputValue()).toBe('');

    const id = await conversationIdOf('chat');
    const stored = await staffApi<{ messages: { author: string; text: string }[] }>(`/api/conversations/${id}`);
    expect(stored.messages.map((m) => [m.author, m.text])).toEqual([['visitor', 'Hola, ¿tenéis la talla 43?']]);

    await staffApi(`/api/conversations/${id}/messages`, { text: 'Sí, nos quedan dos pares.', actor: agent });
    await widget.locator('.msg.agent', { hasText: 'nos quedan dos pares' }).waitFor({ timeout: 1000 });

    const payload =
      '<img src=x onerror="window.pwned=1"> javascript:window.pwned=2 <a href="javascript:window.pwned=3">x</a> https://example.com/size-guide.';
    await staffApi(`/api/conversations/${id}/messages`, { text: payload, actor: agent });
    const bubble = widget.locator('.msg.agent', { hasText: 'size-guide' });
    await bubble.waitFor({ timeout: 1000 });
    // Shown as the text it is; the only link is the https one, without the sentence's full stop.
    expect(await bubble.evaluate((el) => el.textContent)).toBe(`Shop: ${payload}`);
    expect(await bubble.locator('img').count()).toBe(0);
    expect(await bubble.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual([
      'https://example.com/size-guide',
    ]);
    // Clicking the text where a javascript: link would be does nothing either.
    await bubble.click();
    expect(await page.evaluate(() => window.pwned)).toBeUndefined();
    // Each message once, in order, although the visitor's own came both from the POST answer and the stream.
    expect(await widget.locator('.msg').allTextContents()).toHaveLength(3);

    // Escape closes the panel and gives focus back to the launcher.
    await page.keyboard.press('Escape');
    await widget.getByRole('dialog').waitFor({ state: 'hidden' });
    expect(await focused(page)).toBe('button:');

    // A reload resumes the conversation from the stream's history, each message once.
    await page.reload();
    await openPanel(widget);
    await widget.locator('.msg').nth(2).waitFor();
    expect(await widget.locator('.msg').count()).toBe(3);
  });

  it('files a complaint with a photo; staff take it through the workflow; the visitor sees the final answer', async () => {
    const { page, widget } = await openShop();
    await openPanel(widget);
    await widget.getByRole('tab', { name: 'Complaint' }).click();
    await widget.getByLabel('Category').selectOption('product');
    await widget.getByLabel('Order number').fill('A-1001');
    await widget.getByLabel('What happened?').fill('La suela llegó despegada.');
    // A non-image is refused before anything is sent; a PNG is kept.
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
      'base64',
    );
    const photos = widget.getByLabel(/Photos/);
    await photos.setInputFiles([
      { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') },
      { name: 'sole.png', mimeType: 'image/png', buffer: png },
    ]);
    await widget.getByText('notes.txt is not a JPEG, PNG or WebP image.').waitFor();
    await widget.getByRole('button', { name: 'Send complaint' }).click();
    const ticket = (await widget.locator('.ticket').textContent()) ?? '';
    expect(ticket).toMatch(/^RC-\d{4}-\d{6}$/);

    const id = await conversationIdOf('complaint');
    const details = await staffApi<{ complaint: { ticket: string; orderNumber: string; photos: unknown[] } }>(
      `/api/conversations/${id}`,
    );
    expect(details.complaint).toMatchObject({ ticket, orderNumber: 'A-1001' });
    expect(details.complaint.photos).toHaveLength(1);

    const answer = 'Te enviamos un par nuevo: https://tienda.example/envios/123';
    const steps = [
      { action: 'review', actor: agent, text: 'Defecto de fabricación confirmado en la foto.' },
      { action: 'validate', actor: validator },
      { action: 'resolve', actor: agent, text: answer },
      { action: 'close', actor: agent },
    ];
    for (const step of steps) await staffApi(`/api/complaints/${id}/transitions`, step);

    await widget.getByRole('button', { name: 'Check its status' }).click();
    const result = widget.locator('.result');
    await result.locator('.status', { hasText: 'Closed' }).waitFor();
    expect(await result.locator('.answer p').textContent()).toBe(answer);
    expect(await result.locator('.answer a').getAttribute('href')).toBe('https://tienda.example/envios/123');
    expect(await result.locator('.history li').allTextContents()).toEqual([
      expect.stringMatching(/^Registered · /),
      expect.stringMatching(/^In review · /),
      expect.stringMatching(/^Validated · /),
      expect.stringMatching(/^Resolved · /),
      expect.stringMatching(/^Closed · /),
    ]);
    expect(await widget.getByRole('tab', { name: 'Check a ticket' }).getAttribute('aria-selected')).toBe('true');
    expect(await page.evaluate(() => document.querySelector('fideliza-widget')?.shadowRoot?.activeElement?.id)).toBe(
      'fz-tab-status',
    );
  });

  it('keeps its look on a page with hostile CSS', async () => {
    const hostile = [
      '* { all: unset !important; color: red !important; font-size: 40px !important; }',
      'button { display: none !important; }',
      'fideliza-widget { display: none !important; position: static !important; filter: blur(4px) !important; }',
      'html { font-size: 5px !important; }',
    ].join('\n');
    const look = async (css?: string) => {
      const { widget } = await openShop({ css });
      await openPanel(widget);
      await widget.getByRole('tab', { name: 'Rate this page' }).click();
      await widget.getByRole('tab', { name: 'Chat' }).click();
      await widget.getByLabel('Message').waitFor();
      return widget.evaluate((host) => {
        const root = host.shadowRoot!;
        const props = [
          'display',
          'position',
          'color',
          'background-color',
          'font-size',
          'font-family',
          'font-weight',
          'line-height',
          'width',
          'height',
          'padding-top',
          'padding-left',
          'margin-top',
          'border-top-width',
          'border-top-left-radius',
          'box-shadow',
          'filter',
          'left',
          'bottom',
          'visibility',
          'opacity',
        ];
        const selectors = ['.root', '.launcher', '.panel', 'h2', '[role=tab]', 'textarea', '.primary', 'label', 'p'];
        const out: Record<string, Record<string, string>> = {};
        const hostStyle = getComputedStyle(host);
        out.host = { display: hostStyle.display, filter: hostStyle.filter, position: hostStyle.position };
        for (const selector of selectors) {
          const el = root.querySelector(selector);
          if (!el) throw new Error(`no ${selector} in the widget`);
          const style = getComputedStyle(el);
          out[selector] = Object.fromEntries(props.map((p) => [p, style.getPropertyValue(p)]));
        }
        return out;
      });
    };
    const clean = await look();
    expect(clean['.launcher']?.['background-color']).toBe('rgb(122, 31, 162)');
    expect(clean['.root']?.left).toBe('20px');
    expect(await look(hostile)).toEqual(clean);
  });

  it('works under a strict Content-Security-Policy without a violation, styles included', async () => {
    const { page, widget } = await openShop({ area: 'csp' });
    await openPanel(widget);
    await widget.getByText('Write to us').waitFor();
    const launcher = widget.locator('.launcher');
    expect(await launcher.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(122, 31, 162)');
    expect(await launcher.evaluate((el) => getComputedStyle(el).borderRadius)).toBe('50%');
    expect(await page.evaluate(() => (window as unknown as { violations: string[] }).violations)).toEqual([]);
  });

  it('has no axe-core violations in any view', async () => {
    // Reduced motion: the panel then appears at once (no fade for axe to measure colours halfway through).
    const { page, widget } = await openShop({ reducedMotion: 'reduce' });
    await page.addScriptTag({ content: axeSource });
    const audit = async (view: string) => {
      const { violations } = await widget.evaluate(
        (host) => window.axe.run(host, { resultTypes: ['violations'] }),
        undefined,
      );
      return violations.map((v) => `${view}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.failureSummary).join('; ')}`);
    };
    const found = [...(await audit('closed'))];
    await openPanel(widget);
    await widget.getByText('Write to us').waitFor();
    expect(await widget.getByRole('dialog').evaluate((el) => getComputedStyle(el).animationName)).toBe('none');
    found.push(...(await audit('chat')));
    await widget.getByRole('tab', { name: 'Rate this page' }).click();
    await widget.getByRole('button', { name: 'Send' }).click();
    await widget.getByText('Choose a rating').waitFor();
    found.push(...(await audit('feedback with an error')));
    await widget.getByRole('tab', { name: 'Complaint' }).click();
    await widget.getByRole('button', { name: 'Send complaint' }).click();
    await widget.getByText('Please fill in this field.').waitFor();
    found.push(...(await audit('complaint with an error')));
    await widget.getByRole('tab', { name: 'Check a ticket' }).click();
    found.push(...(await audit('status')));
    expect(found).toEqual([]);
  });
});
