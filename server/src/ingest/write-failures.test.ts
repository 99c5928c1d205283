// What the API answers when the database refuses a write: the request at fault alone gets a 400, a lost
// database gets 503 with Retry-After, and the other requests of the same group commit are stored.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDb, testDialects } from '../db/testing.ts';
import { createApp } from '../http/app.ts';
import { createSite } from '../sites/index.ts';

const config = { TRUST_PROXY: false, RATE_LIMIT_RPS: 1000, RATE_LIMIT_BURST: 1000 };

function send(app: ReturnType<typeof createApp>['app'], writeKey: string, event: string, messageId = randomUUID()) {
  return app.request('/v1/batch', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ writeKey, batch: [{ type: 'track', event, messageId, anonymousId: 'a1' }] }),
  });
}

describe.each(testDialects)('write failures on %s', (dialect) => {
  let db: TestDb;
  let app: ReturnType<typeof createApp>;
  let writeKey: string;

  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    writeKey = (await createSite(db.kysely, { name: 'Tienda', origins: [] })).writeKey;
    app = createApp({ db, config });
    // Stands in for any row the database refuses although validation let it through.
    await sql`alter table events add constraint no_poison check (event is distinct from 'Poison')`.execute(db.kysely);
  });
  afterAll(() => db.close());

  it('fails only the request whose row the database refuses, even when written in one group', async () => {
    const ids = Array.from({ length: 6 }, () => randomUUID());
    const answers = await Promise.all(ids.map((id, i) => send(app.app, writeKey, i === 3 ? 'Poison' : 'Fine', id)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 400, 200, 200]);
    expect(await answers[3]?.json()).toMatchObject({ error: { code: 'unstorable_message' } });
    const stored = await db.kysely.selectFrom('events').select('message_id').execute();
    expect(stored.map((r) => r.message_id).sort()).toEqual(ids.filter((_, i) => i !== 3).sort());
    // Its id was not claimed either: a fixed retry of the same message can still be stored.
    const claimed = await db.kysely.selectFrom('event_ids').select('message_id').execute();
    expect(claimed).toHaveLength(5);
  });

  it('answers 503 with Retry-After when the database is gone, and never a 500', async () => {
    await db.close();
    const res = await send(app.app, writeKey, 'Fine');
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(await res.json()).toMatchObject({ error: { code: 'storage_unavailable' } });
    // close() again in afterAll must not throw: reopen a throwaway so the hook has something to close.
    db = await openTestDatabase('pglite');
  });
});
