import { type Kysely, sql } from 'kysely';

// Heatmap aggregates the projector folds `$click` and `$scroll` events into: one row per site, page path,
// device class and UTC day, plus the grid cell, selector or scroll bucket. Every counter is additive, so
// `n = n + excluded.n` upserts are exact and a date range is a sum over days. Rebuilt from the event log.
// Paths and selectors compare byte-wise (collate "C") like the event log's.
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's schema type.
export async function up(db: Kysely<any>): Promise<void> {
  const device = sql`device text not null check (device in ('mobile', 'tablet', 'desktop'))`;
  // Per page and day: what the "pages" list ranks by, without scanning the cell rows.
  await sql`
    create table heatmap_pages (
      site_id text collate "C" not null,
      day date not null,
      path text collate "C" not null,
      ${device},
      clicks integer not null default 0,
      rage integer not null default 0,
      scrolls integer not null default 0,
      primary key (site_id, day, path, device)
    )`.execute(db);
  // x: 1/50ths of the document width; y: bands of the same height (document width / 50), so cells are square.
  await sql`
    create table heatmap_click_cells (
      site_id text collate "C" not null,
      path text collate "C" not null,
      ${device},
      day date not null,
      cell_x smallint not null,
      cell_y integer not null,
      clicks integer not null default 0,
      rage integer not null default 0,
      primary key (site_id, path, device, day, cell_x, cell_y)
    )`.execute(db);
  await sql`
    create table heatmap_selectors (
      site_id text collate "C" not null,
      path text collate "C" not null,
      ${device},
      day date not null,
      selector text collate "C" not null,
      clicks integer not null default 0,
      rage integer not null default 0,
      primary key (site_id, path, device, day, selector)
    )`.execute(db);
  // bucket: the max depth reached rounded down to 5 % (0, 5, …, 95, 100 = the bottom of the page).
  await sql`
    create table heatmap_scroll_depths (
      site_id text collate "C" not null,
      path text collate "C" not null,
      ${device},
      day date not null,
      bucket smallint not null,
      views integer not null default 0,
      primary key (site_id, path, device, day, bucket)
    )`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table heatmap_scroll_depths`.execute(db);
  await sql`drop table heatmap_selectors`.execute(db);
  await sql`drop table heatmap_click_cells`.execute(db);
  await sql`drop table heatmap_pages`.execute(db);
}
