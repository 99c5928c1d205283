import { type Kysely, sql } from 'kysely';

// Per-site settings the browser needs (widget on/off and look); validated by the sites capability.
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's schema type.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('sites')
    .addColumn('settings', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sites').dropColumn('settings').execute();
}
