// A shopper's survey data: exported as JSON and erased on request (GDPR), by their ids.
import type { Kysely } from 'kysely';
import type { PersonIds } from '../conversations/index.ts';
import type { Database } from '../db/index.ts';
import { ofPerson, toWireResponse } from './queries.ts';

/** The person's responses, and which surveys they were shown or dismissed and when. */
export async function exportSurveyResponses(db: Kysely<Database>, siteId: string, ids: PersonIds) {
  const [responses, impressions] = await Promise.all([
    db
      .selectFrom('survey_responses')
      .selectAll()
      .where('site_id', '=', siteId)
      .where(ofPerson(ids))
      .orderBy('seq')
      .execute(),
    db
      .selectFrom('survey_impressions')
      .selectAll()
      .where('site_id', '=', siteId)
      .where(ofPerson(ids))
      .orderBy('last_at')
      .execute(),
  ]);
  return {
    responses: responses.map(toWireResponse),
    impressions: impressions.map((i) => ({
      surveyId: i.survey_id,
      kind: i.kind,
      times: i.times,
      lastAt: i.last_at.toISOString(),
    })),
  };
}

/** Deletes the person's responses and impressions; returns how many responses went. */
export async function eraseSurveyResponses(db: Kysely<Database>, siteId: string, ids: PersonIds): Promise<number> {
  return db.transaction().execute(async (tx) => {
    await tx.deleteFrom('survey_impressions').where('site_id', '=', siteId).where(ofPerson(ids)).execute();
    const result = await tx
      .deleteFrom('survey_responses')
      .where('site_id', '=', siteId)
      .where(ofPerson(ids))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  });
}
