import type { Kysely } from 'kysely';

// How far each staff user has read each conversation (a message id), so the inbox can show what is unread
// to them. Deleting the conversation (GDPR erasure) or the staff account takes the marker with it.
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's schema type.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('conversation_reads')
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('staff_users.user_id').onDelete('cascade'))
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('read_up_to', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('conversation_reads_pkey', ['site_id', 'user_id', 'conversation_id'])
    .addForeignKeyConstraint(
      'conversation_reads_conversation_fkey',
      ['site_id', 'conversation_id'],
      'conversations',
      ['site_id', 'conversation_id'],
      (fk) => fk.onDelete('cascade'),
    )
    .execute();
  // The erasure's cascade finds a conversation's markers by this.
  await db.schema
    .createIndex('conversation_reads_by_conversation')
    .on('conversation_reads')
    .columns(['site_id', 'conversation_id'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('conversation_reads').execute();
}
