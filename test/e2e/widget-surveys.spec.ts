// The widget's surveys end to end: the SDK loads the built widget on the test shop in Debian's Chromium, against the
// real server; staff define surveys and read results with the secret key. A survey appears only on the pages and
// to the visitors it targets (URL, tracked event with a property filter), is answered by keyboard, its answers show
// in the results, a dismissed one stays away within its frequency cap, and axe-core finds nothing in it.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  SurveyDefinitionInput,
  WireSurvey,
  WireSurveyResponse,
  WireSurveyResults,
} from '../../server/src/protocol/surveys.ts';
import { createSite } from '../../server/src/sites/index.ts';
import { launchChromium } from '../support/browser.ts';
import { buildSdk, buildWidget, type Fideliza, secretKeyCall, startFideliza } from '../support/fideliza.ts';
import { type Shop, startShop } from '../support/shop.ts';

interface AxeViolation {
  id: string;
  impact: string;
  nodes: { failureSummary: string }[];
}

/** The page once axe-core is added (a cast, not a global declaration: widget.spec.ts declares its own). */
interface WithAxe {
  axe: { run(context: Element, options: object): Promise<{ violations: AxeViolation[] }> };
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let browser: Browser;
let fideliza: Fideliza;
let shop: Shop;
let secretKey: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  buildSdk();
  buildWidget();
  shop = await startShop();
  fideliza = await startFideliza(shop.origin);
  shop.host = fideliza.url;
  browser = await launchChromium();
});

afterAll(async () => {
  await Promise.all(contexts.map((c) => c.close().catch(() => {})));
  await browser?.close();
  await fideliza?.stop();
  await shop?.stop();
});

/** A staff call with the current site's secret key; fails the test on any non-2xx answer. */
const staffApi = <T>(path: string, body?: unknown) => secretKeyCall<T>(fideliza.url, secretKey, path, body);

/** A new site with the widget on, served by the test shop, with this one survey active; returns the survey id. */
async function siteWithSurvey(survey: Omit<SurveyDefinitionInput, 'name' | 'status'>): Promise<string> {
  const site = await createSite(fideliza.db.kysely, {
    name: 'Survey shop',
    origins: [shop.origin],
    settings: { widget: { enabled: true, color: '#0b6e4f', position: 'right' } },
  });
  secretKey = site.secretKey;
  shop.writeKey = site.writeKey;
  return (await staffApi<WireSurvey>('/api/surveys', { name: 'E2E survey', status: 'active', ...survey })).id;
}

/** A new visitor (browser context) in this language. */
async function visitor(locale = 'en-US'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale, reducedMotion: 'reduce' });
  context.setDefaultTimeout(5000);
  contexts.push(context);
  return context.newPage();
}

/** The surveys the server answers the widget for `path`, once the request for it has been made. */
async function surveysAnswered(page: Page, path: string, act: () => Promise<unknown>): Promise<unknown[]> {
  const [response] = await Promise.all([
    page.waitForResponse((r) => {
      const url = new URL(r.url());
      return url.pathname === '/v1/widget/surveys' && url.searchParams.get('url') === path;
    }),
    act(),
  ]);
  return ((await response.json()) as { surveys: unknown[] }).surveys;
}

const widgetOf = (page: Page): Locator => page.locator('fideliza-widget');
const cardOf = (page: Page): Locator => widgetOf(page).getByRole('region', { name: /Quick survey|Encuesta breve/ });

/** The widget's survey card count once the server has answered for this page (the card shows right after). */
async function cardCount(page: Page): Promise<number> {
  await widgetOf(page).locator('.launcher').waitFor();
  return cardOf(page).count();
}

const localized = (en: string, es: string) => ({ en, es });

describe('widget surveys in Chromium against the real server', () => {
  it('shows a URL-targeted survey only on its page; answered by keyboard, it shows in the results and not again', async () => {
    const id = await siteWithSurvey({
      questions: [
        { id: 'nps', kind: 'nps', title: localized('Would you recommend us?', '¿Nos recomendarías?') },
        {
          id: 'fit',
          kind: 'single_choice',
          title: localized('How did it fit?', '¿Qué tal la talla?'),
          choices: [
            { id: 'small', label: localized('Small', 'Pequeña') },
            { id: 'right', label: localized('Right', 'Justa') },
          ],
        },
        {
          id: 'why',
          kind: 'multiple_choice',
          title: localized('Why did you choose us?', '¿Por qué nos elegiste?'),
          choices: [
            { id: 'price', label: localized('Price', 'Precio') },
            { id: 'look', label: localized('Look', 'Diseño') },
            { id: 'speed', label: localized('Fast delivery', 'Entrega rápida') },
          ],
        },
        { id: 'more', kind: 'text', required: false, title: localized('Anything else?', '¿Algo más?') },
      ],
      targeting: { urls: ['/shop/cart'] },
    });
    const page = await visitor();
    expect(await surveysAnswered(page, '/shop/', () => page.goto(`${shop.origin}/shop/`))).toEqual([]);
    expect(await cardCount(page)).toBe(0);

    // The shop is a single-page app: moving to the cart asks again, and the survey appears there.
    const there = await surveysAnswered(page, '/shop/cart', () => page.click('#cart-link'));
    expect(there).toHaveLength(1);
    const card = cardOf(page);
    await card.waitFor();
    // Keyboard only, as a shopper without a mouse: radios move with arrows, boxes toggle with Space.
    await card.getByRole('button', { name: 'Close the survey' }).focus();
    await page.keyboard.press('Tab');
    for (let i = 0; i < 9; i++) await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    await page.keyboard.type('  Más colores, por favor ');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await card.getByRole('status').filter({ hasText: 'Thank you' }).waitFor();

    const results = await staffApi<WireSurveyResults>(`/api/surveys/${id}/results`);
    expect(results).toMatchObject({ responses: 1, seen: 1, dismissed: 0 });
    const byId = Object.fromEntries(results.questions.map((q) => [q.id, q]));
    expect(byId.nps?.nps).toEqual({ score: 100, promoters: 1, passives: 0, detractors: 0 });
    expect(byId.nps?.counts?.['9']).toBe(1);
    expect(byId.fit?.counts).toEqual({ small: 0, right: 1 });
    expect(byId.why?.counts).toEqual({ price: 1, look: 0, speed: 1 });
    const { responses } = await staffApi<{ responses: WireSurveyResponse[] }>(`/api/surveys/${id}/responses`);
    expect(responses.map((r) => [r.answers, r.url])).toEqual([
      [{ nps: 9, fit: 'right', why: ['price', 'speed'], more: 'Más colores, por favor' }, `${shop.origin}/shop/cart`],
    ]);

    // Closing the thanks is no dismissal; on the next visit to the page the survey (once per visitor) stays away.
    await card.getByRole('button', { name: 'Close the survey' }).click();
    await card.waitFor({ state: 'detached' });
    expect(await surveysAnswered(page, '/shop/cart', () => page.reload())).toEqual([]);
    expect(await cardCount(page)).toBe(0);
    expect(await staffApi<WireSurveyResults>(`/api/surveys/${id}/results`)).toMatchObject({ dismissed: 0 });
  });

  it('does not bring back a dismissed survey within its cap, but still shows it to another visitor', async () => {
    const id = await siteWithSurvey({
      questions: [{ id: 'csat', kind: 'csat', title: localized('How was your visit?', '¿Qué tal tu visita?') }],
      targeting: { urls: ['/shop/**'] },
      frequency: { mode: 'every', days: 30 },
    });
    const page = await visitor();
    expect(await surveysAnswered(page, '/shop/promo', () => page.goto(`${shop.origin}/shop/promo`))).toHaveLength(1);
    const card = cardOf(page);
    await card.getByRole('radio', { name: '4' }).focus();
    // The widget reports the dismissal after the card is gone: the results are read once the server has it.
    const dismissal = page.waitForResponse((r) => r.url().endsWith(`/v1/widget/surveys/${id}/dismiss`) && r.ok());
    await page.keyboard.press('Escape');
    await card.waitFor({ state: 'detached' });
    await dismissal;
    // Focus goes back to the launcher rather than getting lost.
    expect(
      await page.evaluate(() => document.querySelector('fideliza-widget')?.shadowRoot?.activeElement?.className),
    ).toBe('launcher');
    expect(await staffApi<WireSurveyResults>(`/api/surveys/${id}/results`)).toMatchObject({
      responses: 0,
      seen: 1,
      dismissed: 1,
    });

    expect(await surveysAnswered(page, '/shop/promo', () => page.reload())).toEqual([]);
    expect(await cardCount(page)).toBe(0);
    expect(await surveysAnswered(page, '/shop/other', () => page.goto(`${shop.origin}/shop/other`))).toEqual([]);
    expect(await cardCount(page)).toBe(0);

    const other = await visitor();
    expect(await surveysAnswered(other, '/shop/promo', () => other.goto(`${shop.origin}/shop/promo`))).toHaveLength(1);
    await cardOf(other).waitFor();
  });

  it('shows an event-targeted survey once the visitor did the event with matching properties', async () => {
    await siteWithSurvey({
      questions: [{ id: 'nps', kind: 'nps', title: localized('Would you recommend us?', '¿Nos recomendarías?') }],
      targeting: {
        event: { name: 'Product Added', filters: [{ property: 'price', op: 'gte', value: 80 }] },
      },
    });
    const page = await visitor();
    expect(await surveysAnswered(page, '/shop/', () => page.goto(`${shop.origin}/shop/`))).toEqual([]);
    // A cheaper product does not match the filter.
    await page.locator('[data-product-id=p1] .add').click();
    expect(await surveysAnswered(page, '/shop/cart', () => page.click('#cart-link'))).toEqual([]);
    expect(await cardCount(page)).toBe(0);
    // The widget flushes the SDK before asking, so the event tracked just before moving page already counts.
    expect(await surveysAnswered(page, '/shop/', () => page.click('#home-link'))).toEqual([]);
    await page.locator('[data-product-id=p2] .add').click();
    expect(await surveysAnswered(page, '/shop/cart', () => page.click('#cart-link'))).toHaveLength(1);
    await cardOf(page).waitFor();
  });

  it('has no axe-core violations in the survey card: questions, errors and thanks, in Spanish', async () => {
    await siteWithSurvey({
      questions: [
        { id: 'nps', kind: 'nps', title: localized('Would you recommend us?', '¿Nos recomendarías?') },
        { id: 'csat', kind: 'csat', required: false, title: localized('How was delivery?', '¿Qué tal la entrega?') },
        {
          id: 'fit',
          kind: 'single_choice',
          title: localized('How did it fit?', '¿Qué tal la talla?'),
          choices: [
            { id: 'small', label: localized('Small', 'Pequeña') },
            { id: 'right', label: localized('Right', 'Justa') },
          ],
        },
        {
          id: 'why',
          kind: 'multiple_choice',
          maxSelected: 2,
          title: localized('Why did you choose us?', '¿Por qué nos elegiste?'),
          choices: [
            { id: 'price', label: localized('Price', 'Precio') },
            { id: 'look', label: localized('Look', 'Diseño') },
            { id: 'speed', label: localized('Fast delivery', 'Entrega rápida') },
          ],
        },
        { id: 'more', kind: 'text', required: false, title: localized('Anything else?', '¿Algo más?') },
      ],
    });
    const page = await visitor('es-ES');
    await page.goto(`${shop.origin}/shop/`);
    const card = cardOf(page);
    await card.waitFor();
    await page.addScriptTag({ content: axeSource });
    const audit = async (view: string) => {
      const { violations } = await widgetOf(page).evaluate(
        (host) => (window as unknown as WithAxe).axe.run(host, { resultTypes: ['violations'] }),
        undefined,
      );
      return violations.map((v) => `${view}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.failureSummary).join('; ')}`);
    };
    const found = [...(await audit('survey'))];
    expect(await card.getByRole('heading').textContent()).toBe('Encuesta breve');
    await card.getByRole('button', { name: 'Enviar' }).click();
    await card.getByRole('alert').filter({ hasText: 'Responde a esta pregunta.' }).waitFor();
    found.push(...(await audit('survey with an error')));
    await card.getByRole('radio', { name: '7' }).check();
    await card.getByRole('radio', { name: 'Justa' }).check();
    for (const name of ['Precio', 'Diseño', 'Entrega rápida']) await card.getByRole('checkbox', { name }).check();
    await card.getByRole('button', { name: 'Enviar' }).click();
    await card.getByRole('alert').filter({ hasText: 'Elige entre 1 y 2 opciones.' }).waitFor();
    found.push(...(await audit('survey with too many choices')));
    await card.getByRole('checkbox', { name: 'Diseño' }).uncheck();
    await card.getByRole('button', { name: 'Enviar' }).click();
    await card.getByRole('status').filter({ hasText: 'Gracias' }).waitFor();
    found.push(...(await audit('survey thanks')));
    expect(found).toEqual([]);
  });
});
