// Compiles a rule tree into one SQL condition over `profiles as p` (left-joined to `profile_classes as c`).
// Every value is a parameter; every identifier comes from the fixed tables below, never from the tree.
import { type Expression, expressionBuilder, type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Database } from '../db/index.ts';
import type {
  ClassLeaf,
  CounterField,
  CounterLeaf,
  DidLeaf,
  PropertyFilter,
  SegmentDate,
  SegmentRule,
  TraitLeaf,
  VisitedLeaf,
} from '../protocol/index.ts';
import { COMPARE, jsonCondition, NEGATED, rowCondition } from './conditions.ts';
import type { LeafContext } from './registry.ts';
import { segmentLeafKind } from './registry.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface CompileContext {
  siteId: string;
  /** What "N days ago" and "in the last N days" count back from. */
  now: Date;
  /**
   * Set when testing one person (survey targeting): subqueries then read only that profile's rows, and events
   * through the indexes on their ids, instead of building the set for the whole site.
   */
  person?: PersonScope | undefined;
}

export interface PersonScope {
  profileId: string;
  /** The profile's identities (the ids its events carry). */
  anonymousIds: string[];
  userIds: string[];
}

/** A tree that passed the wire schema but not the server's checks (an unknown or invalid extension leaf). */
export class SegmentRuleError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
  }
}

const COUNTER_COLUMNS: Record<CounterField, string> = {
  sessions: 'p.sessions',
  page_views: 'p.page_views',
  orders: 'p.orders',
  revenue: 'p.revenue',
  average_order_value: 'p.average_order_value',
  first_seen: 'p.first_seen',
  last_seen: 'p.last_seen',
  last_order_at: 'p.last_order_at',
};

const CLASS_COLUMNS: Record<ClassLeaf['field'], string> = {
  lifecycle: 'c.lifecycle',
  rfm_segment: 'c.rfm_segment',
  abc_class: 'c.abc_class',
  churn_risk: 'c.churn_risk',
  premium: 'c.premium',
  recency_score: 'c.recency_score',
  frequency_score: 'c.frequency_score',
  monetary_score: 'c.monetary_score',
};

/**
 * Checks the extension leaves against the registry and replaces their params with what their schema parsed.
 * Throws SegmentRuleError naming the leaf's path (`rules.rules.1.params.question`).
 */
export function checkExtensions(rule: SegmentRule, path = 'rules'): SegmentRule {
  switch (rule.type) {
    case 'and':
    case 'or':
      return { type: rule.type, rules: rule.rules.map((r, i) => checkExtensions(r, `${path}.rules.${i}`)) };
    case 'not':
      return { type: 'not', rule: checkExtensions(rule.rule, `${path}.rule`) };
    case 'ext': {
      const kind = segmentLeafKind(rule.kind);
      if (!kind) throw new SegmentRuleError(`${path}.kind`, `unknown rule kind "${rule.kind}"`);
      const parsed = kind.parse(rule.params);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const at = [path, 'params', ...(issue?.path ?? [])].join('.');
        throw new SegmentRuleError(at, issue?.message ?? 'invalid params');
      }
      return { ...rule, params: parsed.data as Record<string, unknown> };
    }
    default:
      return rule;
  }
}

const eb = expressionBuilder<Database, never>();
const profileId = sql.ref<string>('p.profile_id');

const since = (ctx: CompileContext, days: number) => new Date(ctx.now.getTime() - days * DAY_MS);

function dateOf(d: SegmentDate, ctx: CompileContext): Date {
  return 'daysAgo' in d ? since(ctx, d.daysAgo) : new Date(d.at);
}

/** What holds exactly when the comparison does not, for a value that is present. */
const COMPLEMENT = { eq: 'neq', neq: 'eq', gt: 'lte', gte: 'lt', lt: 'gte', lte: 'gt' } as const;

/**
 * A comparison with a column that may be null (no order yet, not classified). Missing values fail every
 * comparison but `neq`, and `not` of a comparison holds for them: `not` is pushed down to here (see compileRule)
 * rather than wrapping the leaf in `coalesce(…, false)`, which would hide the plain `column = value` that lets
 * Postgres use an index and turn the left join into an inner one.
 */
function compare(column: RawBuilder<unknown>, op: keyof typeof COMPARE, value: RawBuilder<unknown>, negate: boolean) {
  const effective = negate ? COMPLEMENT[op] : op;
  if (effective === 'neq') return sql<SqlBool>`(${column} is distinct from ${value})`;
  const test = sql<SqlBool>`${column} ${sql.raw(COMPARE[effective])} ${value}`;
  return negate ? sql<SqlBool>`(${column} is null or ${test})` : sql<SqlBool>`(${test})`;
}

function counter(leaf: CounterLeaf, ctx: CompileContext, negate: boolean) {
  const column = sql.ref(COUNTER_COLUMNS[leaf.field]);
  const value =
    typeof leaf.value === 'number' ? sql`${leaf.value}::numeric` : sql`${dateOf(leaf.value, ctx)}::timestamptz`;
  return compare(column, leaf.op, value, negate);
}

function classification(leaf: ClassLeaf, negate: boolean) {
  const column = sql.ref(CLASS_COLUMNS[leaf.field]);
  const v = leaf.value;
  const value = typeof v === 'number' ? sql`${v}::int` : typeof v === 'boolean' ? sql`${v}::boolean` : sql`${v}::text`;
  return compare(column, leaf.op, value, negate);
}

/** `p.profile_id in (…)` or its negation (which Postgres runs as one hashed set, never per profile). */
function member(set: Expression<unknown>, negate: boolean) {
  return negate ? sql<SqlBool>`(not (${profileId} in ${set}))` : sql<SqlBool>`(${profileId} in ${set})`;
}

/** neq/not_exists are the negation of eq/exists, so profiles without the trait are included. */
function trait(leaf: TraitLeaf, ctx: CompileContext, negate: boolean) {
  const positive = NEGATED[leaf.op] ?? leaf.op;
  const set = eb
    .selectFrom('profile_traits as t')
    .select('t.profile_id')
    .where('t.site_id', '=', ctx.siteId)
    .where('t.key', '=', leaf.key)
    .where(jsonCondition(sql.ref('t.value'), positive, leaf.value))
    .$if(ctx.person !== undefined, (q) => q.where('t.profile_id', '=', ctx.person?.profileId ?? ''));
  return member(set, negate !== (positive !== leaf.op));
}

/**
 * The identity an event was attributed to, as the projector resolves it: its user id when it has one, else its
 * anonymous id. `identities` maps both to the profile that holds them now.
 */
const eventKind = sql<'user' | 'anonymous'>`(case when e.user_id <> '' then 'user' else 'anonymous' end)`;
const eventId = sql<string>`(case when e.user_id <> '' then e.user_id else e.anonymous_id end)`;

/** The site's events (alias `e`) since `days` ago; only the person's own when testing one. */
function eventWindow(ctx: CompileContext, days: number) {
  return eb
    .selectFrom('events as e')
    .where('e.site_id', '=', ctx.siteId)
    .where('e.timestamp', '>=', since(ctx, days))
    .$if(ctx.person !== undefined, (q) => {
      const person = ctx.person as PersonScope;
      // Spelled out so Postgres reads the person's events by id, not the whole window.
      return q.where((w) =>
        w.or([
          ...(person.anonymousIds.length > 0 ? [w('e.anonymous_id', 'in', person.anonymousIds)] : []),
          ...(person.userIds.length > 0 ? [w('e.user_id', 'in', person.userIds)] : []),
        ]),
      );
    });
}

type EventWindow = ReturnType<typeof eventWindow>;

/** The site's identities (alias `i`); only the person's profile's when testing one. */
function identitiesOf(ctx: CompileContext) {
  return eb
    .selectFrom('identities as i')
    .select('i.profile_id')
    .where('i.site_id', '=', ctx.siteId)
    .$if(ctx.person !== undefined, (q) => q.where('i.profile_id', '=', ctx.person?.profileId ?? ''));
}

/**
 * The profiles with at least one of these events: a semi-join from the window's distinct identities, so Postgres
 * hashes those (thousands) and probes `identities` with them, instead of hashing the site's every identity to
 * join each event of the window to it.
 */
function profilesWithAny(events: EventWindow, ctx: CompileContext) {
  return identitiesOf(ctx).where(
    sql<SqlBool>`(i.kind, i.value) in ${events.select([eventKind.as('kind'), eventId.as('value')])}`,
  );
}

/**
 * The profiles with at least `n` of these events, wherever their identities (devices, user id) share them out:
 * counted per identity first, so identities are looked up once each, then summed per profile.
 */
function profilesWithAtLeast(events: EventWindow, n: number, ctx: CompileContext) {
  const perIdentity = events
    .select([eventKind.as('kind'), eventId.as('value'), sql<number>`count(*)`.as('n')])
    .groupBy([eventKind, eventId])
    .as('w');
  return identitiesOf(ctx)
    .innerJoin(perIdentity, (j) => j.onRef('w.kind', '=', 'i.kind').onRef('w.value', '=', 'i.value'))
    .groupBy('i.profile_id')
    .having(sql<number>`sum(w.n)`, '>=', n);
}

function tracked(leaf: { event: string; withinDays: number; where: PropertyFilter[] }, ctx: CompileContext) {
  let q = eventWindow(ctx, leaf.withinDays).where('e.type', '=', 'track').where('e.event', '=', leaf.event);
  for (const f of leaf.where) {
    // The path is validated to have no `.` inside a name, so splitting it again in SQL is lossless.
    q = q.where(rowCondition(sql`(e.properties #> string_to_array(${f.property}::text, '.'))`, f.op, f.value));
  }
  return q;
}

function did(leaf: DidLeaf, ctx: CompileContext, negate: boolean) {
  const events = tracked(leaf, ctx);
  if (leaf.atLeast <= 1) return member(profilesWithAny(events, ctx), negate);
  return member(profilesWithAtLeast(events, leaf.atLeast, ctx), negate);
}

/** The survey targeting's path pattern as an anchored regular expression (literal text escaped). */
export function globRegex(pattern: string): string {
  let out = '^';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === '*' && pattern[i + 1] === '*') {
      out += '.*';
      while (pattern[i + 1] === '*') i++;
    } else if (ch === '*') out += '[^/]*';
    else if (ch === '?') out += '[^/]';
    else out += /[\\^$.|+()[\]{}]/.test(ch) ? `\\${ch}` : ch;
  }
  return `${out}$`;
}

/**
 * A path glob as SQL. Its literal prefix is tested first, a cheap check most paths fail before the regular
 * expression runs; a glob that is its prefix and then `**` (`/products/**`) needs nothing more.
 */
function globCondition(path: RawBuilder<unknown>, pattern: string) {
  const wildcard = pattern.search(/[*?]/);
  const prefix = wildcard < 0 ? pattern : pattern.slice(0, wildcard);
  const startsWith = sql<SqlBool>`starts_with(${path}, ${prefix}::text)`;
  if (/^\*\*+$/.test(pattern.slice(prefix.length))) return startsWith;
  return sql<SqlBool>`(${startsWith} and ${path} ~ ${globRegex(pattern)}::text)`;
}

function visited(leaf: VisitedLeaf, ctx: CompileContext, negate: boolean) {
  const path = sql.ref('e.url_path');
  const condition =
    leaf.match === 'exact'
      ? sql<SqlBool>`${path} = ${leaf.path}::text`
      : leaf.match === 'prefix'
        ? sql<SqlBool>`starts_with(${path}, ${leaf.path}::text)`
        : globCondition(path, leaf.path);
  return member(
    profilesWithAny(eventWindow(ctx, leaf.withinDays).where('e.type', '=', 'page').where(condition), ctx),
    negate,
  );
}

/**
 * The tree as one boolean expression over `p` (profiles) and `c` (profile_classes, null when unclassified).
 * `not` is pushed down to the leaves (De Morgan), each of which has an exact negated form, so no part of the
 * expression can be null where it matters and every positive leaf stays a plain, indexable condition.
 */
export function compileRule(rule: SegmentRule, ctx: CompileContext, negate = false): Expression<SqlBool> {
  switch (rule.type) {
    case 'and':
    case 'or': {
      const parts = rule.rules.map((r) => compileRule(r, ctx, negate));
      return (rule.type === 'and') !== negate ? eb.and(parts) : eb.or(parts);
    }
    case 'not':
      return compileRule(rule.rule, ctx, !negate);
    case 'trait':
      return trait(rule, ctx, negate);
    case 'counter':
      return counter(rule, ctx, negate);
    case 'class':
      return classification(rule, negate);
    case 'did':
      return did(rule, ctx, negate);
    case 'did_not':
      return member(profilesWithAny(tracked(rule, ctx), ctx), !negate);
    case 'visited':
      return visited(rule, ctx, negate);
    case 'ext': {
      const kind = segmentLeafKind(rule.kind);
      // checkExtensions runs before compile on every path into here; this guards a kind unregistered since.
      if (!kind) throw new SegmentRuleError('rules', `unknown rule kind "${rule.kind}"`);
      const leafCtx: LeafContext = { siteId: ctx.siteId, now: ctx.now, profileId };
      const e = kind.compile(rule.params, leafCtx);
      // A registered condition may be null for some profiles; its negation must still hold for them.
      return negate ? sql<SqlBool>`(not coalesce(${e}, false))` : e;
    }
  }
}
