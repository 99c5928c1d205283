// Reading and writing surveys, responses and impressions; every query is scoped to one site.
import { randomUUID } from 'node:crypto';
import {
  type Expression,
  type ExpressionBuilder,
  type Kysely,
  type Selectable,
  type SqlBool,
  sql,
  type Transaction,
} from 'kysely';
import type { PersonIds } from '../conversations/index.ts';
import type { Database } from '../db/index.ts';
import type {
  SurveyAnswer,
  SurveyDefinition,
  SurveyStatus,
  WidgetSurvey,
  WireSurvey,
  WireSurveyResponse,
} from '../protocol/index.ts';
import type { SurveyResponsesTable, SurveysTable } from './tables.ts';

type Db = Kysely<Database> | Transaction<Database>;
export type SurveyRow = Selectable<SurveysTable>;
export type ResponseRow = Selectable<SurveyResponsesTable>;

/** The visitor a token speaks for. */
export interface Visitor {
  siteId: string;
  anonymousId: string;
  userId: string | null;
}

export function toWireSurvey(row: SurveyRow): WireSurvey {
  return {
    id: row.survey_id,
    name: row.name,
    status: row.status,
    questions: row.questions,
    targeting: row.targeting,
    frequency: row.frequency,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export const toWidgetSurvey = (row: SurveyRow): WidgetSurvey => ({
  id: row.survey_id,
  questions: row.questions,
  delaySeconds: row.targeting.delaySeconds,
});

export function toWireResponse(row: ResponseRow): WireSurveyResponse {
  return {
    id: row.response_id,
    surveyId: row.survey_id,
    anonymousId: row.anonymous_id,
    userId: row.user_id,
    url: row.url,
    answers: row.answers,
    createdAt: row.created_at.toISOString(),
  };
}

const definitionColumns = (d: SurveyDefinition) => ({
  name: d.name,
  status: d.status,
  // JSON columns take text: Kysely's JSONColumnType inserts strings (pg would send arrays as Postgres arrays).
  questions: JSON.stringify(d.questions),
  targeting: JSON.stringify(d.targeting),
  frequency: JSON.stringify(d.frequency),
});

export async function insertSurvey(db: Db, siteId: string, d: SurveyDefinition, now: Date): Promise<SurveyRow> {
  return db
    .insertInto('surveys')
    .values({ site_id: siteId, survey_id: randomUUID(), ...definitionColumns(d), created_at: now, updated_at: now })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function replaceSurvey(
  db: Db,
  siteId: string,
  surveyId: string,
  d: SurveyDefinition,
  now: Date,
): Promise<SurveyRow | undefined> {
  return db
    .updateTable('surveys')
    .set({ ...definitionColumns(d), updated_at: now })
    .where('site_id', '=', siteId)
    .where('survey_id', '=', surveyId)
    .returningAll()
    .executeTakeFirst();
}

export async function setSurveyStatus(
  db: Db,
  siteId: string,
  surveyId: string,
  status: SurveyStatus,
  now: Date,
): Promise<SurveyRow | undefined> {
  return db
    .updateTable('surveys')
    .set({ status, updated_at: now })
    .where('site_id', '=', siteId)
    .where('survey_id', '=', surveyId)
    .returningAll()
    .executeTakeFirst();
}

export async function findSurvey(db: Db, siteId: string, surveyId: string): Promise<SurveyRow | undefined> {
  return db
    .selectFrom('surveys')
    .selectAll()
    .where('site_id', '=', siteId)
    .where('survey_id', '=', surveyId)
    .executeTakeFirst();
}

/** Oldest first, so the order in which surveys compete for a page is the order they were made in. */
export async function listSurveys(db: Db, siteId: string, status?: SurveyStatus): Promise<SurveyRow[]> {
  let q = db.selectFrom('surveys').selectAll().where('site_id', '=', siteId);
  q = status ? q.where('status', '=', status) : q.where('status', '!=', 'archived');
  return q.orderBy('seq').execute();
}

export async function insertResponse(
  db: Db,
  v: Visitor,
  surveyId: string,
  answers: Record<string, SurveyAnswer>,
  url: string | null,
  now: Date,
): Promise<ResponseRow> {
  return db
    .insertInto('survey_responses')
    .values({
      site_id: v.siteId,
      response_id: randomUUID(),
      survey_id: surveyId,
      anonymous_id: v.anonymousId,
      user_id: v.userId,
      url,
      answers: JSON.stringify(answers),
      created_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** `limit` rows past the cursor (a `seq`), newest first unless asked otherwise; nextCursor when there are more. */
export async function pageResponses(
  db: Db,
  siteId: string,
  surveyId: string,
  page: { cursor?: string | undefined; limit: number; newestFirst?: boolean },
): Promise<{ rows: ResponseRow[]; nextCursor: string | null }> {
  const newestFirst = page.newestFirst ?? true;
  let q = db.selectFrom('survey_responses').selectAll().where('site_id', '=', siteId).where('survey_id', '=', surveyId);
  if (page.cursor) q = q.where('seq', newestFirst ? '<' : '>', Number(page.cursor));
  const rows = await q
    .orderBy('seq', newestFirst ? 'desc' : 'asc')
    .limit(page.limit + 1)
    .execute();
  const more = rows.length > page.limit;
  if (more) rows.pop();
  const last = rows.at(-1);
  return { rows, nextCursor: more && last ? String(last.seq) : null };
}

/** Records that a visitor was shown (or closed) a survey: one row per kind, keeping the count and last time. */
export async function recordImpression(
  db: Db,
  v: Visitor,
  surveyId: string,
  kind: 'seen' | 'dismissed',
  now: Date,
): Promise<void> {
  await db
    .insertInto('survey_impressions')
    .values({
      site_id: v.siteId,
      survey_id: surveyId,
      anonymous_id: v.anonymousId,
      kind,
      user_id: v.userId,
      times: 1,
      last_at: now,
    })
    .onConflict((oc) =>
      oc.columns(['site_id', 'survey_id', 'anonymous_id', 'kind']).doUpdateSet({
        times: sql`survey_impressions.times + 1`,
        last_at: sql`greatest(survey_impressions.last_at, excluded.last_at)`,
        user_id: sql`coalesce(excluded.user_id, survey_impressions.user_id)`,
      }),
    )
    .execute();
}

/**
 * A where-callback for rows of this person, in either of this capability's person tables: by their anonymous
 * ids, or by their (proven) user ids across devices.
 */
export function ofPerson(ids: PersonIds) {
  return <T extends 'survey_responses' | 'survey_impressions'>(eb: ExpressionBuilder<Database, T>) => {
    // sql.ref: both tables name these columns alike, and the callback serves either.
    const either: Expression<SqlBool>[] = [];
    if (ids.anonymousIds.length > 0) either.push(eb(sql.ref('anonymous_id'), 'in', ids.anonymousIds));
    if (ids.userIds.length > 0) either.push(eb(sql.ref('user_id'), 'in', ids.userIds));
    return either.length > 0 ? eb.or(either) : eb.val(false);
  };
}

export const personOf = (v: Visitor): PersonIds => ({
  anonymousIds: [v.anonymousId],
  userIds: v.userId ? [v.userId] : [],
});

/**
 * When this visitor last had each survey in front of them (seen, dismissed or answered), and when they last
 * answered it, for the frequency caps.
 */
export async function lastContacts(
  db: Db,
  v: Visitor,
  surveyIds: string[],
): Promise<Map<string, { lastShown: Date | null; lastAnswered: Date | null }>> {
  const out = new Map<string, { lastShown: Date | null; lastAnswered: Date | null }>();
  if (surveyIds.length === 0) return out;
  const person = personOf(v);
  const [answered, shown] = await Promise.all([
    db
      .selectFrom('survey_responses')
      .where('site_id', '=', v.siteId)
      .where('survey_id', 'in', surveyIds)
      .where(ofPerson(person))
      .select(['survey_id', (eb) => eb.fn.max('created_at').as('at')])
      .groupBy('survey_id')
      .execute(),
    db
      .selectFrom('survey_impressions')
      .where('site_id', '=', v.siteId)
      .where('survey_id', 'in', surveyIds)
      .where(ofPerson(person))
      .select(['survey_id', (eb) => eb.fn.max('last_at').as('at')])
      .groupBy('survey_id')
      .execute(),
  ]);
  const later = (a: Date | null, b: Date | null) => (a && b ? (a > b ? a : b) : (a ?? b));
  for (const id of surveyIds) out.set(id, { lastShown: null, lastAnswered: null });
  for (const r of answered) {
    const at = new Date(r.at);
    out.set(r.survey_id, { lastShown: at, lastAnswered: at });
  }
  for (const r of shown) {
    const prev = out.get(r.survey_id);
    if (prev) prev.lastShown = later(prev.lastShown, new Date(r.at));
  }
  return out;
}
