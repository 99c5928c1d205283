// The inbox in Chromium against the real server and the demo: a shopper chats from the demo shop's widget and an
// agent sees it arrive without reloading, answers, and the shopper sees the answer live; a complaint goes from
// registered to closed with the agent and the validator each in their own browser, each offered only their steps.
// The list and a conversation are screenshotted and axe-clean.
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPage, type DashboardEnv, startDashboard } from '../support/dashboard.ts';
import { buildWidget, secretKeyCall } from '../support/fideliza.ts';

let env: DashboardEnv;

beforeAll(async () => {
  buildWidget();
  env = await startDashboard({ customers: 20, days: 7 });
}, 240_000);

afterAll(async () => {
  await env?.stop();
});

/** A staff call with the demo site's secret key. */
const staffApi = <T>(path: string) => secretKeyCall<T>(env.base, env.demo.secretKey, path);

/** The agent's inbox at `path`, once its live stream is connected. */
async function openInbox(page: Page, path = ''): Promise<void> {
  await page.goto(`${env.base}/dashboard/inbox${path}`);
  await page.locator('.live-state', { hasText: 'Live' }).waitFor();
}

/** The demo shop in a shopper's own browser, with the widget's chat open. */
async function shopper(): Promise<{ page: Page; widget: Locator }> {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  await page.goto(`${env.base}/demo/`);
  const widget = page.locator('fideliza-widget');
  await widget.getByRole('button', { name: 'Help and contact' }).click();
  await widget.getByRole('dialog').waitFor();
  return { page, widget };
}

describe('inbox in Chromium', () => {
  it('shows a shopper’s new chat live, and the shopper sees the agent’s reply live', async () => {
    const agent = await env.login('agent');
    agent.setDefaultTimeout(10_000);
    await openInbox(agent);
    await agent.locator('.inbox-row').first().waitFor();
    expect(await checkPage(agent, 'inbox-list')).toEqual([]);
    // Anything that reloads the page would drop this.
    await agent.evaluate(() => {
      (window as unknown as { stayed: boolean }).stayed = true;
    });

    const { widget } = await shopper();
    await widget.getByLabel('Message').fill('¿Tenéis las botas Nortera en la talla 43?');
    await widget.getByLabel('Message').press('Enter');
    await widget.locator('.msg.visitor', { hasText: 'talla 43' }).waitFor();

    const row = agent.locator('.inbox-row', { hasText: 'talla 43' });
    await row.waitFor();
    expect(await row.getAttribute('class')).toContain('unread');
    expect(await agent.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);

    await row.locator('a').click();
    await agent.locator('.msg-visitor .msg-text', { hasText: 'talla 43' }).waitFor();
    // Read once opened: the row is no longer unread.
    expect(await row.getAttribute('class')).not.toContain('unread');
    await agent.fill('#inbox-reply', 'Sí, nos quedan dos pares en la 43.');
    await agent.press('#inbox-reply', 'Enter');
    await agent.locator('.msg-agent .msg-author', { hasText: 'agent@' }).waitFor();
    expect(await agent.locator('.msg-sending, .msg-failed').count()).toBe(0);

    await widget.locator('.msg.agent', { hasText: 'dos pares en la 43' }).waitFor();

    // The shopper writes again: it shows in the open conversation without a reload.
    await widget.getByLabel('Message').fill('¡Genial, gracias!');
    await widget.getByLabel('Message').press('Enter');
    await agent.locator('.msg-visitor .msg-text', { hasText: 'Genial' }).waitFor();
    expect(await agent.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
    expect(await checkPage(agent, 'inbox-conversation')).toEqual([]);
  }, 120_000);

  it('takes a complaint from registered to closed, each step by the role it needs', async () => {
    const { conversations } = await staffApi<{ conversations: { id: string }[] }>(
      '/api/conversations?kind=complaint&status=registered',
    );
    const id = conversations[0]?.id;
    if (!id) throw new Error('the demo has no registered complaint');
    const agent = await env.login('agent');
    const validator = await env.login('validator', { locale: 'es' });
    for (const page of [agent, validator]) page.setDefaultTimeout(10_000);
    await openInbox(agent, `/${id}`);
    await validator.goto(`${env.base}/dashboard/inbox/${id}`);
    await validator.locator('.live-state', { hasText: 'En directo' }).waitFor();

    const steps = (page: Page) => page.locator('.complaint .step-buttons button').allTextContents();
    const statusOf = (page: Page) => page.locator('.conv-title .badge').last().textContent();
    /** Chooses a step, writes its text if it takes one, confirms, and waits for the new status. */
    const take = async (page: Page, step: string, text: string | null, status: string) => {
      await page.locator('.complaint .step-buttons button', { hasText: step }).click();
      if (text !== null) await page.locator('.step-form textarea').fill(text);
      await page.locator('.step-form button[type="submit"]').click();
      await page.locator('.conv-title .badge', { hasText: status }).waitFor();
    };
    /** The other browser follows without a reload. */
    const sees = (page: Page, status: string) => page.locator('.conv-title .badge', { hasText: status }).waitFor();

    // Registered: only the agent can write the report; the validator is offered nothing and cannot reply.
    expect(await steps(agent)).toEqual(['Write the technical report']);
    expect(await steps(validator)).toEqual([]);
    expect(await validator.locator('.complaint .notice').textContent()).toBe(
      'En esta fase no hay nada que hacer para tu rol.',
    );
    expect(await validator.locator('#inbox-reply, .conv-controls').count()).toBe(0);

    await take(agent, 'Write the technical report', 'Suela despegada: defecto de fabricación del lote 7.', 'In review');
    await sees(validator, 'En revisión');
    // Validation is the validator's alone.
    expect(await steps(agent)).toEqual([]);
    expect(await steps(validator)).toEqual(['Validar', 'Rechazar el informe']);

    await take(validator, 'Rechazar el informe', 'Falta la foto del lote.', 'Rechazada');
    await sees(agent, 'Rejected');
    expect(await steps(validator)).toEqual([]);
    await take(agent, 'Write the technical report', 'Foto del lote 7 añadida; defecto confirmado.', 'In review');
    await sees(validator, 'En revisión');
    await take(validator, 'Validar', null, 'Validada');
    await sees(agent, 'Validated');
    expect(await steps(validator)).toEqual([]);
    expect(await steps(agent)).toEqual(['Send the response']);
    await take(agent, 'Send the response', 'Le enviamos un par nuevo sin coste.', 'Resolved');
    await take(agent, 'Close the complaint', null, 'Closed');
    await sees(validator, 'Cerrada');
    expect(await statusOf(agent)).toBe('Closed');
    expect(await steps(agent)).toEqual([]);

    const history = await agent.locator('.complaint-history li strong').allTextContents();
    expect(history.map((h) => h.replace(/, by .*/, ''))).toEqual([
      'Registered',
      'Technical report written',
      'Rejected',
      'Technical report written',
      'Validated',
      'Response sent',
      'Closed',
    ]);
    expect(history[2]).toContain('(validator)');
    expect(history[4]).toContain('(validator)');
    // The response reached the customer's conversation as an agent message.
    await agent.locator('.msg-agent .msg-text', { hasText: 'un par nuevo' }).waitFor();

    // Stored as shown: who did each step, with which role.
    const stored = await env.db.kysely
      .selectFrom('complaint_transitions')
      .select(['action', 'actor_role'])
      .where('site_id', '=', env.demo.siteId)
      .where('conversation_id', '=', id)
      .orderBy('transition_id')
      .execute();
    expect(stored.map((s) => `${s.action}:${s.actor_role}`)).toEqual([
      'register:customer',
      'review:agent',
      'reject:validator',
      'review:agent',
      'validate:validator',
      'resolve:agent',
      'close:agent',
    ]);
    expect(await checkPage(validator, 'inbox-complaint')).toEqual([]);
  }, 120_000);
});
