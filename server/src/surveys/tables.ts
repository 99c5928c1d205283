// Tables owned by the surveys capability: definitions, responses, and who was shown or dismissed what.
import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type {
  SurveyAnswer,
  SurveyFrequency,
  SurveyQuestion,
  SurveyStatus,
  SurveyTargeting,
} from '../protocol/index.ts';

export interface SurveysTable {
  site_id: string;
  survey_id: string;
  /** Creation order: the first matching survey wins a page. */
  seq: Generated<number>;
  name: string;
  status: SurveyStatus;
  questions: JSONColumnType<SurveyQuestion[]>;
  targeting: JSONColumnType<SurveyTargeting>;
  frequency: JSONColumnType<SurveyFrequency>;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface SurveyResponsesTable {
  site_id: string;
  response_id: string;
  /** Insertion order: the staff list and the CSV export page by it. */
  seq: Generated<number>;
  survey_id: string;
  anonymous_id: string;
  /** Set only when the shop proved it with its identity HMAC. */
  user_id: string | null;
  url: string | null;
  answers: JSONColumnType<Record<string, SurveyAnswer>>;
  created_at: ColumnType<Date, Date, never>;
}

/** One row per site, survey, visitor and kind: the last time they were shown it or closed it. */
export interface SurveyImpressionsTable {
  site_id: string;
  survey_id: string;
  anonymous_id: string;
  kind: 'seen' | 'dismissed';
  user_id: string | null;
  times: number;
  last_at: Date;
}

export interface SurveysTables {
  surveys: SurveysTable;
  survey_responses: SurveyResponsesTable;
  survey_impressions: SurveyImpressionsTable;
}
