// pnpm bench:ingest [--duration 20] [--warmup 3] [--connections 50] [--batch 20] [--cpu-prof DIR]
//
// Ingestion throughput over HTTP against its ceiling, raw COPY of the same rows into the same table.
// Creates a scratch database next to DATABASE_URL's, starts the real server on it as a child process
// (rate limits out of the way), posts pre-generated batches of realistic events from many connections
// with autocannon for a fixed time, stops the server (it commits what is in flight), then truncates
// events/event_ids and COPYs the rows of every batch that was sent — built by the server's own
// validation and toEventRow code — into the same `events` table over one connection.
// Prints the figures and a verdict against the budget; it does not fail on them. Drops the scratch
// database and stops the server at the end, on error and on Ctrl-C.
import os from 'node:os';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import { type Db, migrateToLatest, openDatabase } from '../src/db/index.ts';
import { createScratchDatabase } from '../src/db/testing.ts';
import { createSite } from '../src/sites/index.ts';
import { copyChunksOf, copyIntoEvents } from './copy.ts';
import { backendPids, machineCpuSeconds, processCpuSeconds, snapshot, used } from './cpu.ts';
import { eventFactory } from './events.ts';
import { loadAverage, machineLine } from './machine.ts';
import { type ServerChild, startServerChild } from './server.ts';
import { positiveOption } from './stats.ts';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '50' },
    batch: { type: 'string', default: '20' },
    'cpu-prof': { type: 'string' },
  },
  allowPositionals: true,
});

const duration = positiveOption('duration', args.duration, 'number');
const warmup = positiveOption('warmup', args.warmup, 'number');
const connections = positiveOption('connections', args.connections);
const batchSize = positiveOption('batch', args.batch);
// createScratchDatabase() reads DATABASE_URL itself.
process.env.DATABASE_URL ||= 'postgres://postgres@127.0.0.1:5432/postgres';
const databaseUrl = process.env.DATABASE_URL;

const BUDGET_RATIO = 0.4;
const BUDGET_P99_MS = 100;
/** Events/s the warm-up's pre-generated batches are sized for (more are built on the fly if it runs short). */
const ASSUMED_MAX_RATE = 40_000;

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const log = (line: string) => console.error(`· ${line}`);

// ---- cleanup that runs once, whether we finish, fail or are interrupted ----
let interrupted = false;
let running: autocannon.Instance | undefined;
const cleanups: Array<() => Promise<void>> = [];
let cleaning: Promise<void> | undefined;
let serverChild: ServerChild | undefined;
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    running?.stop();
    for (const step of cleanups.reverse()) {
      try {
        await step();
      } catch (error) {
        console.error('cleanup:', error);
      }
    }
  })();
  return cleaning;
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupted = true;
    console.error(`\n${signal}: stopping the server and dropping the scratch database…`);
    cleanup().finally(() => process.exit(130));
  });
}
function checkInterrupted(): void {
  if (interrupted) throw new Error('interrupted');
}

// ---- load ----
interface Load {
  result: autocannon.Result;
  /** Bodies handed to autocannon (a few of them, built last, may not have been sent). */
  used: number;
}

function drive(url: string, writeKey: string, seconds: number, nextBody: () => Buffer): Promise<Load> {
  let used = 0;
  return new Promise((resolve, reject) => {
    running = autocannon(
      {
        url: `${url}/v1/batch`,
        connections,
        duration: seconds,
        method: 'POST',
        timeout: 30,
        headers: {
          authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`,
          'content-type': 'application/json',
        },
        requests: [
          {
            setupRequest: (req) => {
              used++;
              req.body = nextBody();
              return req;
            },
          },
        ],
      },
      (error: unknown, result) => {
        running = undefined;
        if (error) reject(error);
        else resolve({ result, used });
      },
    );
  });
}

// ---- database helpers ----
async function scalar(db: Db, query: string): Promise<string> {
  const { rows } = await sql<{ v: unknown }>`${sql.raw(query)}`.execute(db.kysely);
  return String(rows[0]?.v ?? '');
}
const commits = async (db: Db) =>
  Number(await scalar(db, 'select xact_commit as v from pg_stat_database where datname = current_database()'));
const count = async (db: Db, table: 'events' | 'event_ids') =>
  Number(await scalar(db, `select count(*) as v from ${table}`));

/** Waits until requests still in flight after a load phase have been committed (event_ids stops growing). */
async function waitForIdle(db: Db): Promise<void> {
  let last = -1;
  for (;;) {
    const n = await count(db, 'event_ids');
    if (n === last) return;
    last = n;
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Empty tables and a checkpoint, so each phase starts from the same state (the checkpoint needs rights). */
async function resetTables(db: Db): Promise<void> {
  await sql`truncate events, event_ids`.execute(db.kysely);
  try {
    await sql`checkpoint`.execute(db.kysely);
  } catch {
    // not a superuser: the phases just start with whatever is dirty
  }
}

const cpuSeconds = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1e6;
const perEvent = (seconds: number, events: number) => `${((seconds * 1e6) / events).toFixed(1)} µs/event`;

/** CPU per event of the server process, the Postgres backends of the scratch database and this process. */
async function cpuSplit(
  db: Db,
  server: ServerChild,
  before: {
    server: number | undefined;
    backends: Map<number, number>;
    bench: NodeJS.CpuUsage;
    machine: { busy: number; total: number } | undefined;
  },
  events: number,
  seconds: number,
): Promise<string> {
  const serverNow = server.pid ? processCpuSeconds(server.pid) : undefined;
  const backends = used(before.backends, snapshot(await backendPids(db)));
  const bench = cpuSeconds(process.cpuUsage(before.bench));
  const machine = machineCpuSeconds();
  if (serverNow === undefined || before.server === undefined || !machine || !before.machine) {
    return '(no /proc: CPU split unavailable)';
  }
  const serverCpu = serverNow - before.server;
  const busy = machine.busy - before.machine.busy;
  const cores = (s: number) => `${(s / seconds).toFixed(2)} cores`;
  return [
    `server ${perEvent(serverCpu, events)} (${cores(serverCpu)})`,
    `Postgres ${perEvent(backends, events)} (${cores(backends)})`,
    `autocannon ${perEvent(bench, events)} (${cores(bench)})`,
    `machine busy ${cores(busy)} of ${os.availableParallelism()}`,
  ].join(', ');
}

function postgresHost(): string {
  try {
    const host = new URL(databaseUrl).hostname;
    return host === '127.0.0.1' || host === 'localhost' || host === '::1' ? 'same machine' : host;
  } catch {
    return '?';
  }
}

// ---- the run ----
async function main(): Promise<void> {
  const loadBefore = loadAverage();
  const scratch = await createScratchDatabase('fideliza_bench');
  cleanups.push(async () => {
    await scratch.drop();
    log('scratch database dropped');
  });
  const db = await openDatabase({ databaseUrl: scratch.url, poolSize: 2 });
  cleanups.push(() => db.close());
  await migrateToLatest(db.kysely);
  const site = await createSite(db.kysely, { name: 'bench', origins: [] });
  const pgVersion = await scalar(db, `select current_setting('server_version') as v`);
  const pgSettings = await scalar(
    db,
    `select string_agg(name || '=' || setting, ', ' order by name) as v from pg_settings
     where name in ('fsync', 'synchronous_commit', 'shared_buffers', 'max_wal_size')`,
  );
  log(`scratch database ${new URL(scratch.url).pathname.slice(1)} migrated, site ${site.siteId}`);

  const profDir = args['cpu-prof'];
  const server: ServerChild = await startServerChild({
    databaseUrl: scratch.url,
    // Ingestion alone: the projector's work would be charged to it (it runs in its own processes when needed).
    env: { RATE_LIMIT_RPS: '1000000000', RATE_LIMIT_BURST: '1000000000', BACKGROUND_JOBS: 'false' },
    nodeArgs: profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : [],
  });
  serverChild = server;
  cleanups.push(() => server.stop());
  log(`server pid ${server.pid} on ${server.url}`);
  checkInterrupted();

  // Warm-up (JIT, pool, caches); its rate sizes the pre-generated batches of the measured run.
  const factory = eventFactory();
  const now = Date.now();
  const generate = (n: number) => Array.from({ length: n }, () => factory.batch(batchSize, now));
  const warmBodies = generate(Math.ceil((ASSUMED_MAX_RATE * warmup) / batchSize));
  let warmNext = 0;
  const warm = await drive(server.url, site.writeKey, warmup, () => warmBodies[warmNext++] ?? factory.batch(batchSize));
  warmBodies.length = 0;
  checkInterrupted();
  if (warm.result.non2xx > 0 || warm.result['2xx'] === 0) {
    throw new Error(`warm-up failed: ${warm.result['2xx']} 2xx, ${warm.result.non2xx} non-2xx`);
  }
  const warmRate = warm.result['2xx'] / warm.result.duration;
  await waitForIdle(db);
  await resetTables(db);

  // Enough distinct batches that none repeats: the warm-up runs cold, so 2.5 × its rate (at least
  // 1000 batches/s) over the whole run; if that still runs short, more are built during the run (and said).
  const planned = Math.ceil(Math.max(warmRate * 2.5, 1000) * duration) + connections * 4;
  log(`warm-up ${fmt(warmRate * batchSize)} events/s; generating ${fmt(planned)} batches of ${batchSize} events…`);
  const bodies = generate(planned);
  const bodyBytes = bodies.reduce((s, b) => s + b.byteLength, 0) / bodies.length;
  checkInterrupted();

  log(`posting for ${duration} s over ${connections} connections…`);
  const commitsBefore = await commits(db);
  const cpuBefore = {
    server: server.pid ? processCpuSeconds(server.pid) : undefined,
    backends: snapshot(await backendPids(db)),
    bench: process.cpuUsage(),
    machine: machineCpuSeconds(),
  };
  let extra = 0;
  let next = 0;
  const load = await drive(server.url, site.writeKey, duration, () => {
    if (next === bodies.length) {
      bodies.push(factory.batch(batchSize));
      extra++;
    }
    return bodies[next++] as Buffer;
  });
  checkInterrupted();
  const { result } = load;
  const ok = result['2xx'];
  const ingestRate = (ok * batchSize) / result.duration;
  const cpuLine = await cpuSplit(db, server, cpuBefore, load.used * batchSize, result.duration);

  // SIGTERM: the server answers or commits whatever is still in flight before it exits.
  await server.stop();
  const stored = await count(db, 'events');
  const storedIds = await count(db, 'event_ids');
  // The server's backends flushed their statistics when they exited; a handful are our own queries.
  const writes = (await commits(db)) - commitsBefore;
  checkInterrupted();

  // The ceiling: the rows of every batch handed to autocannon, same table, emptied first.
  log(`building the COPY rows of ${fmt(load.used)} batches through toEventRow…`);
  const { chunks, rows } = copyChunksOf(bodies.slice(0, load.used), site.siteId);
  bodies.length = 0;
  await resetTables(db);
  checkInterrupted();
  log(`COPY of ${fmt(rows)} rows into events…`);
  if (!db.pool) throw new Error('COPY needs Postgres');
  const copyBackends = snapshot(await backendPids(db));
  const copyBench = process.cpuUsage();
  const copySeconds = await copyIntoEvents(db.pool, chunks);
  const copyCpu = {
    backends: used(copyBackends, snapshot(await backendPids(db))),
    bench: cpuSeconds(process.cpuUsage(copyBench)),
  };
  const copied = await count(db, 'events');
  const copyRate = rows / copySeconds;
  const loadAfter = loadAverage();

  const ratio = ingestRate / copyRate;
  const { p50, p99 } = result.latency;
  const problems = [
    result.non2xx > 0 ? `${result.non2xx} non-2xx responses` : '',
    result.errors > 0 ? `${result.errors} connection errors (${result.timeouts} timeouts)` : '',
    stored < ok * batchSize ? `only ${fmt(stored)} events stored for ${fmt(ok * batchSize)} acknowledged` : '',
    storedIds !== stored ? `${fmt(storedIds)} event_ids for ${fmt(stored)} events` : '',
    extra > 0 ? `${extra} batches were built during the run (pre-generation ran short)` : '',
    copied !== rows ? `COPY stored ${fmt(copied)} of ${fmt(rows)} rows` : '',
  ].filter(Boolean);
  const verdict =
    ratio >= BUDGET_RATIO && p99 < BUDGET_P99_MS
      ? 'WITHIN budget'
      : `OUTSIDE budget (${[
          ratio < BUDGET_RATIO ? `ratio ${(ratio * 100).toFixed(1)} % < 40 %` : '',
          p99 >= BUDGET_P99_MS ? `p99 ${p99} ms ≥ 100 ms` : '',
        ]
          .filter(Boolean)
          .join(', ')})`;

  console.log(`
machine   ${machineLine()}
software  Node ${process.version}, Postgres ${pgVersion} on the ${postgresHost()} (${pgSettings})
load avg  ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after (1 min; other work on the machine skews the figures)
workload  POST /v1/batch, ${batchSize} events per batch (~${fmt(bodyBytes)} bytes), ${connections} connections, ${result.duration.toFixed(1)} s after ${warmup} s warm-up, loopback
ingest    ${fmt(ingestRate)} events/s (${fmt(ok / result.duration)} batches/s; ${fmt(ok)} 2xx, ${result.non2xx} non-2xx, ${result.errors} errors)
latency   p50 ${p50} ms, p99 ${p99} ms (max ${result.latency.max} ms)
stored    ${fmt(stored)} events, ${fmt(storedIds)} ids (acknowledged ${fmt(ok * batchSize)}; the rest were in flight at the end)
commits   ${fmt(writes)} transactions, ${fmt(stored / Math.max(1, writes))} events each on average (group commit)
COPY      ${fmt(copyRate)} events/s (${fmt(rows)} rows in ${copySeconds.toFixed(2)} s, text format, one connection, same table after truncate)
cpu       ingest: ${cpuLine}
          COPY: Postgres ${perEvent(copyCpu.backends, rows)}, this process ${perEvent(copyCpu.bench, rows)}
ratio     ingest/COPY ${(ratio * 100).toFixed(1)} %
verdict   ${verdict} — budget: ≥ ${BUDGET_RATIO * 100} % of COPY and p99 < ${BUDGET_P99_MS} ms${
    problems.length ? `\nWARNING   ${problems.join('; ')}` : ''
  }`);
}

// Last resort when the process exits before the async cleanup could stop the server.
process.on('exit', () => serverChild?.killNow());

try {
  await main();
} catch (error) {
  if (!interrupted) {
    console.error(error);
    process.exitCode = 1;
  }
} finally {
  await cleanup();
}
