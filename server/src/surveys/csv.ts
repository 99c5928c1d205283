// The CSV export of a survey's responses, streamed page by page so a large survey never sits in memory.
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.ts';
import type { SurveyAnswer } from '../protocol/index.ts';
import { pageResponses, type ResponseRow, type SurveyRow } from './queries.ts';

const PAGE = 500;

/**
 * One CSV field (RFC 4180). Text that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first)
 * gets a leading `'`, as OWASP advises: answers and URLs are shoppers' input.
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

const answerCell = (a: SurveyAnswer | undefined) => (a === undefined ? null : Array.isArray(a) ? a.join(';') : a);

function line(survey: SurveyRow, r: ResponseRow): string {
  const fixed = [r.response_id, r.created_at.toISOString(), r.anonymous_id, r.user_id, r.url];
  return `${[...fixed, ...survey.questions.map((q) => answerCell(r.answers[q.id]))].map(csvField).join(',')}\r\n`;
}

/** Oldest first: a header with one column per question (its id; multiple choices joined by `;`), then rows. */
export function responsesCsv(db: Kysely<Database>, survey: SurveyRow): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const header = ['response_id', 'created_at', 'anonymous_id', 'user_id', 'url', ...survey.questions.map((q) => q.id)];
  let cursor: string | undefined;
  let started = false;
  return new ReadableStream<Uint8Array>({
    // pull runs only when the consumer wants more, so a slow download holds back the reads.
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(`${header.map(csvField).join(',')}\r\n`));
        return;
      }
      const { rows, nextCursor } = await pageResponses(db, survey.site_id, survey.survey_id, {
        cursor,
        limit: PAGE,
        newestFirst: false,
      });
      if (rows.length > 0) controller.enqueue(encoder.encode(rows.map((r) => line(survey, r)).join('')));
      if (nextCursor === null) controller.close();
      else cursor = nextCursor;
    },
  });
}
