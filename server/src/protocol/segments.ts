// Wire schemas of segments: the rule tree (and/or/not over leaves) that the dashboard builds and the server compiles.
import { z } from 'zod';

/** A tree deeper than this, or with more leaves, is refused (it would be slow to compile and to read). */
export const MAX_SEGMENT_DEPTH = 8;
export const MAX_SEGMENT_LEAVES = 50;

/**
 * Operators of trait and event-property conditions. A number value compares numerically (JSON numbers and
 * numeric strings alike), a string compares as text; `contains` and `starts_with` ignore case (`contains` also
 * matches an element of an array); `exists`/`not_exists` take no value. `neq` also matches when the trait or
 * property is missing.
 */
export const conditionOperators = [
  'eq',
  'neq',
  'gt',
  'gte',
  'lt',
  'lte',
  'contains',
  'starts_with',
  'exists',
  'not_exists',
] as const;
export type ConditionOperator = (typeof conditionOperators)[number];

export const comparisonOperators = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte'] as const;
export type ComparisonOperator = (typeof comparisonOperators)[number];

const conditionValue = z.union([z.string().max(500), z.number().finite(), z.boolean()]);

/** The value checks every condition shares: what each operator needs. */
function checkCondition(c: { op: ConditionOperator; value?: unknown }, ctx: z.RefinementCtx): void {
  const bare = c.op === 'exists' || c.op === 'not_exists';
  if (bare && c.value !== undefined)
    ctx.addIssue({ code: 'custom', message: `${c.op} takes no value`, path: ['value'] });
  if (!bare && c.value === undefined)
    ctx.addIssue({ code: 'custom', message: `${c.op} needs a value`, path: ['value'] });
  if (typeof c.value === 'boolean' && c.op !== 'eq' && c.op !== 'neq')
    ctx.addIssue({ code: 'custom', message: 'a true/false value compares only with eq or neq', path: ['op'] });
  if (c.op === 'starts_with' && typeof c.value !== 'string')
    ctx.addIssue({ code: 'custom', message: 'starts_with needs a text value', path: ['value'] });
}

/** The longest "in the last N days" window, and the most property filters one event condition takes. */
export const MAX_WINDOW_DAYS = 3650;
export const MAX_PROPERTY_FILTERS = 10;

const days = z.number().int().min(1).max(MAX_WINDOW_DAYS);

/** A property of the event, `.` going into nested objects (`shipping.method`). */
const propertyPath = z
  .string()
  .max(200)
  .regex(/^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+){0,4}$/, 'a property name, `.` for nested ones (at most 5 deep)');

export const propertyFilterSchema = z
  .object({ property: propertyPath, op: z.enum(conditionOperators), value: conditionValue.optional() })
  .strict()
  .superRefine(checkCondition);
export type PropertyFilter = z.infer<typeof propertyFilterSchema>;

export const traitLeafSchema = z
  .object({
    type: z.literal('trait'),
    key: z.string().min(1).max(200),
    op: z.enum(conditionOperators),
    value: conditionValue.optional(),
  })
  .strict()
  .superRefine(checkCondition);
export type TraitLeaf = z.infer<typeof traitLeafSchema>;

export const numberCounterFields = ['sessions', 'page_views', 'orders', 'revenue', 'average_order_value'] as const;
export const dateCounterFields = ['first_seen', 'last_seen', 'last_order_at'] as const;
export type CounterField = (typeof numberCounterFields)[number] | (typeof dateCounterFields)[number];

/** A moment: `{ "daysAgo": 30 }` (relative to when the segment is evaluated) or `{ "at": "2026-01-01T00:00:00Z" }`. */
export const relativeDateSchema = z.union([
  z.object({ daysAgo: z.number().int().min(0).max(36500) }).strict(),
  z.object({ at: z.iso.datetime({ offset: true }) }).strict(),
]);
export type SegmentDate = z.infer<typeof relativeDateSchema>;

/** Counters of the profile; `last_seen gte { daysAgo: 30 }` reads "seen in the last 30 days". */
export const counterLeafSchema = z
  .object({
    type: z.literal('counter'),
    field: z.enum([...numberCounterFields, ...dateCounterFields]),
    op: z.enum(comparisonOperators),
    value: z.union([z.number().finite(), relativeDateSchema]),
  })
  .strict()
  .superRefine((leaf, ctx) => {
    const isDate = (dateCounterFields as readonly string[]).includes(leaf.field);
    if (isDate !== (typeof leaf.value === 'object'))
      ctx.addIssue({
        code: 'custom',
        path: ['value'],
        message: isDate ? `${leaf.field} compares with { daysAgo } or { at }` : `${leaf.field} compares with a number`,
      });
  });
export type CounterLeaf = z.infer<typeof counterLeafSchema>;

export const lifecycleStages = ['prospect', 'customer', 'lapsed'] as const;
export const rfmSegments = [
  'champions',
  'loyal',
  'potential_loyalists',
  'new',
  'promising',
  'need_attention',
  'at_risk',
  'cant_lose',
  'hibernating',
  'lost',
] as const;
export const abcClasses = ['A', 'B', 'C'] as const;
export const churnRisks = ['low', 'medium', 'high'] as const;
export const scoreFields = ['recency_score', 'frequency_score', 'monetary_score'] as const;

/** The values of the classification fields that hold names (the others are scores 1–5 and premium true/false). */
export const classFieldValues: Readonly<Record<string, readonly string[]>> = {
  lifecycle: lifecycleStages,
  rfm_segment: rfmSegments,
  abc_class: abcClasses,
  churn_risk: churnRisks,
};

/** Classification of the profile; a profile not classified yet matches only `neq`. */
export const classLeafSchema = z
  .object({
    type: z.literal('class'),
    field: z.enum(['lifecycle', 'rfm_segment', 'abc_class', 'churn_risk', 'premium', ...scoreFields]),
    op: z.enum(comparisonOperators),
    value: z.union([z.string(), z.number().int(), z.boolean()]),
  })
  .strict()
  .superRefine((leaf, ctx) => {
    const allowed = classFieldValues[leaf.field];
    const fail = (message: string, path = 'value') => ctx.addIssue({ code: 'custom', message, path: [path] });
    if (allowed) {
      if (typeof leaf.value !== 'string' || !allowed.includes(leaf.value)) fail(`one of ${allowed.join(', ')}`);
      if (leaf.op !== 'eq' && leaf.op !== 'neq') fail(`${leaf.field} compares only with eq or neq`, 'op');
    } else if (leaf.field === 'premium') {
      if (typeof leaf.value !== 'boolean') fail('true or false');
      if (leaf.op !== 'eq' && leaf.op !== 'neq') fail('premium compares only with eq or neq', 'op');
    } else if (typeof leaf.value !== 'number' || leaf.value < 1 || leaf.value > 5) fail('a score from 1 to 5');
  });
export type ClassLeaf = z.infer<typeof classLeafSchema>;

const eventName = z.string().trim().min(1).max(200);

/** Did the tracked event at least `atLeast` times in the last `withinDays` days, with every `where` filter. */
export const didLeafSchema = z
  .object({
    type: z.literal('did'),
    event: eventName,
    atLeast: z.number().int().min(1).max(1_000_000).default(1),
    withinDays: days,
    where: z.array(propertyFilterSchema).max(MAX_PROPERTY_FILTERS).default([]),
  })
  .strict();
export type DidLeaf = z.infer<typeof didLeafSchema>;

/** Did not do the tracked event (with every `where` filter) in the last `withinDays` days. */
export const didNotLeafSchema = z
  .object({
    type: z.literal('did_not'),
    event: eventName,
    withinDays: days,
    where: z.array(propertyFilterSchema).max(MAX_PROPERTY_FILTERS).default([]),
  })
  .strict();
export type DidNotLeaf = z.infer<typeof didNotLeafSchema>;

export const visitMatches = ['exact', 'prefix', 'glob'] as const;

/**
 * Viewed a page in the last `withinDays` days. `exact` compares the path, `prefix` its beginning, `glob` matches
 * like survey URL targeting: `*` within one path segment, `**` across segments, `?` one character.
 */
export const visitedLeafSchema = z
  .object({
    type: z.literal('visited'),
    path: z
      .string()
      .max(500)
      .regex(/^\/\S*$/, 'a path starting with `/`, without spaces'),
    match: z.enum(visitMatches).default('exact'),
    withinDays: days,
  })
  .strict();
export type VisitedLeaf = z.infer<typeof visitedLeafSchema>;

/**
 * A leaf contributed by another capability (survey answers, open complaints, …): `kind` names it, `params` are
 * checked by the server against what that capability registered.
 */
export const extensionLeafSchema = z
  .object({
    type: z.literal('ext'),
    kind: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'a registered rule kind'),
    params: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();
export type ExtensionLeaf = z.infer<typeof extensionLeafSchema>;

export type SegmentLeaf = TraitLeaf | CounterLeaf | ClassLeaf | DidLeaf | DidNotLeaf | VisitedLeaf | ExtensionLeaf;
export type SegmentRule =
  | { type: 'and'; rules: SegmentRule[] }
  | { type: 'or'; rules: SegmentRule[] }
  | { type: 'not'; rule: SegmentRule }
  | SegmentLeaf;

const ruleNode: z.ZodType<SegmentRule, unknown> = z.lazy(() =>
  z.discriminatedUnion('type', [
    z.object({ type: z.literal('and'), rules: z.array(ruleNode).min(1).max(MAX_SEGMENT_LEAVES) }).strict(),
    z.object({ type: z.literal('or'), rules: z.array(ruleNode).min(1).max(MAX_SEGMENT_LEAVES) }).strict(),
    z.object({ type: z.literal('not'), rule: ruleNode }).strict(),
    traitLeafSchema,
    counterLeafSchema,
    classLeafSchema,
    didLeafSchema,
    didNotLeafSchema,
    visitedLeafSchema,
    extensionLeafSchema,
  ]),
);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Depth and leaf limits, checked on the raw input before the recursive schema runs, so a hostile body nested a
 * thousand deep is refused cheaply (and without deep recursion). Reports the path of the first node over a limit.
 */
function checkShape(raw: unknown, ctx: z.RefinementCtx): void {
  let leaves = 0;
  const stack: { node: unknown; depth: number; path: (string | number)[] }[] = [{ node: raw, depth: 1, path: [] }];
  while (stack.length > 0) {
    const { node, depth, path } = stack.pop() as (typeof stack)[number];
    if (depth > MAX_SEGMENT_DEPTH) {
      ctx.addIssue({ code: 'custom', message: `rules may nest at most ${MAX_SEGMENT_DEPTH} deep`, path });
      return;
    }
    if (!isRecord(node)) continue;
    if ((node.type === 'and' || node.type === 'or') && Array.isArray(node.rules)) {
      // Pushed last-first so they pop in document order and the error names the first leaf over the limit.
      for (let i = node.rules.length - 1; i >= 0; i--)
        stack.push({ node: node.rules[i], depth: depth + 1, path: [...path, 'rules', i] });
    } else if (node.type === 'not') stack.push({ node: node.rule, depth: depth + 1, path: [...path, 'rule'] });
    else if (++leaves > MAX_SEGMENT_LEAVES) {
      ctx.addIssue({ code: 'custom', message: `a segment may have at most ${MAX_SEGMENT_LEAVES} conditions`, path });
      return;
    }
  }
}

/** A whole rule tree: depth ≤ 8, ≤ 50 leaves. */
export const segmentRuleSchema: z.ZodType<SegmentRule, unknown> = z.unknown().superRefine(checkShape).pipe(ruleNode);

export const segmentDefinitionSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    description: z.string().trim().max(2000).default(''),
    rules: segmentRuleSchema,
  })
  .strict();
export type SegmentDefinition = z.infer<typeof segmentDefinitionSchema>;

export const segmentPreviewSchema = z.object({ rules: segmentRuleSchema }).strict();

export const segmentMembersQuerySchema = z
  .object({
    cursor: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(50),
  })
  .strict();

/** A segment as the API returns it; built-in ones (`builtin:…`) have no dates and cannot be changed. */
export interface WireSegment {
  id: string;
  name: string;
  description: string;
  builtin: boolean;
  rules: SegmentRule;
  createdAt: string | null;
  updatedAt: string | null;
}

export interface WireSegmentMember {
  profileId: string;
  userId: string | null;
  email: string | null;
  name: string | null;
  sessions: number;
  pageViews: number;
  orders: number;
  revenue: string;
  lastSeen: string;
  lastOrderAt: string | null;
}

/** A classification field the builder offers: its operators, and its values (names, true/false, or a 1–5 score). */
export interface WireClassField {
  field: ClassLeaf['field'];
  operators: ComparisonOperator[];
  values: { kind: 'names'; names: string[] } | { kind: 'boolean' } | { kind: 'score'; min: number; max: number };
}

/** A rule type the builder can add, with the choices its fields take (taken from the schema above). */
export type WireLeafType =
  | { type: 'trait'; operators: ConditionOperator[]; valueless: ConditionOperator[] }
  | {
      type: 'counter';
      numberFields: (typeof numberCounterFields)[number][];
      dateFields: (typeof dateCounterFields)[number][];
      operators: ComparisonOperator[];
    }
  | { type: 'class'; fields: WireClassField[] }
  | { type: 'did' | 'did_not'; operators: ConditionOperator[]; valueless: ConditionOperator[] }
  | { type: 'visited'; matches: (typeof visitMatches)[number][] };

/** A rule kind another capability registered: `params` is the JSON Schema of its parameters (null if it has none). */
export interface WireExtensionKind {
  kind: string;
  label: string | null;
  params: Record<string, unknown> | null;
}

/** GET /api/segments/conditions: everything the rule builder can build, and names seen on the site to suggest. */
export interface WireSegmentCatalog {
  limits: { depth: number; leaves: number; windowDays: number; propertyFilters: number };
  leaves: WireLeafType[];
  extensions: WireExtensionKind[];
  suggestions: { traits: string[]; events: string[]; paths: string[] };
}
