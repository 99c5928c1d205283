// Built-in segments: one per RFM segment, ABC class and lifecycle stage, and premium. Not stored; each is a rule
// tree like any other, so counting, members, export and survey targeting treat them the same.
import { abcClasses, lifecycleStages, rfmSegments, type SegmentRule, type WireSegment } from '../protocol/index.ts';

const RFM_NAMES: Record<(typeof rfmSegments)[number], string> = {
  champions: 'Champions',
  loyal: 'Loyal',
  potential_loyalists: 'Potential loyalists',
  new: 'New',
  promising: 'Promising',
  need_attention: 'Need attention',
  at_risk: 'At risk',
  cant_lose: "Can't lose",
  hibernating: 'Hibernating',
  lost: 'Lost',
};

const LIFECYCLE_NAMES: Record<(typeof lifecycleStages)[number], string> = {
  prospect: 'Potential customers',
  customer: 'Current customers',
  lapsed: 'Lapsed customers',
};

function builtin(id: string, name: string, description: string, rules: SegmentRule): WireSegment {
  return { id: `builtin:${id}`, name, description, builtin: true, rules, createdAt: null, updatedAt: null };
}

export const BUILTIN_SEGMENTS: readonly WireSegment[] = [
  ...rfmSegments.map((s) =>
    builtin(`rfm:${s}`, `RFM: ${RFM_NAMES[s]}`, 'Named RFM segment', {
      type: 'class',
      field: 'rfm_segment',
      op: 'eq',
      value: s,
    }),
  ),
  ...abcClasses.map((c) =>
    builtin(`abc:${c}`, `ABC class ${c}`, 'Class by cumulative revenue', {
      type: 'class',
      field: 'abc_class',
      op: 'eq',
      value: c,
    }),
  ),
  ...lifecycleStages.map((s) =>
    builtin(`lifecycle:${s}`, LIFECYCLE_NAMES[s], 'Lifecycle stage', {
      type: 'class',
      field: 'lifecycle',
      op: 'eq',
      value: s,
    }),
  ),
  builtin('premium', 'Premium customers', 'Spent above the site’s premium threshold', {
    type: 'class',
    field: 'premium',
    op: 'eq',
    value: true,
  }),
];

const byId = new Map(BUILTIN_SEGMENTS.map((s) => [s.id, s]));

export const isBuiltinId = (id: string) => id.startsWith('builtin:');
export const builtinSegment = (id: string) => byId.get(id);
