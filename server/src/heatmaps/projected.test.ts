// Heatmaps as the running product builds them: SDK-shaped events through the ingestion API, folded in by the
// projector, read back through the heatmap API; a rebuild gives the same figures, not doubled ones.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDb, testDialects } from '../db/testing.ts';
import { createApp } from '../http/app.ts';
import { Projector, rebuild } from '../profiles/index.ts';
import { createSite } from '../sites/index.ts';

const config = { TRUST_PROXY: false, RATE_LIMIT_RPS: 1000, RATE_LIMIT_BURST: 1000 };
const day = '2026-11-02';
const range = `from=${day}&to=${day}`;

/** A `$click` as the SDK sends it (see sdk/src/capture/click.ts). */
const click = (
  n: number,
  path: string,
  selector: string,
  x: number,
  y: number,
  extra: Record<string, unknown> = {},
) => ({
  type: 'track',
  event: '$click',
  messageId: `click-${n}`,
  anonymousId: 'visitor-1',
  timestamp: `${day}T10:00:0${n}.000Z`,
  context: { page: { path } },
  properties: { selector, x, y, vw: 1280, vh: 800, dw: 1000, dh: 3000, ...extra },
});

describe.each(testDialects)('heatmaps built by the projector on %s', (dialect) => {
  let db: TestDb;
  let app: ReturnType<typeof createApp>;
  let site: Awaited<ReturnType<typeof createSite>>;

  const get = async (url: string) =>
    (await app.app.request(url, { headers: { authorization: `Bearer ${site.secretKey}` } })).json();

  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    site = await createSite(db.kysely, { name: 'Tienda', origins: [] });
    app = createApp({ db, config });
    const res = await app.app.request('/v1/batch', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${btoa(`${site.writeKey}:`)}` },
      body: JSON.stringify({
        batch: [
          click(1, '/p', '#buy', 10, 10),
          click(2, '/p', '#buy', 12, 14),
          click(3, '/p', '#buy', 14, 16, { rage: true }),
          click(4, '/p', 'nav > a', 510, 45),
          click(5, '/q', '#home', 1, 1),
          {
            type: 'track',
            event: '$scroll',
            messageId: 'scroll-1',
            anonymousId: 'visitor-1',
            timestamp: `${day}T10:01:00.000Z`,
            context: { page: { path: '/p' } },
            properties: { depth: 62, vw: 1280 },
          },
          // Not a heatmap event: ignored by heatmaps, projected into the profile.
          { type: 'page', messageId: 'page-1', anonymousId: 'visitor-1', timestamp: `${day}T09:59:00.000Z` },
        ],
      }),
    });
    expect(await res.json()).toMatchObject({ accepted: 7, rejected: [] });
    await new Projector(db.kysely, { batchSize: 3 }).projectAll();
  });
  afterAll(() => db.close());

  const expected = async () => {
    expect(await get(`/api/heatmaps/clicks?path=/p&device=desktop&${range}`)).toEqual({
      columns: 50,
      clicks: 4,
      rage: 1,
      cells: [
        { x: 0, y: 0, clicks: 3, rage: 1 },
        { x: 25, y: 2, clicks: 1, rage: 0 },
      ],
    });
    expect(await get(`/api/heatmaps/selectors?path=/p&${range}`)).toEqual({
      selectors: [
        { selector: '#buy', clicks: 3, rage: 1 },
        { selector: 'nav > a', clicks: 1, rage: 0 },
      ],
    });
    expect(await get(`/api/heatmaps/scroll?path=/p&${range}`)).toMatchObject({
      views: 1,
      buckets: expect.arrayContaining([{ depth: 60, views: 1, reach: 1 }]),
    });
  };

  it('folds the clicks and scrolls the projector reads into the aggregates', expected);

  it('gives the same aggregates after a rebuild (deleted and folded again, not added twice)', async () => {
    await rebuild(db.kysely, { siteId: site.siteId });
    await expected();
  });
});
