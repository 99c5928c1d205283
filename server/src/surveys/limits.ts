// Abuse limits of the survey widget routes, per visitor and in process memory, like the conversations limits.
import { RateLimiter } from '../ingest/index.ts';

export interface SurveyLimits {
  /** Responses per site and visitor (the caps already allow few per survey; this bounds floods across surveys). */
  responses: RateLimiter;
  /** "seen" and "dismiss" reports per site and visitor. */
  impressions: RateLimiter;
}

/** 10 responses per visitor per minute; 60 seen/dismiss reports per visitor per minute. */
export function defaultSurveyLimits(now: () => number = Date.now): SurveyLimits {
  return {
    responses: new RateLimiter(10 / 60, 10, now),
    impressions: new RateLimiter(1, 60, now),
  };
}
