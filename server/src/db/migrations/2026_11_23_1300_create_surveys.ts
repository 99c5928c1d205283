import { type Kysely, sql } from 'kysely';

// Surveys (definitions as jsonb, validated by the application), their responses, and per-visitor
// impressions/dismissals that the frequency caps count.
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's schema type.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('surveys')
    .addColumn('site_id', 'text', (c) => c.notNull().references('sites.site_id').onDelete('cascade'))
    .addColumn('survey_id', 'text', (c) => c.notNull())
    // Creation order, which decides which of several matching surveys a page gets (ties of created_at happen).
    .addColumn('seq', 'bigint', (c) => c.notNull().generatedAlwaysAsIdentity())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('draft', 'active', 'paused', 'archived')`))
    .addColumn('questions', 'jsonb', (c) => c.notNull())
    .addColumn('targeting', 'jsonb', (c) => c.notNull())
    .addColumn('frequency', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('surveys_pkey', ['site_id', 'survey_id'])
    .execute();
  await db.schema.createIndex('surveys_by_status').on('surveys').columns(['site_id', 'status']).execute();

  await db.schema
    .createTable('survey_responses')
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('response_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull().generatedAlwaysAsIdentity())
    .addColumn('survey_id', 'text', (c) => c.notNull())
    .addColumn('anonymous_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text')
    .addColumn('url', 'text')
    .addColumn('answers', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('survey_responses_pkey', ['site_id', 'response_id'])
    .addForeignKeyConstraint(
      'survey_responses_survey_fkey',
      ['site_id', 'survey_id'],
      'surveys',
      ['site_id', 'survey_id'],
      (fk) => fk.onDelete('cascade'),
    )
    .execute();
  await db.schema
    .createIndex('survey_responses_by_survey')
    .on('survey_responses')
    .columns(['site_id', 'survey_id', 'seq'])
    .execute();
  // The caps look up a visitor's responses by anonymous id or user id; so do GDPR export and erasure.
  await db.schema
    .createIndex('survey_responses_by_visitor')
    .on('survey_responses')
    .columns(['site_id', 'anonymous_id', 'survey_id'])
    .execute();
  await db.schema
    .createIndex('survey_responses_by_user')
    .on('survey_responses')
    .columns(['site_id', 'user_id', 'survey_id'])
    .execute();

  await db.schema
    .createTable('survey_impressions')
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('survey_id', 'text', (c) => c.notNull())
    .addColumn('anonymous_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('seen', 'dismissed')`))
    .addColumn('user_id', 'text')
    .addColumn('times', 'integer', (c) => c.notNull())
    .addColumn('last_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('survey_impressions_pkey', ['site_id', 'survey_id', 'anonymous_id', 'kind'])
    .addForeignKeyConstraint(
      'survey_impressions_survey_fkey',
      ['site_id', 'survey_id'],
      'surveys',
      ['site_id', 'survey_id'],
      (fk) => fk.onDelete('cascade'),
    )
    .execute();
  await db.schema
    .createIndex('survey_impressions_by_visitor')
    .on('survey_impressions')
    .columns(['site_id', 'anonymous_id'])
    .execute();
  await db.schema
    .createIndex('survey_impressions_by_user')
    .on('survey_impressions')
    .columns(['site_id', 'user_id'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('survey_impressions').execute();
  await db.schema.dropTable('survey_responses').execute();
  await db.schema.dropTable('surveys').execute();
}
