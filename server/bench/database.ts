// The benchmarks' database, migrated and empty: a scratch database next to DATABASE_URL's when it is set
// (dropped afterwards), else an embedded PGlite in a temporary folder (deleted afterwards).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Db, migrateToLatest, openDatabase } from '../src/db/index.ts';
import { createScratchDatabase } from '../src/db/testing.ts';

export interface BenchDb {
  db: Db;
  /** Where it lives, for the report: `Postgres database fideliza_bench_…` or `PGlite in /tmp/…`. */
  where: string;
  /** Closes and drops (or deletes) it; safe to call twice. */
  close(): Promise<void>;
}

export async function openBenchDatabase(prefix = 'fideliza_bench', poolSize = 8): Promise<BenchDb> {
  let dispose: () => Promise<void>;
  let db: Db;
  let where: string;
  if (process.env.DATABASE_URL) {
    const scratch = await createScratchDatabase(prefix);
    where = `Postgres database ${new URL(scratch.url).pathname.slice(1)}`;
    db = await openDatabase({ databaseUrl: scratch.url, poolSize });
    dispose = async () => {
      await db.close();
      await scratch.drop();
    };
  } else {
    const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
    where = `PGlite in ${dir}`;
    db = await openDatabase({ dataDir: dir });
    dispose = async () => {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    };
  }
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= dispose();
    return closing;
  };
  try {
    await migrateToLatest(db.kysely);
  } catch (error) {
    await close();
    throw error;
  }
  return { db, where, close };
}
