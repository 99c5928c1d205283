// Segment storage (definitions per site) and the live queries over a compiled rule tree: count and member pages.
import { randomUUID } from 'node:crypto';
import { type Expression, type Kysely, type Selectable, type SqlBool, sql } from 'kysely';
import type { Database } from '../db/index.ts';
import {
  type SegmentDefinition,
  type SegmentRule,
  segmentRuleSchema,
  type WireSegment,
  type WireSegmentMember,
} from '../protocol/index.ts';
import { BUILTIN_SEGMENTS, builtinSegment, isBuiltinId } from './builtins.ts';
import { checkExtensions, compileRule, SegmentRuleError } from './compile.ts';
import type { SegmentsTable } from './tables.ts';

type SegmentRow = Selectable<SegmentsTable>;

export function toWireSegment(r: SegmentRow): WireSegment {
  return {
    id: r.segment_id,
    name: r.name,
    description: r.description,
    builtin: false,
    rules: r.rules,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

/** Built-ins first, then the site's segments by name. */
export async function listSegments(db: Kysely<Database>, siteId: string): Promise<WireSegment[]> {
  const rows = await db.selectFrom('segments').selectAll().where('site_id', '=', siteId).orderBy('name').execute();
  return [...BUILTIN_SEGMENTS, ...rows.map(toWireSegment)];
}

/** A built-in or stored segment; undefined when the site has none by that id. */
export async function findSegment(db: Kysely<Database>, siteId: string, id: string): Promise<WireSegment | undefined> {
  if (isBuiltinId(id)) return builtinSegment(id);
  const row = await db
    .selectFrom('segments')
    .selectAll()
    .where('site_id', '=', siteId)
    .where('segment_id', '=', id)
    .executeTakeFirst();
  return row && toWireSegment(row);
}

export async function insertSegment(
  db: Kysely<Database>,
  siteId: string,
  d: SegmentDefinition,
  now: Date,
): Promise<WireSegment> {
  const row = await db
    .insertInto('segments')
    .values({
      site_id: siteId,
      segment_id: randomUUID(),
      name: d.name,
      description: d.description,
      rules: JSON.stringify(d.rules),
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toWireSegment(row);
}

export async function replaceSegment(
  db: Kysely<Database>,
  siteId: string,
  id: string,
  d: SegmentDefinition,
  now: Date,
): Promise<WireSegment | undefined> {
  const row = await db
    .updateTable('segments')
    .set({ name: d.name, description: d.description, rules: JSON.stringify(d.rules), updated_at: now })
    .where('site_id', '=', siteId)
    .where('segment_id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return row && toWireSegment(row);
}

export async function deleteSegment(db: Kysely<Database>, siteId: string, id: string): Promise<boolean> {
  const r = await db
    .deleteFrom('segments')
    .where('site_id', '=', siteId)
    .where('segment_id', '=', id)
    .executeTakeFirst();
  return r.numDeletedRows > 0n;
}

/**
 * A stored tree read back through the schema and the registry (a kind may have been unregistered since it was
 * saved): throws SegmentRuleError when it no longer holds.
 */
export function checkedRules(rules: unknown): SegmentRule {
  const parsed = segmentRuleSchema.safeParse(rules);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SegmentRuleError(['rules', ...(issue?.path ?? [])].join('.'), issue?.message ?? 'invalid rules');
  }
  return checkExtensions(parsed.data);
}

/** The profiles of the site, with their classification (null columns when not classified yet). */
function profilesOf(db: Kysely<Database>, siteId: string) {
  return db
    .selectFrom('profiles as p')
    .leftJoin('profile_classes as c', (j) =>
      j.onRef('c.site_id', '=', 'p.site_id').onRef('c.profile_id', '=', 'p.profile_id'),
    )
    .where('p.site_id', '=', siteId);
}

export interface SegmentQuery {
  siteId: string;
  rules: SegmentRule;
  now: Date;
}

function condition(q: SegmentQuery): Expression<SqlBool> {
  return compileRule(q.rules, { siteId: q.siteId, now: q.now });
}

/**
 * Runs a query over the site's profiles without parallel workers. Each leaf is a set hashed for `in (…)` that
 * every worker builds for itself, so workers repeat the leaves' work instead of sharing it, and on a busy
 * machine they wait for a core besides (bench:segments, 100k profiles on 2 shared cores, count p50 with → without
 * workers: traits 98–220 → 38–50 ms, 7-day product pages without an order 205–417 → 99–101 ms).
 */
export function withoutParallelWorkers<T>(db: Kysely<Database>, run: (trx: Kysely<Database>) => Promise<T>) {
  return db.transaction().execute(async (trx) => {
    await sql`set local max_parallel_workers_per_gather = 0`.execute(trx);
    return run(trx);
  });
}

export function countQuery(db: Kysely<Database>, q: SegmentQuery) {
  return profilesOf(db, q.siteId)
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where(condition(q));
}

export async function countMembers(db: Kysely<Database>, q: SegmentQuery): Promise<number> {
  const row = await withoutParallelWorkers(db, (trx) => countQuery(trx, q).executeTakeFirstOrThrow());
  return Number(row.count);
}

/** A trait's value as text (strings without their JSON quotes). */
const traitText = (key: string) =>
  sql<string | null>`(select t.value #>> '{}' from profile_traits t
    where t.site_id = p.site_id and t.profile_id = p.profile_id and t.key = ${key}::text)`;

/** Members ordered by profile id, after `cursor` (the last id of the previous page). */
export async function pageMembers(
  db: Kysely<Database>,
  q: SegmentQuery,
  page: { cursor?: string | undefined; limit: number },
): Promise<{ members: WireSegmentMember[]; nextCursor: string | null }> {
  let query = profilesOf(db, q.siteId)
    .select([
      'p.profile_id',
      'p.user_id',
      'p.sessions',
      'p.page_views',
      'p.orders',
      'p.revenue',
      'p.last_seen',
      'p.last_order_at',
      traitText('email').as('email'),
      // Segment's spec has `name`, and `firstName`/`lastName` when the shop sends them apart.
      sql<
        string | null
      >`coalesce(${traitText('name')}, nullif(concat_ws(' ', ${traitText('firstName')}, ${traitText('lastName')}), ''))`.as(
        'name',
      ),
    ])
    .where(condition(q))
    .orderBy('p.profile_id')
    .limit(page.limit + 1);
  if (page.cursor !== undefined) query = query.where('p.profile_id', '>', page.cursor);
  const { rows } = await withoutParallelWorkers(db, (trx) => trx.executeQuery(query.compile()));
  const more = rows.length > page.limit;
  const members = rows.slice(0, page.limit).map(
    (r): WireSegmentMember => ({
      profileId: r.profile_id,
      userId: r.user_id,
      email: r.email,
      name: r.name,
      sessions: Number(r.sessions),
      pageViews: Number(r.page_views),
      orders: Number(r.orders),
      revenue: String(r.revenue),
      lastSeen: new Date(r.last_seen).toISOString(),
      lastOrderAt: r.last_order_at === null ? null : new Date(r.last_order_at).toISOString(),
    }),
  );
  return { members, nextCursor: more ? (members.at(-1)?.profileId ?? null) : null };
}

/** A person's identities beyond this are not read (a shared kiosk could gather thousands); membership then errs. */
const MAX_PERSON_IDS = 1000;

/**
 * Whether the person is a member: the profile of their user id (already proven by the caller) when there is one,
 * else that of their anonymous id; false while neither has a profile yet. Evaluated for that profile only, so
 * it costs index lookups rather than a whole-site pass (survey targeting asks on every widget request).
 */
export async function isMember(
  db: Kysely<Database>,
  q: SegmentQuery,
  person: { anonymousId: string; userId: string | null },
): Promise<boolean> {
  const found = await db
    .selectFrom('identities as i')
    .select('i.profile_id')
    .where('i.site_id', '=', q.siteId)
    .where((w) =>
      w.or([
        w.and([w('i.kind', '=', 'anonymous'), w('i.value', '=', person.anonymousId)]),
        ...(person.userId ? [w.and([w('i.kind', '=', 'user'), w('i.value', '=', person.userId)])] : []),
      ]),
    )
    // 'user' sorts after 'anonymous': the user's profile wins.
    .orderBy('i.kind', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!found) return false;
  const ids = await db
    .selectFrom('identities')
    .select(['kind', 'value'])
    .where('site_id', '=', q.siteId)
    .where('profile_id', '=', found.profile_id)
    .limit(MAX_PERSON_IDS)
    .execute();
  const scope = {
    profileId: found.profile_id,
    anonymousIds: ids.filter((i) => i.kind === 'anonymous').map((i) => i.value),
    userIds: ids.filter((i) => i.kind === 'user').map((i) => i.value),
  };
  const row = await profilesOf(db, q.siteId)
    .select('p.profile_id')
    .where('p.profile_id', '=', found.profile_id)
    .where(compileRule(q.rules, { siteId: q.siteId, now: q.now, person: scope }))
    .executeTakeFirst();
  return row !== undefined;
}
