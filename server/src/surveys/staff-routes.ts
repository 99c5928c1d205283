// Staff survey APIs (secret key for now; staff sessions later): definitions, results, responses, CSV export.
import { type Context, Hono } from 'hono';
import { readJson, readQuery } from '../conversations/index.ts';
import { AppError } from '../http/errors.ts';
import { requireSecretKey, type SiteEnv } from '../http/middleware/secret-key.ts';
import { listSurveysQuerySchema, surveyDefinitionSchema, surveyResponsesQuerySchema } from '../protocol/index.ts';
import { responsesCsv } from './csv.ts';
import {
  findSurvey,
  insertSurvey,
  listSurveys,
  pageResponses,
  replaceSurvey,
  setSurveyStatus,
  toWireResponse,
  toWireSurvey,
} from './queries.ts';
import { surveyResults } from './results.ts';
import type { SurveyDeps } from './visitor-routes.ts';

export function surveyStaffRoutes(deps: SurveyDeps) {
  const { db } = deps;
  const secretKey = requireSecretKey(db);
  const notFound = () => new AppError(404, 'not_found', 'no such survey');
  const surveyOf = async (c: Context<SiteEnv>) => {
    const survey = await findSurvey(db, c.get('site').siteId, c.req.param('id') ?? '');
    if (!survey) throw notFound();
    return survey;
  };

  return new Hono<SiteEnv>()
    .get('/api/surveys', secretKey, async (c) => {
      const { status } = readQuery(c, listSurveysQuerySchema);
      return c.json({ surveys: (await listSurveys(db, c.get('site').siteId, status)).map(toWireSurvey) }, 200);
    })
    .post('/api/surveys', secretKey, async (c) => {
      const definition = await readJson(c, surveyDefinitionSchema);
      return c.json(toWireSurvey(await insertSurvey(db, c.get('site').siteId, definition, deps.now())), 201);
    })
    .get('/api/surveys/:id', secretKey, async (c) => c.json(toWireSurvey(await surveyOf(c)), 200))
    .put('/api/surveys/:id', secretKey, async (c) => {
      const definition = await readJson(c, surveyDefinitionSchema);
      const row = await replaceSurvey(db, c.get('site').siteId, c.req.param('id'), definition, deps.now());
      if (!row) throw notFound();
      return c.json(toWireSurvey(row), 200);
    })
    .post('/api/surveys/:id/archive', secretKey, async (c) => {
      const row = await setSurveyStatus(db, c.get('site').siteId, c.req.param('id'), 'archived', deps.now());
      if (!row) throw notFound();
      return c.json(toWireSurvey(row), 200);
    })
    .get('/api/surveys/:id/results', secretKey, async (c) => c.json(await surveyResults(db, await surveyOf(c)), 200))
    .get('/api/surveys/:id/responses', secretKey, async (c) => {
      const q = readQuery(c, surveyResponsesQuerySchema);
      const survey = await surveyOf(c);
      const { rows, nextCursor } = await pageResponses(db, survey.site_id, survey.survey_id, q);
      return c.json({ responses: rows.map(toWireResponse), nextCursor }, 200);
    })
    .get('/api/surveys/:id/responses.csv', secretKey, async (c) => {
      const survey = await surveyOf(c);
      return new Response(responsesCsv(db, survey), {
        headers: {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="survey-${survey.survey_id}.csv"`,
        },
      });
    });
}
