// The storage layer: connections to either dialect, the schema type and migrations.
export { type Db, type DialectName, type OpenOptions, openDatabase } from './connect.ts';
export { ensureEventPartitions, MigrationError, migrateToLatest } from './migrate.ts';
export type { NotificationHandler, Notifications } from './notifications.ts';
export type { Database } from './schema.ts';
