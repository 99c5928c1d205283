import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDb, testDialects } from '../db/testing.ts';
import { applyHeatmapEvents, deleteSiteHeatmaps, type HeatmapEvent } from './index.ts';
import { click, scroll } from './test-events.ts';

/** Every aggregate row of a site, in a stable order, without the site id (so two sites compare). */
async function dump(db: TestDb, siteId: string) {
  const k = db.kysely;
  const [pages, cells, selectors, depths] = await Promise.all([
    k
      .selectFrom('heatmap_pages')
      .select([sql<string>`day::text`.as('day'), 'path', 'device', 'clicks', 'rage', 'scrolls'])
      .where('site_id', '=', siteId)
      .orderBy('day')
      .orderBy('path')
      .orderBy('device')
      .execute(),
    k
      .selectFrom('heatmap_click_cells')
      .select([sql<string>`day::text`.as('day'), 'path', 'device', 'cell_x', 'cell_y', 'clicks', 'rage'])
      .where('site_id', '=', siteId)
      .orderBy('day')
      .orderBy('path')
      .orderBy('device')
      .orderBy('cell_y')
      .orderBy('cell_x')
      .execute(),
    k
      .selectFrom('heatmap_selectors')
      .select([sql<string>`day::text`.as('day'), 'path', 'device', 'selector', 'clicks', 'rage'])
      .where('site_id', '=', siteId)
      .orderBy('day')
      .orderBy('path')
      .orderBy('device')
      .orderBy('selector')
      .execute(),
    k
      .selectFrom('heatmap_scroll_depths')
      .select([sql<string>`day::text`.as('day'), 'path', 'device', 'bucket', 'views'])
      .where('site_id', '=', siteId)
      .orderBy('day')
      .orderBy('path')
      .orderBy('device')
      .orderBy('bucket')
      .execute(),
  ]);
  return { pages, cells, selectors, depths };
}

/** A deterministic mixed batch: clicks and scrolls over 3 pages, 3 devices, 3 days, repeated keys. */
function mixed(siteId: string, n: number): HeatmapEvent[] {
  const widths = [375, 800, 1440];
  const days = ['2026-03-01T08:00:00Z', '2026-03-01T23:59:59Z', '2026-03-02T00:00:01Z'];
  return Array.from({ length: n }, (_, i) => {
    const o = {
      url_path: `/page-${i % 3}`,
      viewport_width: widths[(i >> 1) % 3] ?? 1440,
      timestamp: new Date(days[(i >> 2) % 3] ?? days[0] ?? ''),
    };
    return i % 5 === 4
      ? scroll(siteId, (i * 7) % 101, o)
      : click(siteId, (i * 37) % 1000, (i * 53) % 3000, {
          ...o,
          selector: `#s${i % 4}`,
          properties: { rage: i % 6 === 0 || undefined, vw: o.viewport_width },
        });
  });
}

describe.each(testDialects)('heatmap aggregates on %s', (dialect) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDatabase(dialect);
  });
  afterAll(() => db.close());

  it('classes devices by viewport width at the 768 and 1024 px boundaries', async () => {
    const s = 'site_devices';
    await applyHeatmapEvents(db.kysely, [
      click(s, 10, 10, { viewport_width: 767 }),
      click(s, 10, 10, { viewport_width: 768 }),
      click(s, 10, 10, { viewport_width: 1023 }),
      click(s, 10, 10, { viewport_width: 1023 }),
      click(s, 10, 10, { viewport_width: 1024 }),
      // Unplaceable: no viewport, no path.
      click(s, 10, 10, { viewport_width: null }),
      click(s, 10, 10, { viewport_width: 0 }),
      click(s, 10, 10, { url_path: null }),
    ]);
    const { pages } = await dump(db, s);
    expect(pages.map((p) => [p.device, p.clicks])).toEqual([
      ['desktop', 1],
      ['mobile', 1],
      ['tablet', 3],
    ]);
  });

  it('puts clicks in 1/50ths of the document width, rows as tall as columns are wide', async () => {
    const s = 'site_grid';
    await applyHeatmapEvents(db.kysely, [
      click(s, 0, 0), // dw 1000: cells of 20 × 20 px
      click(s, 19, 19),
      click(s, 20, 39),
      click(s, 999, 1000),
      click(s, 1000, 1000), // the right edge: last column
      click(s, 5000, 10), // beyond the document (bad client): last column
      click(s, 100, 200_000), // far down: the last row
      click(s, 300, 300, { properties: { dw: undefined, vw: 600 }, viewport_width: 600 }), // no dw: the viewport (12 px)
      click(s, -1, 10, { selector: '#neg' }), // no cell, still a click on the page and its selector
      click(s, null, 10, { selector: '#nox' }),
    ]);
    const { pages, cells, selectors } = await dump(db, s);
    expect(cells.map((c) => [c.device, c.cell_x, c.cell_y, c.clicks])).toEqual([
      ['desktop', 0, 0, 2],
      ['desktop', 49, 0, 1],
      ['desktop', 1, 1, 1],
      ['desktop', 49, 50, 2],
      ['desktop', 5, 4999, 1],
      ['mobile', 25, 25, 1],
    ]);
    expect(pages.map((p) => [p.device, p.clicks])).toEqual([
      ['desktop', 9],
      ['mobile', 1],
    ]);
    expect(selectors.map((x) => [x.device, x.selector, x.clicks])).toEqual([
      ['desktop', '#buy', 7],
      ['desktop', '#neg', 1],
      ['desktop', '#nox', 1],
      ['mobile', '#buy', 1],
    ]);
  });

  it('counts rage clicks per page, cell and selector', async () => {
    const s = 'site_rage';
    await applyHeatmapEvents(db.kysely, [
      click(s, 10, 10, { selector: '#a' }),
      click(s, 11, 11, { selector: '#a' }),
      click(s, 12, 12, { selector: '#a', properties: { rage: true } }),
      click(s, 12, 12, { selector: '#a', properties: { rage: true } }),
      click(s, 500, 500, { selector: '#b', properties: { rage: 'yes' } }), // only `true` is a rage flag
    ]);
    const { pages, cells, selectors } = await dump(db, s);
    expect(pages.map((p) => [p.clicks, p.rage])).toEqual([[5, 2]]);
    expect(cells.map((c) => [c.cell_x, c.cell_y, c.clicks, c.rage])).toEqual([
      [0, 0, 4, 2],
      [25, 25, 1, 0],
    ]);
    expect(selectors.map((x) => [x.selector, x.clicks, x.rage])).toEqual([
      ['#a', 4, 2],
      ['#b', 1, 0],
    ]);
  });

  it('buckets scroll depth in 5 % steps, 100 for the bottom and beyond', async () => {
    const s = 'site_scroll';
    await applyHeatmapEvents(db.kysely, [
      scroll(s, 0),
      scroll(s, 4),
      scroll(s, 5),
      scroll(s, 54),
      scroll(s, 99),
      scroll(s, 100),
      scroll(s, 104),
      scroll(s, undefined), // no depth: nothing
      scroll(s, -3),
    ]);
    const { pages, depths } = await dump(db, s);
    expect(depths.map((d) => [d.bucket, d.views])).toEqual([
      [0, 2],
      [5, 1],
      [50, 1],
      [95, 1],
      [100, 2],
    ]);
    expect(pages.map((p) => [p.clicks, p.scrolls])).toEqual([[0, 7]]);
  });

  it('files events under the UTC day of their timestamp', async () => {
    const s = 'site_days';
    await applyHeatmapEvents(db.kysely, [
      click(s, 1, 1, { timestamp: new Date('2026-02-28T23:59:59.999Z') }),
      click(s, 1, 1, { timestamp: new Date('2026-03-01T00:00:00.000Z') }),
      click(s, 1, 1, { timestamp: new Date('2026-03-01T01:30:00+02:00') }), // 23:30 UTC the day before
      scroll(s, 50, { timestamp: new Date('2026-03-01T23:59:59.999Z') }),
    ]);
    const { pages } = await dump(db, s);
    expect(pages.map((p) => [p.day, p.clicks, p.scrolls])).toEqual([
      ['2026-02-28', 2, 0],
      ['2026-03-01', 1, 1],
    ]);
  });

  it('ignores other events', async () => {
    const s = 'site_other';
    await applyHeatmapEvents(db.kysely, [
      click(s, 1, 1, { event: 'Product Viewed' }),
      click(s, 1, 1, { type: 'page', event: '$click' }),
      scroll(s, 50, { event: null }),
    ]);
    await applyHeatmapEvents(db.kysely, []);
    expect(await dump(db, s)).toEqual({ pages: [], cells: [], selectors: [], depths: [] });
  });

  it('is additive: two batches give the same aggregates as their union', async () => {
    const events = mixed('x', 600);
    const as = (siteId: string, list: HeatmapEvent[]) => list.map((e) => ({ ...e, site_id: siteId }));
    await applyHeatmapEvents(db.kysely, as('site_union', events));
    for (const [i, cut] of [0, 1, 257, 599].entries()) {
      const site = `site_split_${i}`;
      await db.kysely.transaction().execute(async (trx) => {
        await applyHeatmapEvents(trx, as(site, events.slice(0, cut)));
        await applyHeatmapEvents(trx, as(site, events.slice(cut)));
      });
      expect(await dump(db, site)).toEqual(await dump(db, 'site_union'));
    }
    const union = await dump(db, 'site_union');
    expect(union.pages.reduce((s, p) => s + p.clicks, 0)).toBe(480);
    expect(union.pages.reduce((s, p) => s + p.scrolls, 0)).toBe(120);
    expect(union.depths.reduce((s, d) => s + d.views, 0)).toBe(120);
  });

  it('deletes one site’s aggregates and only those', async () => {
    await applyHeatmapEvents(db.kysely, [click('site_del', 1, 1), scroll('site_del', 30), click('site_keep', 1, 1)]);
    await deleteSiteHeatmaps(db.kysely, 'site_del');
    expect(await dump(db, 'site_del')).toEqual({ pages: [], cells: [], selectors: [], depths: [] });
    expect((await dump(db, 'site_keep')).pages).toHaveLength(1);
  });
});
