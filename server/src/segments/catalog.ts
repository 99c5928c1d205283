// What the dashboard's rule builder can build: every rule type with the fields, operators and values the wire
// schema accepts, the kinds other capabilities registered, and names seen on the site to suggest while typing.
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/index.ts';
import {
  classFieldValues,
  comparisonOperators,
  conditionOperators,
  dateCounterFields,
  MAX_PROPERTY_FILTERS,
  MAX_SEGMENT_DEPTH,
  MAX_SEGMENT_LEAVES,
  MAX_WINDOW_DAYS,
  numberCounterFields,
  scoreFields,
  visitMatches,
  type WireClassField,
  type WireLeafType,
  type WireSegmentCatalog,
} from '../protocol/index.ts';
import { segmentLeafKinds } from './registry.ts';

/** Suggestions are a convenience: a bounded number, read from a bounded amount of data. */
export const MAX_SUGGESTIONS = 100;
/** Event names and page paths are suggested from the site's latest events, newest first (a primary-key range). */
export const RECENT_EVENTS = 5000;

const EQUALITY = ['eq', 'neq'] as ('eq' | 'neq')[];
const VALUELESS = ['exists', 'not_exists'] as ('exists' | 'not_exists')[];

/** The classification fields: names (lifecycle, RFM segment, ABC class, churn risk), premium, and the scores. */
function classFields(): WireClassField[] {
  const named = Object.entries(classFieldValues).map(
    ([field, names]): WireClassField => ({
      field: field as WireClassField['field'],
      operators: EQUALITY,
      values: { kind: 'names', names: [...names] },
    }),
  );
  return [
    ...named,
    { field: 'premium', operators: EQUALITY, values: { kind: 'boolean' } },
    ...scoreFields.map(
      (field): WireClassField => ({
        field,
        operators: [...comparisonOperators],
        values: { kind: 'score', min: 1, max: 5 },
      }),
    ),
  ];
}

/** The built-in rule types, in the order the builder offers them. */
export function leafTypes(): WireLeafType[] {
  const condition = { operators: [...conditionOperators], valueless: VALUELESS };
  return [
    { type: 'trait', ...condition },
    {
      type: 'counter',
      numberFields: [...numberCounterFields],
      dateFields: [...dateCounterFields],
      operators: [...comparisonOperators],
    },
    { type: 'class', fields: classFields() },
    { type: 'did', ...condition },
    { type: 'did_not', ...condition },
    { type: 'visited', matches: [...visitMatches] },
  ];
}

/** The site's trait keys, read by skipping through the (site_id, key, …) index one key at a time. */
async function traitKeys(db: Kysely<Database>, siteId: string): Promise<string[]> {
  const { rows } = await sql<{ key: string }>`
    with recursive k (key, n) as (
      (select key, 1 from profile_traits where site_id = ${siteId} order by key limit 1)
      union all
      (select (select t.key from profile_traits t where t.site_id = ${siteId} and t.key > k.key order by t.key limit 1),
        k.n + 1
       from k where k.key is not null and k.n < ${MAX_SUGGESTIONS})
    )
    select key from k where key is not null order by key`.execute(db);
  return rows.map((r) => r.key);
}

/** Tracked event names and viewed paths among the site's latest events, the most frequent first. */
async function recentNames(db: Kysely<Database>, siteId: string): Promise<{ events: string[]; paths: string[] }> {
  const recent = db
    .selectFrom('events')
    .select(['type', 'event', 'url_path'])
    .where('site_id', '=', siteId)
    .orderBy('timestamp', 'desc')
    .limit(RECENT_EVENTS)
    .as('r');
  const top = (column: 'event' | 'url_path', type: 'track' | 'page') =>
    db
      .selectFrom(recent)
      .select(sql.ref<string>(`r.${column}`).as('name'))
      .where('r.type', '=', type)
      .where(sql.ref(`r.${column}`), 'is not', null)
      .groupBy(sql.ref(`r.${column}`))
      .orderBy(sql`count(*)`, 'desc')
      .orderBy(sql.ref(`r.${column}`))
      .limit(MAX_SUGGESTIONS)
      .execute();
  const [events, paths] = await Promise.all([top('event', 'track'), top('url_path', 'page')]);
  return { events: events.map((r) => r.name), paths: paths.map((r) => r.name) };
}

export async function segmentCatalog(db: Kysely<Database>, siteId: string): Promise<WireSegmentCatalog> {
  const [traits, recent] = await Promise.all([traitKeys(db, siteId), recentNames(db, siteId)]);
  return {
    limits: {
      depth: MAX_SEGMENT_DEPTH,
      leaves: MAX_SEGMENT_LEAVES,
      windowDays: MAX_WINDOW_DAYS,
      propertyFilters: MAX_PROPERTY_FILTERS,
    },
    leaves: leafTypes(),
    extensions: segmentLeafKinds(),
    suggestions: { traits, ...recent },
  };
}
