// The extension point for rule kinds other capabilities add (survey answers, open complaints, …): each registers
// a kind with the zod schema of its params and a compiler from params to a SQL condition over the profile.
import type { Expression, RawBuilder, SqlBool } from 'kysely';
import { z } from 'zod';
import type { WireExtensionKind } from '../protocol/index.ts';

/** What a leaf compiler may refer to: the profile row being tested (alias `p`), the site, and the clock. */
export interface LeafContext {
  /** The site being queried, to pass as a parameter: every subquery must filter on it. */
  siteId: string;
  /** The moment "in the last N days" counts back from. */
  now: Date;
  /** `p.profile_id` of the profile being tested (compare it with `in (select profile_id …)` for set-based plans). */
  profileId: RawBuilder<string>;
}

/**
 * A rule kind, used in a tree as `{ "type": "ext", "kind": <kind>, "params": {…} }`. `compile` must build its SQL
 * with Kysely (values as parameters, identifiers fixed in code) and filter every table it reads by `siteId`.
 * Prefer `profileId in (select profile_id from … where site_id = …)`: Postgres runs it as one hashed set per
 * query instead of one lookup per profile, which keeps counts over 100k profiles fast.
 */
export interface SegmentLeafKind<P> {
  kind: string;
  /** Validates the leaf's `params`; its error paths are reported under the leaf's path. */
  params: z.ZodType<P, unknown>;
  compile(params: P, ctx: LeafContext): Expression<SqlBool>;
  /** A short human description for the dashboard's rule picker. */
  label?: string;
}

/** A registered kind with its params type erased (they are checked by its own schema before compile). */
export interface AnyLeafKind {
  kind: string;
  label?: string | undefined;
  /** JSON Schema of the params (as the builder sends them), null when the schema has no JSON form. */
  paramsSchema: Record<string, unknown> | null;
  parse(params: unknown): z.ZodSafeParseResult<unknown>;
  compile(params: unknown, ctx: LeafContext): Expression<SqlBool>;
}

const kinds = new Map<string, AnyLeafKind>();

/** Registers a rule kind (at start-up); returns the function that removes it. Registering a kind twice throws. */
export function registerSegmentLeaf<P>(leaf: SegmentLeafKind<P>): () => void {
  if (!/^[a-z][a-z0-9_]{0,39}$/.test(leaf.kind)) throw new Error(`bad segment rule kind ${leaf.kind}`);
  if (kinds.has(leaf.kind)) throw new Error(`segment rule kind ${leaf.kind} is already registered`);
  kinds.set(leaf.kind, {
    kind: leaf.kind,
    label: leaf.label,
    paramsSchema: jsonSchemaOf(leaf.params),
    parse: (params) => leaf.params.safeParse(params),
    // Only ever called with the output of parse() above, so the cast restores the type it erased.
    compile: (params, ctx) => leaf.compile(params as P, ctx),
  });
  return () => kinds.delete(leaf.kind);
}

export function segmentLeafKind(kind: string): AnyLeafKind | undefined {
  return kinds.get(kind);
}

/** The input side of a params schema, so the builder knows which fields to ask for and of what type. */
function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> | null {
  try {
    return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  } catch {
    // A schema zod cannot describe (a cycle, say): the builder then edits the params as JSON text.
    return null;
  }
}

/** The registered kinds (for the dashboard's rule picker). */
export function segmentLeafKinds(): WireExtensionKind[] {
  return [...kinds.values()].map((k) => ({ kind: k.kind, label: k.label ?? null, params: k.paramsSchema }));
}
