import { type Kysely, sql } from 'kysely';

// The key each site's heatmap overlay tokens are signed with (HMAC-SHA256), created on first use. Kept in the
// database so every server process verifies what any of them signed; deleting the site takes it along.
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's schema type.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('heatmap_overlay_keys')
    .addColumn('site_id', 'text', (c) => c.primaryKey().references('sites.site_id').onDelete('cascade'))
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('heatmap_overlay_keys').execute();
}
