import { type Kysely, sql } from 'kysely';

// Conversations (chat, feedback, complaint), their messages, complaint details, workflow history and photos,
// per-site counters (event sequence, ticket numbers) and the per-site widget secrets.
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's schema type.
export async function up(db: Kysely<any>): Promise<void> {
  // Secrets the server needs in plain text (unlike the secret key): one signs visitor tokens, the other is
  // shared with the shop so it can prove a visitor's user id (HMAC-SHA256(identity_secret, userId)).
  await db.schema
    .createTable('widget_secrets')
    .addColumn('site_id', 'text', (c) => c.primaryKey().references('sites.site_id').onDelete('cascade'))
    .addColumn('token_secret', 'text', (c) => c.notNull())
    .addColumn('identity_secret', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // Gapless per-site counters: the row lock taken by the increment is held until commit, so numbers are
  // handed out in commit order (what lets SSE readers resume by "id greater than" without missing rows).
  await db.schema
    .createTable('conversation_counters')
    .addColumn('site_id', 'text', (c) => c.notNull().references('sites.site_id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('value', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('conversation_counters_pkey', ['site_id', 'name'])
    .execute();

  await db.schema
    .createTable('conversations')
    .addColumn('site_id', 'text', (c) => c.notNull().references('sites.site_id').onDelete('cascade'))
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('chat', 'feedback', 'complaint')`))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('anonymous_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text')
    .addColumn('email', 'text')
    .addColumn('assignee_id', 'text')
    .addColumn('page_url', 'text')
    .addColumn('rating', 'smallint', (c) => c.check(sql`rating between 1 and 5`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('conversations_pkey', ['site_id', 'conversation_id'])
    .execute();
  await db.schema
    .createIndex('conversations_by_age')
    .on('conversations')
    .columns(['site_id', 'created_at', 'conversation_id'])
    .execute();
  await db.schema
    .createIndex('conversations_by_visitor')
    .on('conversations')
    .columns(['site_id', 'anonymous_id'])
    .execute();
  await db.schema.createIndex('conversations_by_user').on('conversations').columns(['site_id', 'user_id']).execute();

  // message_id is the site's event sequence (conversation_counters 'event'), so it is also the SSE event id.
  await db.schema
    .createTable('messages')
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('message_id', 'bigint', (c) => c.notNull())
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('author', 'text', (c) => c.notNull().check(sql`author in ('visitor', 'agent', 'system')`))
    .addColumn('staff_user_id', 'text')
    .addColumn('visibility', 'text', (c) => c.notNull().check(sql`visibility in ('public', 'staff')`))
    .addColumn('event', 'text')
    .addColumn('body', 'text', (c) => c.notNull().check(sql`char_length(body) <= 4000`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('messages_pkey', ['site_id', 'message_id'])
    .addForeignKeyConstraint(
      'messages_conversation_fkey',
      ['site_id', 'conversation_id'],
      'conversations',
      ['site_id', 'conversation_id'],
      (fk) => fk.onDelete('cascade'),
    )
    .execute();
  await db.schema
    .createIndex('messages_by_conversation')
    .on('messages')
    .columns(['site_id', 'conversation_id', 'message_id'])
    .execute();

  await db.schema
    .createTable('complaints')
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('ticket', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('order_number', 'text')
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('technical_report', 'text')
    .addColumn('validation_note', 'text')
    .addColumn('response', 'text')
    .addPrimaryKeyConstraint('complaints_pkey', ['site_id', 'conversation_id'])
    .addUniqueConstraint('complaints_ticket_key', ['site_id', 'ticket'])
    .addForeignKeyConstraint(
      'complaints_conversation_fkey',
      ['site_id', 'conversation_id'],
      'conversations',
      ['site_id', 'conversation_id'],
      (fk) => fk.onDelete('cascade'),
    )
    .execute();

  await db.schema
    .createTable('complaint_transitions')
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('transition_id', 'bigint', (c) => c.notNull().generatedAlwaysAsIdentity())
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_email', 'text')
    .addColumn('actor_role', 'text')
    .addColumn('text', 'text')
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('complaint_transitions_pkey', ['site_id', 'transition_id'])
    .addForeignKeyConstraint(
      'complaint_transitions_complaint_fkey',
      ['site_id', 'conversation_id'],
      'complaints',
      ['site_id', 'conversation_id'],
      (fk) => fk.onDelete('cascade'),
    )
    .execute();

  await db.schema
    .createTable('complaint_photos')
    .addColumn('site_id', 'text', (c) => c.notNull())
    .addColumn('photo_id', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('bytes', 'bytea', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('complaint_photos_pkey', ['site_id', 'photo_id'])
    .addForeignKeyConstraint(
      'complaint_photos_complaint_fkey',
      ['site_id', 'conversation_id'],
      'complaints',
      ['site_id', 'conversation_id'],
      (fk) => fk.onDelete('cascade'),
    )
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'complaint_photos',
    'complaint_transitions',
    'complaints',
    'messages',
    'conversations',
    'conversation_counters',
    'widget_secrets',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
