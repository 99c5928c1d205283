// Segments: rule trees over profiles (traits, counters, classification, events, pages, and registered kinds),
// compiled to parameterised SQL; their API, built-ins, and the membership test survey targeting uses.
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.ts';
import { SegmentRuleError } from './compile.ts';
import { checkedRules, findSegment, isMember } from './queries.ts';

export { BUILTIN_SEGMENTS } from './builtins.ts';
export { type CompileContext, compileRule, SegmentRuleError } from './compile.ts';
export {
  type LeafContext,
  registerSegmentLeaf,
  type SegmentLeafKind,
  segmentLeafKinds,
} from './registry.ts';
export { type SegmentDeps, segmentRoutes } from './routes.ts';
export type { SegmentsTables } from './tables.ts';

/**
 * Segment membership for survey targeting (the surveys' `segmentMembership` option): false for an unknown
 * segment, or one whose rules no longer hold (a rule kind unregistered since), rather than failing the widget.
 */
export function segmentMembership(db: Kysely<Database>, now: () => Date = () => new Date()) {
  return async (siteId: string, segmentId: string, person: { anonymousId: string; userId: string | null }) => {
    const segment = await findSegment(db, siteId, segmentId);
    if (!segment) return false;
    try {
      return await isMember(db, { siteId, rules: checkedRules(segment.rules), now: now() }, person);
    } catch (e) {
      if (e instanceof SegmentRuleError) return false;
      throw e;
    }
  };
}
