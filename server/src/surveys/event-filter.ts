// "Did this visitor do event X with these properties in the last N days?", compiled with Kysely over `events`.
import { type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Database } from '../db/index.ts';
import type { EventFilter, FilterOperator, SurveyTargeting } from '../protocol/index.ts';
import type { Visitor } from './queries.ts';

type EventRule = NonNullable<SurveyTargeting['event']>;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Comparison operators by filter operator: a fixed table, so `sql.raw` never sees user input. */
const COMPARE: Record<Exclude<FilterOperator, 'contains' | 'neq'>, string> = {
  eq: '=',
  gt: '>',
  gte: '>=',
  lt: '<',
  lte: '<=',
};

/** A number written as JSON or as a decimal string (shops send `"total": "129.90"` as often as 129.9). */
const NUMERIC_TEXT = '^\\s*[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?\\s*$';

function compare(left: RawBuilder<unknown>, op: FilterOperator, right: RawBuilder<unknown>): RawBuilder<SqlBool> {
  // A property the event lacks is "not equal" to anything, and fails every other comparison.
  if (op === 'neq') return sql<SqlBool>`(${left} is distinct from ${right})`;
  if (op === 'contains') throw new Error('contains is compiled on its own');
  return sql<SqlBool>`(${left} ${sql.raw(COMPARE[op])} ${right})`;
}

/** One property filter as a boolean SQL expression over `events.properties`; values are always parameters. */
export function filterExpression(f: EventFilter): RawBuilder<SqlBool> {
  // The property path is validated to have no `.` inside a segment, so splitting it again in SQL is lossless.
  const node = sql`(${sql.ref('properties')} #> string_to_array(${f.property}, '.'))`;
  const text = sql`(${node} #>> '{}')`;
  if (f.op === 'contains') {
    // Arrays contain an element equal to the value; anything else contains it as text (ignoring case).
    const element = typeof f.value === 'number' ? sql`${f.value}::numeric` : sql`${String(f.value)}::text`;
    return sql<SqlBool>`(case when jsonb_typeof(${node}) = 'array' then ${node} @> jsonb_build_array(${element})
      else strpos(lower(${text}), lower(${String(f.value)}::text)) > 0 end)`;
  }
  if (typeof f.value === 'number') {
    const numeric = sql`(case jsonb_typeof(${node})
      when 'number' then ${text}::numeric
      when 'string' then case when ${text} ~ ${NUMERIC_TEXT}::text then trim(${text})::numeric end
    end)`;
    return compare(numeric, f.op, sql`${f.value}::numeric`);
  }
  // Strings compare as text; true/false match JSON booleans (and the strings "true"/"false").
  return compare(text, f.op, sql`${String(f.value)}::text`);
}

/** Whether the visitor (by anonymous id, or by proven user id) did the event within the window. */
export async function didEvent(db: Kysely<Database>, v: Visitor, rule: EventRule, now: Date): Promise<boolean> {
  let q = db
    .selectFrom('events')
    .select(sql<number>`1`.as('one'))
    .where('site_id', '=', v.siteId)
    .where('type', '=', 'track')
    .where('event', '=', rule.name)
    .where('timestamp', '>=', new Date(now.getTime() - rule.withinDays * DAY_MS))
    .where('timestamp', '<=', now)
    .where((eb) =>
      eb.or([eb('anonymous_id', '=', v.anonymousId), ...(v.userId ? [eb('user_id', '=', v.userId)] : [])]),
    );
  for (const f of rule.filters) q = q.where(filterExpression(f));
  return (await q.limit(1).executeTakeFirst()) !== undefined;
}
