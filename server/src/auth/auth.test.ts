// Staff accounts: scrypt password hashes, generated passwords, per-site membership and unique emails.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DialectName } from '../db/index.ts';
import { openTestDatabase, type TestDb, testDialects } from '../db/testing.ts';
import { createSite } from '../sites/index.ts';
import {
  createStaffUser,
  DuplicateUserError,
  generatePassword,
  hashPassword,
  InvalidUserError,
  verifyPassword,
} from './index.ts';

describe('passwords', () => {
  it('hashes with a fresh salt and verifies only the right password', async () => {
    const hash = await hashPassword('correct horse battery staple');
    expect(hash).toMatch(/^scrypt\$131072\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(hash).not.toContain('correct horse');
    expect(await verifyPassword('correct horse battery staple', hash)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
    // Same password, different salt: different hash.
    expect(await hashPassword('correct horse battery staple')).not.toBe(hash);
  });

  it('refuses stored values that are not scrypt hashes', async () => {
    for (const stored of ['', 'plain-text', 'bcrypt$2b$10$abc', 'scrypt$16384$8$1$c2FsdA==']) {
      expect(await verifyPassword('plain-text', stored)).toBe(false);
    }
  });

  it('generates typeable 20-character passwords without look-alike characters', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const p = generatePassword();
      expect(p).toMatch(/^[a-hjkmnp-zA-HJKMNP-Z2-9]{20}$/);
      seen.add(p);
    }
    expect(seen.size).toBe(50);
  });
});

describe.each(testDialects)('staff users on %s', (dialect: DialectName) => {
  let db: TestDb;
  let siteA: string;
  let siteB: string;

  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    siteA = (await createSite(db.kysely, { name: 'A', origins: [] })).siteId;
    siteB = (await createSite(db.kysely, { name: 'B', origins: [] })).siteId;
  });

  afterAll(async () => {
    await db?.close();
  });

  const membership = (userId: string) =>
    db.kysely
      .selectFrom('site_members')
      .select(['site_id', 'role'])
      .where('user_id', '=', userId)
      .orderBy('site_id')
      .execute();

  it('creates a user with a generated password, stored only as a verifiable hash, on every site', async () => {
    const user = await createStaffUser(db.kysely, { email: 'Admin@Shop.example', role: 'admin' });
    expect(user.password).toHaveLength(20);
    expect(user.siteIds.sort()).toEqual([siteA, siteB].sort());

    const row = await db.kysely
      .selectFrom('staff_users')
      .selectAll()
      .where('user_id', '=', user.userId)
      .executeTakeFirstOrThrow();
    expect(row.email).toBe('Admin@Shop.example');
    expect(row.password_hash).not.toContain(user.password);
    expect(await verifyPassword(user.password, row.password_hash)).toBe(true);
    expect(await membership(user.userId)).toEqual([siteA, siteB].sort().map((site_id) => ({ site_id, role: 'admin' })));
  });

  it('limits membership to the listed sites', async () => {
    const user = await createStaffUser(db.kysely, { email: 'agent@shop.example', role: 'agent', siteIds: [siteB] });
    expect(user.siteIds).toEqual([siteB]);
    expect(await membership(user.userId)).toEqual([{ site_id: siteB, role: 'agent' }]);
    // A site listed twice (`--site X --site X`) is one membership.
    const twice = await createStaffUser(db.kysely, {
      email: 'twice@shop.example',
      role: 'validator',
      siteIds: [siteA, siteA],
    });
    expect(await membership(twice.userId)).toEqual([{ site_id: siteA, role: 'validator' }]);
  });

  it('refuses a site that does not exist and stores nothing', async () => {
    await expect(
      createStaffUser(db.kysely, { email: 'ghost@shop.example', role: 'agent', siteIds: ['s000000000000000'] }),
    ).rejects.toThrow(new InvalidUserError('no such site: s000000000000000'));
    const rows = await db.kysely.selectFrom('staff_users').select('email').where('email', '=', 'ghost@shop.example');
    expect(await rows.execute()).toEqual([]);
  });

  it('refuses an email that is already taken, whatever its case, and stores nothing', async () => {
    await createStaffUser(db.kysely, { email: 'marketer@shop.example', role: 'marketer' });
    await expect(createStaffUser(db.kysely, { email: 'MARKETER@Shop.Example', role: 'validator' })).rejects.toThrow(
      DuplicateUserError,
    );
    const rows = await db.kysely
      .selectFrom('staff_users')
      .select('email')
      .where((eb) => eb(eb.fn('lower', ['email']), '=', 'marketer@shop.example'))
      .execute();
    expect(rows).toEqual([{ email: 'marketer@shop.example' }]);
  });

  it('reports a duplicate email as DuplicateUserError even when the other user commits mid-way', async () => {
    // Another connection inserts the same email and holds its transaction open, so createStaffUser's
    // check sees nothing and its insert waits on the unique index until the other one commits.
    let inserted!: () => void;
    const insertedYet = new Promise<void>((resolve) => {
      inserted = resolve;
    });
    let commit!: () => void;
    const committing = new Promise<void>((resolve) => {
      commit = resolve;
    });
    const other = db.kysely.transaction().execute(async (tx) => {
      await tx
        .insertInto('staff_users')
        .values({ user_id: 'other-session', email: 'held@shop.example', password_hash: 'x' })
        .execute();
      inserted();
      await committing;
    });
    await insertedYet;
    const outcome = createStaffUser(db.kysely, { email: 'Held@shop.example', role: 'agent', siteIds: [siteA] }).then(
      () => 'created',
      (error: unknown) => error,
    );
    if (dialect === 'postgres') {
      // Wait until the insert is blocked on the other transaction's row.
      const deadline = Date.now() + 20_000;
      let waiting = 0;
      while (waiting === 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
          where datname = current_database() and wait_event_type = 'Lock'`.execute(db.kysely);
        waiting = rows[0]?.n ?? 0;
      }
      expect(waiting).toBe(1);
    }
    // (PGlite has one connection: createStaffUser runs after the other transaction and sees its row.)
    commit();
    await other;
    expect(await outcome).toBeInstanceOf(DuplicateUserError);
  });

  it('refuses an invalid email or role', async () => {
    const before = await db.kysely
      .selectFrom('staff_users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    await expect(createStaffUser(db.kysely, { email: 'not-an-email', role: 'admin' })).rejects.toThrow();
    await expect(
      // @ts-expect-error: a role outside the enum, as it could arrive from outside.
      createStaffUser(db.kysely, { email: 'x@shop.example', role: 'owner' }),
    ).rejects.toThrow();
    const after = await db.kysely
      .selectFrom('staff_users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });
});
