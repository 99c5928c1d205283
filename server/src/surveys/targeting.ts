// Which surveys a visitor should see on a page now: page, share, caps, segment, event — cheapest checks first.
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.ts';
import type { SurveyFrequency, WidgetSurvey } from '../protocol/index.ts';
import { didEvent } from './event-filter.ts';
import { pageTargeted } from './glob.ts';
import { lastContacts, listSurveys, toWidgetSurvey, type Visitor } from './queries.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Whether a person is in a segment; provided by the segments capability once it exists. Without it, surveys
 * that target a segment are never shown (showing them to everyone would break the shop's intent).
 */
export type SegmentMembership = (
  siteId: string,
  segmentId: string,
  person: { anonymousId: string; userId: string | null },
) => Promise<boolean>;

export interface TargetingDeps {
  db: Kysely<Database>;
  now: () => Date;
  segmentMembership?: SegmentMembership | undefined;
}

/**
 * The visitor's place in [0, 100) for this survey: the same on every request, independent between surveys
 * (so the same 10 % of visitors do not get every survey).
 */
export function sharePosition(surveyId: string, anonymousId: string): number {
  const digest = createHash('sha256').update(`${surveyId}\n${anonymousId}`).digest();
  return (digest.readUInt32BE(0) / 2 ** 32) * 100;
}

export const inShare = (surveyId: string, anonymousId: string, percent: number) =>
  sharePosition(surveyId, anonymousId) < percent;

/** Whether the cap lets something happen again, given when it last happened. */
export function capAllows(frequency: SurveyFrequency, last: Date | null, now: Date): boolean {
  if (last === null) return true;
  if (frequency.mode === 'once') return false;
  return now.getTime() - last.getTime() >= frequency.days * DAY_MS;
}

/** The active surveys to show on `path` now, in creation order, at most `max`. */
export async function surveysToShow(
  deps: TargetingDeps,
  v: Visitor,
  path: string,
  max: number,
): Promise<WidgetSurvey[]> {
  const now = deps.now();
  const candidates = (await listSurveys(deps.db, v.siteId, 'active')).filter(
    (s) =>
      pageTargeted(path, s.targeting.urls, s.targeting.excludeUrls) &&
      inShare(s.survey_id, v.anonymousId, s.targeting.sharePercent) &&
      (s.targeting.segmentId === undefined || deps.segmentMembership !== undefined),
  );
  if (candidates.length === 0) return [];
  const contacts = await lastContacts(
    deps.db,
    v,
    candidates.map((s) => s.survey_id),
  );
  const shown: WidgetSurvey[] = [];
  for (const s of candidates) {
    if (shown.length >= max) break;
    if (!capAllows(s.frequency, contacts.get(s.survey_id)?.lastShown ?? null, now)) continue;
    const { segmentId, event } = s.targeting;
    if (segmentId !== undefined && !(await deps.segmentMembership?.(v.siteId, segmentId, v))) continue;
    if (event && !(await didEvent(deps.db, v, event, now))) continue;
    shown.push(toWidgetSurvey(s));
  }
  return shown;
}
