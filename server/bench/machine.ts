// What a benchmark ran on, printed with its figures: the machine, the software and how busy the machine was.
import os from 'node:os';
import { sql } from 'kysely';
import type { Db } from '../src/db/index.ts';

/** `2 cores, AMD EPYC, 23.4 GiB, Linux 6.1.0` */
export function machineLine(): string {
  const model = os.cpus()[0]?.model.trim() ?? '?';
  return `${os.availableParallelism()} cores, ${model}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ${os.type()} ${os.release()}`;
}

/** `Postgres 15.20` or `PGlite (Postgres 17.4)`, with Node's version. */
export async function softwareLine(db: Db): Promise<string> {
  const { rows } = await sql<{ v: string }>`select current_setting('server_version') as v`.execute(db.kysely);
  const version = rows[0]?.v ?? '?';
  return `Node ${process.version}, ${db.dialect === 'pglite' ? `PGlite (Postgres ${version})` : `Postgres ${version}`}`;
}

/** The 1-minute load average: other work on the machine skews every figure. */
export const loadAverage = () => os.loadavg()[0] ?? 0;
