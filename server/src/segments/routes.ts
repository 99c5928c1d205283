// Segment APIs (/api/segments…, staff session or secret key): definitions, live counts, members, CSV export, and
// what the dashboard's rule builder can build.
import { type Context, Hono } from 'hono';
import type { Kysely } from 'kysely';
import { audit } from '../auth/index.ts';
import type { Database } from '../db/index.ts';
import { AppError } from '../http/errors.ts';
import { jsonBody } from '../http/json-body.ts';
import type { SiteEnv } from '../http/middleware/secret-key.ts';
import { requireStaff } from '../http/middleware/staff.ts';
import { queryParams } from '../http/query.ts';
import {
  type SegmentDefinition,
  type SegmentRule,
  segmentDefinitionSchema,
  segmentMembersQuerySchema,
  segmentPreviewSchema,
  type WireSegment,
} from '../protocol/index.ts';
import { isBuiltinId } from './builtins.ts';
import { segmentCatalog } from './catalog.ts';
import { checkExtensions, SegmentRuleError } from './compile.ts';
import { membersCsv } from './csv.ts';
import {
  checkedRules,
  countMembers,
  deleteSegment,
  findSegment,
  insertSegment,
  listSegments,
  pageMembers,
  replaceSegment,
} from './queries.ts';

export interface SegmentDeps {
  db: Kysely<Database>;
  now: () => Date;
}

/** Runs the registry's checks, turning their failure into a 400 that names the path. */
function rulesOrFail(check: () => SegmentRule): SegmentRule {
  try {
    return check();
  } catch (e) {
    if (e instanceof SegmentRuleError) throw new AppError(400, 'invalid_rules', e.message, e.path);
    throw e;
  }
}

export function segmentRoutes({ db, now }: SegmentDeps) {
  // A staff session with the route's role (auth/policy.ts), or the site's secret key.
  const guard = requireStaff(db);
  const notFound = () => new AppError(404, 'not_found', 'no such segment');
  const readOnly = () => new AppError(409, 'builtin_segment', 'built-in segments cannot be changed');

  const segmentOf = async (c: Context<SiteEnv>): Promise<WireSegment> => {
    const segment = await findSegment(db, c.get('site').siteId, c.req.param('id') ?? '');
    if (!segment) throw notFound();
    return segment;
  };
  /** The query over a segment's members, evaluated at one moment. */
  const queryOf = async (c: Context<SiteEnv>) => {
    const segment = await segmentOf(c);
    return {
      segment,
      q: { siteId: c.get('site').siteId, rules: rulesOrFail(() => checkedRules(segment.rules)), now: now() },
    };
  };
  const checkedDefinition = (d: SegmentDefinition) => ({ ...d, rules: rulesOrFail(() => checkExtensions(d.rules)) });

  return (
    new Hono<SiteEnv>()
      .get('/api/segments', guard, async (c) => c.json({ segments: await listSegments(db, c.get('site').siteId) }, 200))
      .post('/api/segments', guard, jsonBody(segmentDefinitionSchema), async (c) => {
        const d = checkedDefinition(c.req.valid('json'));
        const created = await insertSegment(db, c.get('site').siteId, d, now());
        await audit(c, 'segment.create', created.id);
        return c.json(created, 201);
      })
      // The dashboard's live count while a tree is being edited (nothing stored).
      .post('/api/segments/preview/count', guard, jsonBody(segmentPreviewSchema), async (c) => {
        const { rules } = c.req.valid('json');
        const q = { siteId: c.get('site').siteId, rules: rulesOrFail(() => checkExtensions(rules)), now: now() };
        return c.json({ count: await countMembers(db, q) }, 200);
      })
      // Before /:id, which would otherwise take `conditions` for a segment id.
      .get('/api/segments/conditions', guard, async (c) => c.json(await segmentCatalog(db, c.get('site').siteId), 200))
      .get('/api/segments/:id', guard, async (c) => c.json(await segmentOf(c), 200))
      .put('/api/segments/:id', guard, jsonBody(segmentDefinitionSchema), async (c) => {
        if (isBuiltinId(c.req.param('id'))) throw readOnly();
        const d = checkedDefinition(c.req.valid('json'));
        const segment = await replaceSegment(db, c.get('site').siteId, c.req.param('id'), d, now());
        if (!segment) throw notFound();
        await audit(c, 'segment.update', segment.id);
        return c.json(segment, 200);
      })
      .delete('/api/segments/:id', guard, async (c) => {
        if (isBuiltinId(c.req.param('id'))) throw readOnly();
        if (!(await deleteSegment(db, c.get('site').siteId, c.req.param('id')))) throw notFound();
        await audit(c, 'segment.delete', c.req.param('id'));
        return c.body(null, 204);
      })
      .get('/api/segments/:id/count', guard, async (c) => {
        const { segment, q } = await queryOf(c);
        return c.json({ id: segment.id, count: await countMembers(db, q) }, 200);
      })
      .get('/api/segments/:id/members', guard, queryParams(segmentMembersQuerySchema), async (c) => {
        const page = c.req.valid('query');
        const { q } = await queryOf(c);
        return c.json(await pageMembers(db, q, page), 200);
      })
      .get('/api/segments/:id/export.csv', guard, async (c) => {
        const { segment, q } = await queryOf(c);
        // Personal data leaves the system: recorded like other exports.
        await audit(c, 'segment.export', segment.id);
        // Built-in ids hold `:`; the file name keeps only what every file system accepts.
        const file = `segment-${segment.id.replace(/[^A-Za-z0-9_-]/g, '-')}.csv`;
        return new Response(membersCsv(db, q), {
          headers: {
            'content-type': 'text/csv; charset=utf-8',
            'content-disposition': `attachment; filename="${file}"`,
          },
        });
      })
  );
}
