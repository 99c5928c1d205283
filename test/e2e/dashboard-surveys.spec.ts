// Surveys in Chromium against the real server on the demo data: a marketer creates a survey (NPS and a choice
// question, shown on the shop's product pages), starts it, and reads the results of the demo's own survey — the
// scores, the distributions and the written answers the API holds — and downloads them as CSV. Axe-clean and
// screenshotted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WireSurvey, WireSurveyResponse, WireSurveyResults } from '../../server/src/protocol/index.ts';
import { checkPage, type DashboardEnv, startDashboard } from '../support/dashboard.ts';

let env: DashboardEnv;

beforeAll(async () => {
  env = await startDashboard({ customers: 60, days: 30 });
}, 180_000);

afterAll(async () => {
  await env?.stop();
});

async function apiGet<T>(path: string): Promise<T> {
  const res = await fetch(`${env.base}${path}`, { headers: { authorization: `Bearer ${env.demo.secretKey}` } });
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}

describe('dashboard surveys', () => {
  it('creates a survey, starts it, and shows the results of the demo survey', async () => {
    const page = await env.login('marketer');
    await page.click('nav[aria-label] a[href="/dashboard/surveys"]');
    await page.waitForSelector('table tbody tr');
    const { surveys: before } = await apiGet<{ surveys: WireSurvey[] }>('/api/surveys');
    const demo = before[0] as WireSurvey;
    const demoResults = await apiGet<WireSurveyResults>(`/api/surveys/${demo.id}/results`);
    expect(demoResults.responses).toBeGreaterThan(0);
    const demoRow = page.locator('tbody tr', { hasText: demo.name });
    await expect.poll(() => demoRow.locator('td').nth(3).textContent()).toBe(String(demoResults.responses));
    expect(await checkPage(page, 'surveys-list')).toEqual([]);

    // A new survey: an NPS question in Spanish and English, and a single choice one, on product pages.
    await page.click('a[href="/dashboard/surveys/new"]');
    await page.getByLabel('Name', { exact: true }).fill('Opinión sobre la ficha de producto');
    const first = page.locator('fieldset.survey-question').nth(0);
    await first.getByLabel('Question in Spanish').fill('¿Recomendarías esta tienda?');
    await first.getByLabel('Question in English').fill('Would you recommend this shop?');
    await page.getByLabel('Add a question', { exact: true }).selectOption('single_choice');
    await page.getByRole('button', { name: 'Add a question' }).click();
    const second = page.locator('fieldset.survey-question').nth(1);
    await second.getByLabel('Question in English').fill('Did you find your size?');
    await second.getByLabel('Spanish', { exact: true }).nth(0).fill('Sí');
    await second.getByLabel('English', { exact: true }).nth(0).fill('Yes');
    await second.getByLabel('Spanish', { exact: true }).nth(1).fill('No');
    await second.getByLabel('English', { exact: true }).nth(1).fill('No');
    await page.getByLabel('Only on pages').fill('/demo/p/*');
    await page.getByLabel('Wait before showing (seconds)').fill('10');
    expect(await checkPage(page, 'surveys-editor')).toEqual([]);
    await page.getByRole('button', { name: 'Save' }).click();

    // Saved as a draft; its page offers to start it.
    await page.waitForSelector('main h2:text-is("Opinión sobre la ficha de producto")');
    const id = new URL(page.url()).pathname.split('/').at(-1) ?? '';
    const saved = await apiGet<WireSurvey>(`/api/surveys/${id}`);
    expect(saved).toMatchObject({
      status: 'draft',
      questions: [
        { kind: 'nps', title: { es: '¿Recomendarías esta tienda?', en: 'Would you recommend this shop?' } },
        {
          kind: 'single_choice',
          choices: [
            { id: 'c1', label: { es: 'Sí', en: 'Yes' } },
            { id: 'c2', label: { es: 'No', en: 'No' } },
          ],
        },
      ],
      targeting: { urls: ['/demo/p/*'], delaySeconds: 10 },
      frequency: { mode: 'once' },
    });
    await page.getByRole('button', { name: `Start: ${saved.name}` }).click();
    await page.waitForSelector('.page-header .survey-status-active');
    expect((await apiGet<WireSurvey>(`/api/surveys/${id}`)).status).toBe('active');
    await page.waitForSelector('text=No answers yet.');

    // The demo survey's results, as the API counts them.
    await page.getByRole('link', { name: 'All surveys' }).click();
    await page.getByRole('link', { name: demo.name, exact: true }).click();
    await page.waitForSelector('.survey-result');
    const figure = async (label: string) =>
      (await page
        .locator('.kpi', { has: page.locator(`.label:text-is("${label}")`) })
        .locator('.value')
        .textContent()) ?? '';
    expect(await figure('Responses')).toBe(String(demoResults.responses));
    const nps = demoResults.questions.find((q) => q.kind === 'nps')?.nps?.score;
    const csat = demoResults.questions.find((q) => q.kind === 'csat')?.csat?.score;
    expect(await figure('NPS')).toBe(
      nps === null || nps === undefined ? '—' : new Intl.NumberFormat('en', { maximumFractionDigits: 1 }).format(nps),
    );
    expect(await figure('CSAT (4–5)')).toContain(
      new Intl.NumberFormat('en', { maximumFractionDigits: 1 }).format(csat ?? 0),
    );
    // One bar per NPS value, one per choice of the choice question.
    const choice = demo.questions.find((q) => q.kind === 'single_choice');
    if (choice?.kind !== 'single_choice') throw new Error('the demo survey has no choice question');
    expect(
      await page
        .locator('figure', { hasText: choice.title.en ?? '' })
        .locator('rect')
        .count(),
    ).toBe(choice.choices.length);
    // The written answers of the first page of responses.
    const { responses } = await apiGet<{ responses: WireSurveyResponse[] }>(
      `/api/surveys/${demo.id}/responses?limit=20`,
    );
    const texts = responses.flatMap((r) => (typeof r.answers.comment === 'string' ? [r.answers.comment] : []));
    if (texts.length > 0) await page.waitForSelector('.survey-texts blockquote');
    expect(await page.locator('.survey-texts blockquote').allTextContents()).toEqual(texts);
    expect(await checkPage(page, 'surveys-results')).toEqual([]);

    // The CSV link downloads every response with the session.
    const csv = await page.evaluate(
      async (href) => {
        const res = await fetch(href);
        return { status: res.status, text: await res.text() };
      },
      (await page.locator('a[download]').getAttribute('href')) ?? '',
    );
    expect(csv.status).toBe(200);
    expect(csv.text.trim().split('\n').length).toBe(demoResults.responses + 1);
  }, 150_000);

  it('speaks Spanish', async () => {
    const page = await env.login('marketer', { locale: 'es' });
    await page.selectOption('.shell-header select', 'es');
    await page.click('nav[aria-label] a[href="/dashboard/surveys"]');
    await page.waitForSelector('table tbody tr');
    expect(await page.textContent('main h2')).toBe('Encuestas');
    expect(await page.textContent('thead')).toContain('Respuestas');
    await page.click('a[href="/dashboard/surveys/new"]');
    await page.waitForSelector('form.survey-editor');
    expect(await page.textContent('main')).toContain('Quién la ve, y dónde');
    expect(await checkPage(page, 'surveys-editor-es')).toEqual([]);
  }, 90_000);
});
