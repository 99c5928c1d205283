import { type Kysely, sql } from 'kysely';

// Staff accounts are global (one person may work on several sites); everything they may see is
// granted per site in site_members, keyed by site_id like every tenant table.
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's schema type.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('staff_users')
    .addColumn('user_id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create unique index staff_users_email_key on staff_users (lower(email))`.execute(db);
  await db.schema
    .createTable('site_members')
    .addColumn('site_id', 'text', (c) => c.notNull().references('sites.site_id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('staff_users.user_id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin', 'marketer', 'agent', 'validator')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('site_members_pkey', ['site_id', 'user_id'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('site_members').execute();
  await db.schema.dropTable('staff_users').execute();
}
