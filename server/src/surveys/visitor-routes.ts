// The widget's survey routes (/v1/widget/surveys*): what to show on this page, seen/dismissed, and answers.
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { type Kysely, sql } from 'kysely';
import { readJson, readQuery, tooMany, type VisitorEnv } from '../conversations/index.ts';
import type { Database } from '../db/index.ts';
import { AppError } from '../http/errors.ts';
import { surveyResponseSchema, surveysForPageQuerySchema, type WidgetSurveys } from '../protocol/index.ts';
import { answersSchema } from './answers.ts';
import { pathOf } from './glob.ts';
import type { SurveyLimits } from './limits.ts';
import { findSurvey, insertResponse, lastContacts, recordImpression } from './queries.ts';
import { capAllows, type SegmentMembership, surveysToShow } from './targeting.ts';

export interface SurveyDeps {
  db: Kysely<Database>;
  /** The conversations capability's visitor-token check, shared so both use one secret cache. */
  visitor: MiddlewareHandler<VisitorEnv>;
  limits: SurveyLimits;
  now: () => Date;
  segmentMembership?: SegmentMembership | undefined;
}

export function surveyVisitorRoutes(deps: SurveyDeps) {
  const { db, visitor, limits } = deps;

  /** A survey the visitor may talk about: any but drafts (which no visitor can have been shown). */
  const surveyOf = async (c: Context<VisitorEnv>) => {
    const survey = await findSurvey(db, c.get('visitor').siteId, c.req.param('id') ?? '');
    if (!survey || survey.status === 'draft') throw new AppError(404, 'not_found', 'no such survey');
    return survey;
  };
  const admit = (c: Context<VisitorEnv>, limit: keyof SurveyLimits) => {
    const v = c.get('visitor');
    const wait = limits[limit].take(`${v.siteId} ${v.anonymousId}`);
    if (wait > 0) throw tooMany(wait, limit === 'responses' ? 'survey responses' : 'survey reports');
  };
  const impression = (kind: 'seen' | 'dismissed') => async (c: Context<VisitorEnv>) => {
    const survey = await surveyOf(c);
    admit(c, 'impressions');
    await recordImpression(db, c.get('visitor'), survey.survey_id, kind, deps.now());
    return c.body(null, 204);
  };

  return new Hono<VisitorEnv>()
    .get('/v1/widget/surveys', visitor, async (c) => {
      const q = readQuery(c, surveysForPageQuerySchema);
      const path = pathOf(q.url) ?? '/';
      const body: WidgetSurveys = { surveys: await surveysToShow(deps, c.get('visitor'), path, q.max) };
      return c.json(body, 200);
    })
    .post('/v1/widget/surveys/:id/seen', visitor, impression('seen'))
    .post('/v1/widget/surveys/:id/dismiss', visitor, impression('dismissed'))
    .post('/v1/widget/surveys/:id/responses', visitor, async (c) => {
      const input = await readJson(c, surveyResponseSchema);
      const survey = await surveyOf(c);
      if (survey.status !== 'active') throw new AppError(409, 'survey_closed', 'this survey no longer takes answers');
      admit(c, 'responses');
      const parsed = answersSchema(survey.questions).safeParse(input.answers);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const field = ['answers', ...(issue?.path ?? []).map(String)].join('.');
        throw new AppError(400, 'invalid_answers', `${field}: ${issue?.message ?? 'invalid'}`, field);
      }
      // The visitor is the token's, never the body's: nobody can answer as someone else.
      const v = c.get('visitor');
      const response = await db.transaction().execute(async (tx) => {
        // Two concurrent answers of one visitor (or of one user on two devices) take turns, so the cap check
        // below sees the other one. Anonymous-id locks are always taken before user-id locks: no deadlock.
        const key = (who: string) => `survey ${v.siteId} ${survey.survey_id} ${who}`;
        for (const who of [`a ${v.anonymousId}`, ...(v.userId ? [`u ${v.userId}`] : [])]) {
          await sql`select pg_advisory_xact_lock(hashtextextended(${key(who)}, 0))`.execute(tx);
        }
        const now = deps.now();
        const last = (await lastContacts(tx, v, [survey.survey_id])).get(survey.survey_id)?.lastAnswered ?? null;
        if (!capAllows(survey.frequency, last, now)) {
          throw new AppError(409, 'already_answered', 'you already answered this survey');
        }
        return insertResponse(tx, v, survey.survey_id, parsed.data, input.url ?? null, now);
      });
      return c.json({ id: response.response_id, createdAt: response.created_at.toISOString() }, 201);
    });
}
