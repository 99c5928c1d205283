// The audit log of staff actions per site: who (a staff user or the secret key), what, on what, when.
import type { Context } from 'hono';
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.ts';
import type { StaffEnv } from '../http/middleware/staff-env.ts';

export const SECRET_KEY_ACTOR = 'secret-key';

export interface AuditEntry {
  action: string;
  target: string | null;
  details?: Record<string, unknown>;
}

export interface AuditActor {
  /** A staff user id, or SECRET_KEY_ACTOR. */
  id: string;
  email: string | null;
}

/** Appends one entry; capabilities call audit(c, …) instead, which knows the site and the actor. */
export async function writeAudit(
  db: Kysely<Database>,
  siteId: string,
  actor: AuditActor,
  entry: AuditEntry,
): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      site_id: siteId,
      actor: actor.id,
      actor_email: actor.email,
      action: entry.action,
      target: entry.target,
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute();
}

/**
 * Records a state-changing staff action on the request's site, by its signed-in user or the secret key.
 * Call it after the change succeeded. `action` is `<capability>.<verb>` (e.g. `complaint.validate`).
 */
export function audit(
  c: Context<StaffEnv>,
  action: string,
  target: string | null,
  details?: Record<string, unknown>,
): Promise<void> {
  return c.get('auditLog')({ action, target, details });
}

export interface AuditRow {
  id: string;
  at: string;
  actor: string;
  actorEmail: string | null;
  action: string;
  target: string | null;
  details: Record<string, unknown>;
}

/** Newest first, `limit` per page; the cursor is the last id seen. */
export async function listAudit(
  db: Kysely<Database>,
  siteId: string,
  page: { cursor?: string; limit: number },
): Promise<{ entries: AuditRow[]; nextCursor: string | null }> {
  let q = db
    .selectFrom('audit_log')
    .select(['entry_id', 'at', 'actor', 'actor_email', 'action', 'target', 'details'])
    .where('site_id', '=', siteId)
    .orderBy('entry_id', 'desc')
    .limit(page.limit + 1);
  if (page.cursor !== undefined) q = q.where('entry_id', '<', page.cursor);
  const rows = await q.execute();
  const more = rows.length > page.limit;
  const entries = rows.slice(0, page.limit).map((r) => ({
    id: String(r.entry_id),
    at: r.at.toISOString(),
    actor: r.actor,
    actorEmail: r.actor_email,
    action: r.action,
    target: r.target,
    details: r.details,
  }));
  return { entries, nextCursor: more ? (entries.at(-1)?.id ?? null) : null };
}
