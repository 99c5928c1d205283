// Staff survey APIs (staff session or secret key): definitions, results, responses, CSV export. Bodies and
// queries go through jsonBody/queryParams, so the dashboard's typed client knows their shapes.
import { type Context, Hono } from 'hono';
import { audit } from '../auth/index.ts';
import { AppError } from '../http/errors.ts';
import { jsonBody } from '../http/json-body.ts';
import type { SiteEnv } from '../http/middleware/secret-key.ts';
import { requireStaff } from '../http/middleware/staff.ts';
import { queryParams } from '../http/query.ts';
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
  // A staff session with the route's role (auth/policy.ts), or the site's secret key.
  const guard = requireStaff(db);
  const notFound = () => new AppError(404, 'not_found', 'no such survey');
  const surveyOf = async (c: Context<SiteEnv>) => {
    const survey = await findSurvey(db, c.get('site').siteId, c.req.param('id') ?? '');
    if (!survey) throw notFound();
    return survey;
  };

  return new Hono<SiteEnv>()
    .get('/api/surveys', guard, queryParams(listSurveysQuerySchema), async (c) => {
      const { status } = c.req.valid('query');
      return c.json({ surveys: (await listSurveys(db, c.get('site').siteId, status)).map(toWireSurvey) }, 200);
    })
    .post('/api/surveys', guard, jsonBody(surveyDefinitionSchema), async (c) => {
      const definition = c.req.valid('json');
      const created = toWireSurvey(await insertSurvey(db, c.get('site').siteId, definition, deps.now()));
      await audit(c, 'survey.create', created.id);
      return c.json(created, 201);
    })
    .get('/api/surveys/:id', guard, async (c) => c.json(toWireSurvey(await surveyOf(c)), 200))
    .put('/api/surveys/:id', guard, jsonBody(surveyDefinitionSchema), async (c) => {
      const definition = c.req.valid('json');
      const row = await replaceSurvey(db, c.get('site').siteId, c.req.param('id'), definition, deps.now());
      if (!row) throw notFound();
      await audit(c, 'survey.update', c.req.param('id'));
      return c.json(toWireSurvey(row), 200);
    })
    .post('/api/surveys/:id/archive', guard, async (c) => {
      const row = await setSurveyStatus(db, c.get('site').siteId, c.req.param('id'), 'archived', deps.now());
      if (!row) throw notFound();
      await audit(c, 'survey.archive', c.req.param('id'));
      return c.json(toWireSurvey(row), 200);
    })
    .get('/api/surveys/:id/results', guard, async (c) => c.json(await surveyResults(db, await surveyOf(c)), 200))
    .get('/api/surveys/:id/responses', guard, queryParams(surveyResponsesQuerySchema), async (c) => {
      const q = c.req.valid('query');
      const survey = await surveyOf(c);
      const { rows, nextCursor } = await pageResponses(db, survey.site_id, survey.survey_id, q);
      return c.json({ responses: rows.map(toWireResponse), nextCursor }, 200);
    })
    .get('/api/surveys/:id/responses.csv', guard, async (c) => {
      const survey = await surveyOf(c);
      return new Response(responsesCsv(db, survey), {
        headers: {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="survey-${survey.survey_id}.csv"`,
        },
      });
    });
}
