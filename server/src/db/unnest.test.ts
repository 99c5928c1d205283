// unnestRows: rows through one array per column come back exactly, whatever the text holds, on both dialects.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDb, testDialects } from './testing.ts';
import { unnestRows } from './unnest.ts';

describe.each(testDialects)('unnestRows on %s', (dialect) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDatabase(dialect);
  });
  afterAll(() => db.close());

  it('gives back text with quotes, backslashes, commas, braces and NULL as written, nulls, numbers and times', async () => {
    const rows = [
      { s: 'button.size[data-size="42"]', n: 1, d: '2026-11-02', t: new Date('2026-11-02T10:00:00.123Z'), b: true },
      { s: 'a\\b, {c} "NULL"', n: -7, d: '2024-02-29', t: new Date('1999-12-31T23:59:59.999Z'), b: false },
      { s: 'NULL', n: 0, d: '2026-01-01', t: new Date(0), b: null },
      { s: '', n: null, d: null, t: null, b: true },
      { s: null, n: 2147483647, d: '2026-11-23', t: new Date('2026-11-23T00:00:00Z'), b: false },
      { s: 'ñandú 🦜 \t\n', n: 3, d: '2026-03-30', t: new Date('2026-03-29T01:30:00Z'), b: true },
    ];
    const { rows: back } = await sql<{
      s: string | null;
      n: number | null;
      d: string | null;
      t: Date | null;
      b: boolean | null;
    }>`
      select u.s, u.n, u.d::text as d, u.t, u.b
      from ${unnestRows(rows, { s: 'text', n: 'int4', d: 'date', t: 'timestamptz', b: 'bool' }, 'u')}`.execute(
      db.kysely,
    );
    expect(back).toEqual(rows);
  });
});
