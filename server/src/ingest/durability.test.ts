// Nothing acknowledged is lost: the real server process is killed (SIGKILL) or stopped (SIGTERM) while a
// client is sending, then the database is opened again and every acknowledged messageId must be there once.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DialectName, migrateToLatest, openDatabase } from '../db/index.ts';
import { createScratchDatabase, testDialects } from '../db/testing.ts';
import { createSite } from '../sites/index.ts';

const CLI = fileURLToPath(new URL('../../bin/fideliza.mjs', import.meta.url));
/** Requests in flight at any moment. */
const CONCURRENCY = 8;
const BATCH_SIZE = 10;
/** The signal is sent once this many messages are acknowledged. */
const ACKS_BEFORE_SIGNAL = 400;
/** The client gives up here: a server that is still acknowledging this much after a signal did not stop. */
const MAX_ACKS = ACKS_BEFORE_SIGNAL * 10;

/** A port nobody listens on right now (the kernel picks it; we release it for the child). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

interface ServerProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Runs `fideliza start` as its own process and resolves once /healthz answers. The process is added to
 * `started` at once, so afterAll can kill it whatever happens here.
 */
async function spawnServer(env: Record<string, string>, started: ServerProcess[]): Promise<ServerProcess> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const child = spawn(process.execPath, [CLI, 'start'], {
      env: {
        ...process.env,
        DATABASE_URL: '',
        ...env,
        PORT: String(port),
        HOST: '127.0.0.1',
        RATE_LIMIT_RPS: '100000',
        RATE_LIMIT_BURST: '100000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stdout?.on('data', (d: Buffer) => {
      log += d.toString();
    });
    child.stderr?.on('data', (d: Buffer) => {
      log += d.toString();
    });
    let gone = false;
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.once('exit', (code, signal) => {
        gone = true;
        resolve({ code, signal });
      });
    });
    const url = `http://127.0.0.1:${port}`;
    const server: ServerProcess = { child, url, output: () => log, exited };
    started.push(server);
    const deadline = Date.now() + 30_000;
    while (!gone && Date.now() < deadline) {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) }).catch(() => null);
      if (res?.ok) return server;
      await new Promise((r) => setTimeout(r, 50));
    }
    if (gone) await exited;
    // Someone else took the free port between our probe and the child's listen: try another.
    if (gone && attempt < 3 && log.includes('EADDRINUSE')) continue;
    throw new Error(`server ${gone ? 'exited before it was healthy' : 'not healthy within 30 s'}:\n${log}`);
  }
}

interface ClientRun {
  /** Every messageId the server answered 200 for. */
  acked: string[];
  /** Requests sent but not answered at the moment the signal went out. */
  inFlightAtSignal: number;
  /** Non-200 answers (status and body), which must not happen. */
  failures: string[];
  /** The client stopped at MAX_ACKS rather than because the server went away. */
  gaveUp: boolean;
}

/**
 * Sends batches from CONCURRENCY loops until the server stops answering; once ACKS_BEFORE_SIGNAL messages
 * are acknowledged it calls `signal()` while the other loops' requests are still in flight. A failed
 * request (anything but a 200 before the signal) ends the run.
 */
async function runClient(server: ServerProcess, writeKey: string, prefix: string, signal: () => void) {
  const run: ClientRun = { acked: [], inFlightAtSignal: -1, failures: [], gaveUp: false };
  const auth = `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;
  let next = 0;
  let inFlight = 0;
  let signalled = false;
  let dead = false;
  void server.exited.then(() => {
    dead = true;
  });

  async function loop(): Promise<void> {
    // Stop once the process is gone (its last answers are already read), or at the first failure.
    while (!dead && run.failures.length === 0) {
      if (run.acked.length >= MAX_ACKS) {
        run.gaveUp = true;
        return;
      }
      const ids = Array.from({ length: BATCH_SIZE }, () => `${prefix}-${next++}`);
      const body = JSON.stringify({
        sentAt: new Date().toISOString(),
        batch: ids.map((messageId, i) => ({
          type: 'track',
          event: 'Product Viewed',
          messageId,
          anonymousId: `anon-${i}`,
          timestamp: new Date().toISOString(),
          properties: { product_id: `p-${i}`, price: 19.99 },
        })),
      });
      inFlight++;
      const res = await fetch(`${server.url}/v1/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: auth },
        body,
      }).catch(() => null);
      inFlight--;
      if (!res) {
        if (!signalled) {
          run.failures.push('connection failed before the signal');
          return;
        }
        // Connection refused or reset: the server is going away; wait for it rather than spin.
        await Promise.race([server.exited, new Promise((r) => setTimeout(r, 20))]);
        continue;
      }
      const text = await res.text().catch(() => null);
      // An answer cut off by the kill is no acknowledgement.
      if (text === null && signalled) continue;
      if (res.status !== 200 || text === null) {
        run.failures.push(`${res.status} ${text ?? '(body cut off)'}`);
        return;
      }
      const result = JSON.parse(text) as { accepted: number; duplicates: number };
      if (result.accepted !== BATCH_SIZE) run.failures.push(`200 ${text}`);
      run.acked.push(...ids);
      if (!signalled && run.acked.length >= ACKS_BEFORE_SIGNAL) {
        signalled = true;
        run.inFlightAtSignal = inFlight;
        signal();
      }
    }
  }

  await Promise.all(Array.from({ length: CONCURRENCY }, loop));
  // After a failure the signal still goes out, so the test can wait for the process and report.
  if (!signalled) signal();
  return run;
}

/** How many times each of these message ids is stored for the site, read from a fresh connection. */
async function storedCounts(
  open: () => ReturnType<typeof openDatabase>,
  siteId: string,
): Promise<{ events: Map<string, number>; eventIds: number }> {
  const db = await open();
  try {
    const rows = await db.kysely
      .selectFrom('events')
      .select(['message_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('site_id', '=', siteId)
      .groupBy('message_id')
      .execute();
    const ids = await db.kysely
      .selectFrom('event_ids')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('site_id', '=', siteId)
      .executeTakeFirstOrThrow();
    return { events: new Map(rows.map((r) => [r.message_id, Number(r.n)])), eventIds: Number(ids.n) };
  } finally {
    await db.close();
  }
}

function expectAllStoredOnce(run: ClientRun, stored: { events: Map<string, number>; eventIds: number }) {
  expect(run.failures).toEqual([]);
  expect(run.acked.length).toBeGreaterThanOrEqual(ACKS_BEFORE_SIGNAL);
  const missing = run.acked.filter((id) => stored.events.get(id) !== 1);
  expect(missing, `acknowledged but not stored exactly once: ${missing.slice(0, 10).join(', ')}`).toEqual([]);
  const twice = [...stored.events].filter(([, n]) => n !== 1);
  expect(twice).toEqual([]);
  // Every claimed id has its event row and no event row lacks its id: the two inserts commit together.
  expect(stored.eventIds).toBe(stored.events.size);
}

describe.each(testDialects)('durability on %s', (dialect: DialectName) => {
  let dataDir: string | undefined;
  let databaseUrl: string | undefined;
  let drop: (() => Promise<void>) | undefined;
  let siteId: string;
  let writeKey: string;
  const servers: ServerProcess[] = [];

  const openStore = () =>
    dialect === 'pglite' ? openDatabase({ dataDir: dataDir as string }) : openDatabase({ databaseUrl, poolSize: 2 });
  const serverEnv = (): Record<string, string> =>
    dialect === 'pglite' ? { DATA_DIR: dataDir as string } : { DATABASE_URL: databaseUrl as string };

  beforeAll(async () => {
    if (dialect === 'pglite') {
      dataDir = mkdtempSync(join(tmpdir(), 'fideliza-durability-'));
    } else {
      const scratch = await createScratchDatabase('fideliza_durability');
      databaseUrl = scratch.url;
      drop = scratch.drop;
    }
    // Created before the server starts: PGlite's folder belongs to one process at a time.
    const db = await openStore();
    try {
      await migrateToLatest(db.kysely);
      ({ siteId, writeKey } = await createSite(db.kysely, { name: 'Durability', origins: [] }));
    } finally {
      await db.close();
    }
  });

  afterAll(async () => {
    for (const s of servers) {
      if (s.child.exitCode === null && s.child.signalCode === null) {
        s.child.kill('SIGKILL');
        await s.exited;
      }
    }
    await drop?.();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged message when the server is killed with SIGKILL mid-stream', async () => {
    const server = await spawnServer(serverEnv(), servers);
    const run = await runClient(server, writeKey, 'kill', () => server.child.kill('SIGKILL'));
    const exit = await server.exited;
    expect(exit.signal).toBe('SIGKILL');
    expect(run.inFlightAtSignal).toBeGreaterThan(0);
    expectAllStoredOnce(run, await storedCounts(openStore, siteId));
  }, 90_000);

  it('finishes in-flight requests on SIGTERM, keeps every acknowledged message and exits 0', async () => {
    // Starts on the folder or database the killed server left behind: recovery is part of the test.
    const server = await spawnServer(serverEnv(), servers);
    const run = await runClient(server, writeKey, 'term', () => server.child.kill('SIGTERM'));
    // Keep-alive connections must not hold a stopping server open while the client keeps sending.
    expect(run.gaveUp, `still acknowledging ${MAX_ACKS} messages after SIGTERM`).toBe(false);
    const exit = await server.exited;
    expect(exit, server.output()).toEqual({ code: 0, signal: null });
    expect(server.output()).toContain('SIGTERM: finishing in-flight requests');
    expect(run.inFlightAtSignal).toBeGreaterThan(0);
    expectAllStoredOnce(run, await storedCounts(openStore, siteId));
  }, 90_000);
});
