// Surveys: definitions and results for staff; targeting, impressions and answers for the widget.
import type { MiddlewareHandler } from 'hono';
import { Hono } from 'hono';
import type { VisitorEnv } from '../conversations/index.ts';
import type { Db } from '../db/index.ts';
import { defaultSurveyLimits, type SurveyLimits } from './limits.ts';
import { surveyStaffRoutes } from './staff-routes.ts';
import type { SegmentMembership } from './targeting.ts';
import { surveyVisitorRoutes } from './visitor-routes.ts';

export { csvField } from './csv.ts';
export { eraseSurveyResponses, exportSurveyResponses } from './erasure.ts';
export { defaultSurveyLimits, type SurveyLimits } from './limits.ts';
export type { SegmentMembership } from './targeting.ts';

export interface SurveyOptions {
  db: Db;
  /** The visitor-token check of the widget API (from the conversations capability). */
  visitor: MiddlewareHandler<VisitorEnv>;
  limits?: SurveyLimits;
  /** The clock of caps, time windows and stored times (tests move it). */
  now?: () => Date;
  /** Segment membership, once the segments capability provides it; until then segment-targeted surveys stay hidden. */
  segmentMembership?: SegmentMembership;
}

/** The widget and staff survey routes. */
export function surveys(o: SurveyOptions) {
  const deps = {
    db: o.db.kysely,
    visitor: o.visitor,
    limits: o.limits ?? defaultSurveyLimits(),
    now: o.now ?? (() => new Date()),
    segmentMembership: o.segmentMembership,
  };
  return { routes: new Hono().route('/', surveyVisitorRoutes(deps)).route('/', surveyStaffRoutes(deps)) };
}
