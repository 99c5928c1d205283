// `fideliza rebuild` as an operator runs it: a real process on a PGlite folder, progress on stderr.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase } from '../db/index.ts';
import { createSite } from '../sites/index.ts';
import { snapshot, T0, write } from './test-fixtures.ts';

const CLI = fileURLToPath(new URL('../../bin/fideliza.mjs', import.meta.url));

function fideliza(args: string[], dataDir: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, DATABASE_URL: '', DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 90_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('fideliza rebuild', () => {
  let dataDir: string;
  let siteId: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'fideliza-rebuild-'));
    const db = await openDatabase({ dataDir });
    await migrateToLatest(db.kysely);
    siteId = (await createSite(db.kysely, { name: 'Tienda', origins: [] })).siteId;
    await write(db.kysely, siteId, [
      { type: 'page', at: T0, anonymousId: 'a' },
      { type: 'identify', at: T0 + 1000, anonymousId: 'a', userId: 'u', traits: { email: 'u@x' } },
    ]);
    await db.close();
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('rebuilds a site from its events with a progress bar, and refuses an unknown site', async () => {
    const run = await fideliza(['rebuild', '--site', siteId], dataDir);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(`rebuilt site ${siteId} from 2 events\n`);
    expect(run.stderr).toMatch(/\[#{30}\] 2\/2 events \d+\/s\n$/);

    const unknown = await fideliza(['rebuild', '--site', 's_nope'], dataDir);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('rebuild --site: no site s_nope');

    const db = await openDatabase({ dataDir });
    try {
      const snap = await snapshot(db.kysely, siteId);
      expect(snap.profiles).toMatchObject([{ user_id: 'u', sessions: 1, page_views: 1 }]);
      expect(snap.profile_traits).toMatchObject([{ key: 'email', value: 'u@x' }]);
    } finally {
      await db.close();
    }
  });
});
