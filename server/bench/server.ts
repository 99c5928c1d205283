// The real server as a child process (`node bin/fideliza.mjs start`), as an operator runs it.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';

const serverBin = new URL('../bin/fideliza.mjs', import.meta.url).pathname;

export interface ServerChild {
  url: string;
  pid: number | undefined;
  /** SIGTERM (the server finishes and commits what is in flight), SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  /** Immediate SIGKILL, for process exit paths that cannot wait. */
  killNow(): void;
}

async function freePort(): Promise<number> {
  const s = createServer().listen(0, '127.0.0.1');
  await once(s, 'listening');
  const { port } = s.address() as { port: number };
  await new Promise((resolve) => s.close(resolve));
  return port;
}

async function waitForReady(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`server exited early (${child.exitCode ?? child.signalCode})`);
    }
    try {
      if ((await fetch(`${url}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not become ready within 30 s');
}

export async function startServerChild(options: {
  databaseUrl: string;
  env?: Record<string, string>;
  nodeArgs?: string[];
}): Promise<ServerChild> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), serverBin, 'start'], {
    env: {
      ...process.env,
      DATABASE_URL: options.databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      ...options.env,
    },
    // stdout only says it is listening; errors go straight to ours.
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = once(child, 'exit');
  const stop = async (graceMs = 15_000) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  try {
    await waitForReady(url, child);
  } catch (error) {
    await stop(2000);
    throw error;
  }
  return {
    url,
    pid: child.pid,
    stop,
    killNow: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
