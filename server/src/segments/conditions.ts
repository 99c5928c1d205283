// One condition (operator + value) on a jsonb value, shared by trait conditions and event-property filters.
import { type RawBuilder, type SqlBool, sql } from 'kysely';
import type { ConditionOperator } from '../protocol/index.ts';

/** SQL comparison operators by rule operator: a fixed table, so `sql.raw` never sees user input. */
export const COMPARE = { eq: '=', neq: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

/** A number written as JSON or as a decimal string (shops send `"total": "129.90"` as often as 129.9). */
const NUMERIC_TEXT = '^\\s*[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?\\s*$';

type Value = string | number | boolean | undefined;

/** Operators that hold when a positive condition does not: compiled as `not (positive)`. */
export const NEGATED: Partial<Record<ConditionOperator, ConditionOperator>> = { neq: 'eq', not_exists: 'exists' };

/** The jsonb value as a number when it is one (or a numeric string), else null. */
function numericOf(node: RawBuilder<unknown>, text: RawBuilder<unknown>): RawBuilder<unknown> {
  // CASE evaluates the cast only after the type check and the pattern passed, so odd text never raises.
  return sql`(case jsonb_typeof(${node})
    when 'number' then ${text}::numeric
    when 'string' then case when ${text} ~ ${NUMERIC_TEXT}::text then trim(${text})::numeric end
  end)`;
}

/**
 * A positive condition (anything but neq/not_exists, which callers compile as the negation of eq/exists so a
 * missing value counts as "not equal") on a jsonb expression. Values are always parameters.
 */
export function jsonCondition(node: RawBuilder<unknown>, op: ConditionOperator, value: Value): RawBuilder<SqlBool> {
  const text = sql`(${node} #>> '{}')`;
  switch (op) {
    case 'exists':
      return sql<SqlBool>`(${node} is not null and jsonb_typeof(${node}) <> 'null')`;
    case 'contains': {
      // Arrays contain an element equal to the value; anything else contains it as text, ignoring case.
      const element = typeof value === 'number' ? sql`${value}::numeric` : sql`${String(value)}::text`;
      return sql<SqlBool>`(case when jsonb_typeof(${node}) = 'array' then ${node} @> jsonb_build_array(${element})
        else strpos(lower(${text}), lower(${String(value)}::text)) > 0 end)`;
    }
    case 'starts_with':
      return sql<SqlBool>`starts_with(lower(${text}), lower(${String(value)}::text))`;
    case 'eq':
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      if (typeof value === 'number')
        return sql<SqlBool>`(${numericOf(node, text)} ${sql.raw(COMPARE[op])} ${value}::numeric)`;
      // Strings compare as text; true/false match JSON booleans (and the strings "true"/"false").
      return sql<SqlBool>`(${text} ${sql.raw(COMPARE[op])} ${String(value)}::text)`;
    case 'neq':
    case 'not_exists':
      throw new Error(`${op} is compiled as the negation of ${NEGATED[op]}`);
  }
}

/** A condition on a jsonb value inside one row (an event's property): neq/not_exists also hold when it is missing. */
export function rowCondition(node: RawBuilder<unknown>, op: ConditionOperator, value: Value): RawBuilder<SqlBool> {
  const positive = NEGATED[op];
  if (positive) return sql<SqlBool>`(not coalesce(${jsonCondition(node, positive, value)}, false))`;
  return sql<SqlBool>`coalesce(${jsonCondition(node, op, value)}, false)`;
}
