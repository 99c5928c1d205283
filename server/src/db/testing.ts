// Test databases: a fresh in-memory PGlite, and a fresh Postgres database when DATABASE_URL is set.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Db, type DialectName, openDatabase } from './connect.ts';
import { migrateToLatest } from './migrate.ts';

/** The dialects this run covers: PGlite always, Postgres too when DATABASE_URL points at one. */
export const testDialects: DialectName[] = process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export interface TestDb extends Db {
  /** Connection string of the fresh Postgres database (absent on PGlite). */
  readonly url?: string;
}

/** A migrated, empty database of that dialect; close() drops it. */
export async function openTestDatabase(dialect: DialectName): Promise<TestDb> {
  if (dialect === 'pglite') {
    const db = await openDatabase({ dataDir: 'memory://' });
    await migrateToLatest(db.kysely);
    return db;
  }
  const { url, drop } = await createScratchDatabase();
  const db = await openDatabase({ databaseUrl: url, poolSize: 8 });
  await migrateToLatest(db.kysely);
  return {
    ...db,
    url,
    close: async () => {
      await db.close();
      await drop();
    },
  };
}

/** Creates an empty database next to DATABASE_URL's; drop() removes it even with clients left. */
export async function createScratchDatabase(
  prefix = 'fideliza_test',
): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error('DATABASE_URL is not set');
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      try {
        await c.query(`drop database if exists ${name} with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}
