// Survey results: answers counted per value or choice in SQL, and NPS / CSAT computed from those counts.
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/index.ts';
import type { SurveyQuestion, SurveyQuestionResult, WireSurveyResults } from '../protocol/index.ts';
import type { SurveyRow } from './queries.ts';

const oneDecimal = (x: number) => Math.round(x * 10) / 10;
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String(from + i));

/** NPS = % promoters (9–10) − % detractors (0–6) of those who answered. */
export function npsOf(counts: Record<string, number>): NonNullable<SurveyQuestionResult['nps']> {
  let promoters = 0;
  let passives = 0;
  let detractors = 0;
  for (const [value, n] of Object.entries(counts)) {
    const score = Number(value);
    if (score >= 9) promoters += n;
    else if (score >= 7) passives += n;
    else detractors += n;
  }
  const answered = promoters + passives + detractors;
  return {
    score: answered === 0 ? null : oneDecimal(((promoters - detractors) * 100) / answered),
    promoters,
    passives,
    detractors,
  };
}

/** CSAT = % of answers that are 4 or 5; also the mean rating. */
export function csatOf(counts: Record<string, number>): NonNullable<SurveyQuestionResult['csat']> {
  let answered = 0;
  let satisfied = 0;
  let sum = 0;
  for (const [value, n] of Object.entries(counts)) {
    const score = Number(value);
    answered += n;
    sum += score * n;
    if (score >= 4) satisfied += n;
  }
  return answered === 0
    ? { score: null, average: null }
    : { score: oneDecimal((satisfied * 100) / answered), average: Math.round((sum / answered) * 100) / 100 };
}

async function countAnswers(db: Kysely<Database>, survey: SurveyRow, q: SurveyQuestion) {
  const base = db
    .selectFrom('survey_responses')
    .where('site_id', '=', survey.site_id)
    .where('survey_id', '=', survey.survey_id);
  const answer = sql`${sql.ref('answers')} -> ${q.id}::text`;
  const answered = await base
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where(sql<boolean>`${answer} is not null`)
    .executeTakeFirstOrThrow();
  if (q.kind === 'text') return { answered: Number(answered.n), counts: undefined };
  // Multiple choice answers are arrays: one row per chosen id; the other kinds are one scalar.
  const value =
    q.kind === 'multiple_choice' ? sql<string>`jsonb_array_elements_text(${answer})` : sql<string>`${answer} #>> '{}'`;
  const rows = await db
    .selectFrom(base.select(value.as('value')).as('a'))
    .select(['a.value', (eb) => eb.fn.countAll<string>().as('n')])
    .where('a.value', 'is not', null)
    .groupBy('a.value')
    .execute();
  const keys = q.kind === 'nps' ? range(0, 10) : q.kind === 'csat' ? range(1, 5) : q.choices.map((c) => c.id);
  // Zeros for values nobody picked; values no longer offered (after an edit) are kept too.
  const counts: Record<string, number> = Object.fromEntries(keys.map((k) => [k, 0]));
  for (const r of rows) counts[r.value] = Number(r.n);
  return { answered: Number(answered.n), counts };
}

export async function surveyResults(db: Kysely<Database>, survey: SurveyRow): Promise<WireSurveyResults> {
  const questions: SurveyQuestionResult[] = [];
  for (const q of survey.questions) {
    const { answered, counts } = await countAnswers(db, survey, q);
    const result: SurveyQuestionResult = { id: q.id, kind: q.kind, answered };
    if (counts) result.counts = counts;
    if (q.kind === 'nps' && counts) result.nps = npsOf(counts);
    if (q.kind === 'csat' && counts) result.csat = csatOf(counts);
    questions.push(result);
  }
  const [responses, impressions] = await Promise.all([
    db
      .selectFrom('survey_responses')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('site_id', '=', survey.site_id)
      .where('survey_id', '=', survey.survey_id)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('survey_impressions')
      .select(['kind', (eb) => eb.fn.countAll<string>().as('n')])
      .where('site_id', '=', survey.site_id)
      .where('survey_id', '=', survey.survey_id)
      .groupBy('kind')
      .execute(),
  ]);
  const impressionsOf = (kind: string) => Number(impressions.find((r) => r.kind === kind)?.n ?? 0);
  return {
    surveyId: survey.survey_id,
    responses: Number(responses.n),
    seen: impressionsOf('seen'),
    dismissed: impressionsOf('dismissed'),
    questions,
  };
}
