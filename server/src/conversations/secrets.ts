// Per-site widget secrets, created on first use (so sites made before this capability or by any path get them).
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.ts';
import { newSecret } from './tokens.ts';

export interface WidgetSecrets {
  tokenSecret: string;
  identitySecret: string;
}

export async function loadWidgetSecrets(db: Kysely<Database>, siteId: string): Promise<WidgetSecrets> {
  const found = await db
    .selectFrom('widget_secrets')
    .select(['token_secret', 'identity_secret'])
    .where('site_id', '=', siteId)
    .executeTakeFirst();
  if (found) return { tokenSecret: found.token_secret, identitySecret: found.identity_secret };
  // Two first requests may race: the insert is a no-op for the loser, and both read the winner's row.
  await db
    .insertInto('widget_secrets')
    .values({ site_id: siteId, token_secret: newSecret(), identity_secret: newSecret() })
    .onConflict((oc) => oc.column('site_id').doNothing())
    .execute();
  const row = await db
    .selectFrom('widget_secrets')
    .select(['token_secret', 'identity_secret'])
    .where('site_id', '=', siteId)
    .executeTakeFirstOrThrow();
  return { tokenSecret: row.token_secret, identitySecret: row.identity_secret };
}

/** Replaces the identity secret (the shop must then use the new one); visitor tokens stay valid. */
export async function rotateIdentitySecret(db: Kysely<Database>, siteId: string): Promise<string> {
  await loadWidgetSecrets(db, siteId);
  const identitySecret = newSecret();
  await db
    .updateTable('widget_secrets')
    .set({ identity_secret: identitySecret })
    .where('site_id', '=', siteId)
    .execute();
  return identitySecret;
}

/** Secrets change only by rotation, so each process keeps them for a minute. */
export class SecretCache {
  private readonly entries = new Map<string, { value: WidgetSecrets; expires: number }>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly ttlMs = 60_000,
  ) {}

  async get(siteId: string): Promise<WidgetSecrets> {
    const now = Date.now();
    const hit = this.entries.get(siteId);
    if (hit && hit.expires > now) return hit.value;
    const value = await loadWidgetSecrets(this.db, siteId);
    if (this.entries.size >= 10_000) this.entries.clear();
    this.entries.set(siteId, { value, expires: now + this.ttlMs });
    return value;
  }

  clear(): void {
    this.entries.clear();
  }
}
