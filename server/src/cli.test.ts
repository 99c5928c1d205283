// The `fideliza` command as an operator runs it: a real process on a PGlite folder (each spawn costs ~1 s).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from './auth/index.ts';
import { openDatabase } from './db/index.ts';

const CLI = fileURLToPath(new URL('../bin/fideliza.mjs', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

let dataDir: string;

function fideliza(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, DATABASE_URL: '', DATA_DIR: dataDir, ...env },
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

describe('fideliza CLI on PGlite', () => {
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'fideliza-cli-'));
  });

  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses bad input with exit code 2 and a message naming what is wrong', async () => {
    // None opens the database, so they run side by side.
    const [badRole, badPort, badBaskets] = await Promise.all([
      fideliza(['create-user', '--email', 'a@shop.example', '--role', 'owner']),
      fideliza(['migrate'], { PORT: 'eighty' }),
      // baskets reads no configuration, so the bad PORT does not get in its way.
      fideliza(['baskets', 'rules', '--input', 'shop.csv'], { PORT: 'eighty' }),
    ]);
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).toContain('create-user needs --role, one of admin, marketer, agent, validator');
    expect(badRole.stderr).toContain('usage: fideliza <command>');
    expect(badRole.stdout).toBe('');
    expect(badPort.code).toBe(2);
    expect(badPort.stderr).toContain('PORT="eighty"');
    expect(badBaskets.code).toBe(2);
    expect(badBaskets.stderr).toContain('rules needs --min-support S');
    expect(badBaskets.stdout).toBe('');
  });

  it('migrates, creates a site and a user, and says the schema is up to date the second time', async () => {
    const first = await fideliza(['migrate']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^applied 2026_11_23_0700_create_sites, /);

    const site = await fideliza([
      'create-site',
      '--name',
      'Zapatos Ana',
      '--origin',
      'https://Zapatos.example/',
      '--json',
    ]);
    expect(site.code, site.stderr).toBe(0);
    const created: unknown = JSON.parse(site.stdout);
    expect(Object.keys(created as object).sort()).toEqual(['secretKey', 'siteId', 'writeKey']);
    const { siteId, writeKey, secretKey } = created as { siteId: string; writeKey: string; secretKey: string };
    expect(writeKey).toMatch(new RegExp(`^wk_${siteId}_`));
    expect(secretKey).toMatch(new RegExp(`^sk_${siteId}_`));

    const user = await fideliza(['create-user', '--email', 'admin@zapatos.example', '--role', 'admin']);
    expect(user.code, user.stderr).toBe(0);
    const passwords = [...user.stdout.matchAll(/password: (\S+)/g)].map((m) => m[1] as string);
    expect(passwords).toHaveLength(1);
    const password = passwords[0] as string;
    expect(password).toMatch(/^[A-Za-z0-9]{20}$/);
    expect(user.stdout.split(password)).toHaveLength(2);

    const again = await fideliza(['migrate']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout.trim()).toBe('schema is up to date');

    // What the commands stored, read after every process has let go of the folder.
    const db = await openDatabase({ dataDir });
    try {
      const stored = await db.kysely.selectFrom('sites').selectAll().execute();
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatchObject({
        site_id: siteId,
        name: 'Zapatos Ana',
        write_key: writeKey,
        allowed_origins: ['https://zapatos.example'],
      });
      expect(stored[0]?.secret_key_hash).not.toBe(secretKey);
      const staff = await db.kysely.selectFrom('staff_users').selectAll().execute();
      expect(staff.map((u) => u.email)).toEqual(['admin@zapatos.example']);
      expect(await verifyPassword(password, staff[0]?.password_hash ?? '')).toBe(true);
      const members = await db.kysely.selectFrom('site_members').select(['site_id', 'role']).execute();
      expect(members).toEqual([{ site_id: siteId, role: 'admin' }]);
    } finally {
      await db.close();
    }
  }, 120_000); // five PGlite processes in a row: ~20 s alone, several times that on a loaded 2-core CI machine
});
