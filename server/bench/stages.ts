// node --import tsx bench/stages.ts [--events 100000] [--group 500] [--writers 2]
//
// Where ingestion time goes, stage by stage, without HTTP: the server's own functions run in this process
// on the benchmark's bodies (CPU µs per event for each stage), then the writers (insertEvents, PGlite's one
// statement, and copyWriter, the server's path on Postgres, in groups of --group rows from --writers concurrent
// writers) against COPY of the same rows, each with the Postgres backends' CPU per event (from /proc: Postgres
// on this machine) and this process's.
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { type Db, migrateToLatest, openDatabase } from '../src/db/index.ts';
import { createScratchDatabase } from '../src/db/testing.ts';
import { copyData, copyWriter, type EventRow, insertEvents, toEventRow } from '../src/ingest/index.ts';
import { bodyTraits, checkMessage } from '../src/ingest/validate.ts';
import { batchSchema, type Message } from '../src/protocol/index.ts';
import { createSite } from '../src/sites/index.ts';
import { copyChunksOf, copyIntoEvents } from './copy.ts';
import { backendPids, snapshot, used } from './cpu.ts';
import { eventFactory } from './events.ts';
import { positiveOption } from './stats.ts';

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '100000' },
    group: { type: 'string', default: '500' },
    writers: { type: 'string', default: '2' },
  },
});
const BATCH = 20;
const batches = Math.ceil(positiveOption('events', args.events) / BATCH);
const group = positiveOption('group', args.group);
const writers = positiveOption('writers', args.writers);
process.env.DATABASE_URL ||= 'postgres://postgres@127.0.0.1:5432/postgres';

const perEvent = (ms: number, events: number) => `${((ms * 1000) / events).toFixed(2).padStart(7)} µs/event`;

/** Runs `fn` over the items, best of three passes (the first warms the JIT). */
function time<T, R>(label: string, items: readonly T[], events: number, fn: (item: T) => R): R[] {
  let best = Number.POSITIVE_INFINITY;
  let out: R[] = [];
  for (let pass = 0; pass < 3; pass++) {
    const started = performance.now();
    out = items.map(fn);
    best = Math.min(best, performance.now() - started);
  }
  console.log(`${label.padEnd(44)} ${perEvent(best, events)}`);
  return out;
}

async function dbPhase(
  db: Db,
  label: string,
  events: number,
  run: () => Promise<unknown>,
): Promise<{ rate: number; cpuPerEvent: number }> {
  await sql`truncate events, event_ids`.execute(db.kysely);
  await sql`checkpoint`.execute(db.kysely).catch(() => undefined);
  const pids = await backendPids(db);
  const before = snapshot(pids);
  const started = performance.now();
  const ownBefore = process.cpuUsage();
  await run();
  const own = process.cpuUsage(ownBefore);
  const seconds = (performance.now() - started) / 1000;
  const cpu = used(before, snapshot(await backendPids(db)));
  const rate = events / seconds;
  console.log(
    `${label.padEnd(44)} ${Math.round(rate).toLocaleString('en-US').padStart(8)} events/s, Postgres CPU ${perEvent(cpu * 1000, events)}, this process ${perEvent((own.user + own.system) / 1000, events)}`,
  );
  return { rate, cpuPerEvent: cpu / events };
}

async function main(): Promise<void> {
  const scratch = await createScratchDatabase('fideliza_stages');
  const db = await openDatabase({ databaseUrl: scratch.url, poolSize: writers + 1 });
  try {
    await migrateToLatest(db.kysely);
    const site = await createSite(db.kysely, { name: 'stages', origins: [] });
    const factory = eventFactory();
    const bodies = Array.from({ length: batches }, () => factory.batch(BATCH));
    const events = batches * BATCH;
    console.log(`${events.toLocaleString('en-US')} events in ${batches} batches of ${BATCH}, groups of ${group}\n`);

    console.log('CPU in the server process (best of 3 passes, this process):');
    const texts = time('Buffer → string (utf8)', bodies, events, (b) => b.toString('utf8'));
    const parsed = time('JSON.parse', texts, events, (t) => JSON.parse(t) as unknown);
    time('bodyTraits (depth scan)', texts, events, (t) => bodyTraits(t, t.length));
    const envelopes = time('batchSchema.safeParse (envelope)', parsed, events, (p) => {
      const r = batchSchema.safeParse(p);
      if (!r.success) throw new Error('bad envelope');
      return r.data;
    });
    const traits = texts.map((t) => bodyTraits(t, t.length));
    const messages = time('checkMessage (zod messageSchema)', envelopes, events, (env) =>
      env.batch.map((raw) => {
        const c = checkMessage(raw, traits[0] as ReturnType<typeof bodyTraits>, 2);
        if (!c.ok) throw new Error(c.error);
        return c.message;
      }),
    );
    const facts = {
      siteId: site.siteId,
      receivedAt: Date.now(),
      batchSentAt: new Date().toISOString(),
      requestIp: '127.0.0.1',
      requestUserAgent: undefined,
      newMessageId: randomUUID,
    };
    const rowBatches = time('toEventRow (incl. UA cache, URL, dates)', messages, events, (ms: Message[]) =>
      ms.map((m) => toEventRow(m, facts)),
    );
    const rows = rowBatches.flat();
    const groups: EventRow[][] = [];
    for (let i = 0; i < rows.length; i += group) groups.push(rows.slice(i, i + group));
    const params = time(`JSON.stringify of a group of ${group} rows`, groups, events, (g) => JSON.stringify(g));
    time(`Buffer.byteLength of that (pg's encoding)`, params, events, (p) => Buffer.byteLength(p));
    time(`copyData: a group's rows as COPY's bytes`, groups, events, copyData);

    console.log('\nWrites (wall-clock rate; CPU of the Postgres backends):');
    const writeGroups = async (write: (g: EventRow[]) => Promise<unknown>) => {
      let next = 0;
      await Promise.all(
        Array.from({ length: writers }, async () => {
          while (next < groups.length) await write(groups[next++] as EventRow[]);
        }),
      );
    };
    if (!db.pool) throw new Error('COPY needs Postgres');
    const pool = db.pool;
    await dbPhase(db, `insertEvents (PGlite's path), ${writers} writers`, events, () =>
      writeGroups((g) => insertEvents(db.kysely, g)),
    );
    const copyWrite = copyWriter(db.kysely, pool);
    await dbPhase(db, `copyWriter (Postgres' path), ${writers} writers`, events, () => writeGroups(copyWrite));
    const { chunks, rows: copyRows } = copyChunksOf(bodies, site.siteId);
    await dbPhase(db, 'COPY, one connection', copyRows, () => copyIntoEvents(pool, chunks));
  } finally {
    await db.close();
    await scratch.drop();
  }
}

await main();
