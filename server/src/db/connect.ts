// Opens the database: Postgres through pg when DATABASE_URL is set, embedded PGlite in DATA_DIR otherwise.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { type Notifications, pgliteNotifications, pgNotifications } from './notifications.ts';
import { PGliteDialect } from './pglite-dialect.ts';
import type { Database } from './schema.ts';

// Both dialects hand the same JS types back: int8 as number (counts and sequences stay far below
// 2^53), numeric as its exact decimal string.
const INT8 = 20;
const NUMERIC = 1700;
pg.types.setTypeParser(INT8, (v) => Number(v));

export type DialectName = 'postgres' | 'pglite';

export interface Db {
  readonly kysely: Kysely<Database>;
  readonly dialect: DialectName;
  /** The pg pool on Postgres (for COPY and LISTEN), absent on PGlite. */
  readonly pool?: pg.Pool;
  /** LISTEN/NOTIFY fan-out between server processes (closed by close()). */
  readonly notifications: Notifications;
  close(): Promise<void>;
}

export interface OpenOptions {
  databaseUrl?: string | undefined;
  /** A folder for PGlite, or `memory://` for a throwaway database. */
  dataDir?: string;
  poolSize?: number;
}

export async function openDatabase(options: OpenOptions): Promise<Db> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10 });
    // An idle client losing its server must not crash the process; the next query reports it.
    pool.on('error', () => {});
    const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const notifications = pgNotifications(options.databaseUrl);
    return {
      kysely,
      dialect: 'postgres',
      pool,
      notifications,
      close: async () => {
        await notifications.close();
        await kysely.destroy();
      },
    };
  }
  const dataDir = options.dataDir ?? './data';
  const location = dataDir.startsWith('memory://') ? dataDir : resolve(dataDir);
  if (!location.startsWith('memory://')) mkdirSync(location, { recursive: true });
  const pglite = await PGlite.create(location, { parsers: { [INT8]: Number, [NUMERIC]: String } });
  const kysely = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  const notifications = pgliteNotifications(pglite);
  return {
    kysely,
    dialect: 'pglite',
    notifications,
    close: async () => {
      await notifications.close();
      await kysely.destroy();
      await pglite.close();
    },
  };
}
