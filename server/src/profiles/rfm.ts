// The named RFM segments: one rule table, read top to bottom (first match wins), used by the SQL and by tests.
import { type RawBuilder, sql } from 'kysely';
import type { RfmSegment } from './tables.ts';

export interface RfmRule {
  segment: RfmSegment;
  /** Inclusive range of the recency score. */
  r: [number, number];
  /** Inclusive range of FM, the average of the frequency and monetary scores rounded half up. */
  fm: [number, number];
}

/**
 * The widely used R × FM table, in an order that leaves every segment a cell and covers all 25 (R, FM) pairs:
 * the narrow segments (new, promising, champions, can't lose, lost) come before the broad ones that overlap them.
 */
export const RFM_RULES: readonly RfmRule[] = [
  { segment: 'new', r: [5, 5], fm: [1, 1] },
  { segment: 'promising', r: [4, 4], fm: [1, 1] },
  { segment: 'champions', r: [4, 5], fm: [4, 5] },
  { segment: 'cant_lose', r: [1, 1], fm: [4, 5] },
  { segment: 'lost', r: [1, 1], fm: [1, 1] },
  { segment: 'hibernating', r: [1, 2], fm: [1, 2] },
  { segment: 'need_attention', r: [2, 3], fm: [2, 3] },
  { segment: 'at_risk', r: [1, 2], fm: [2, 5] },
  { segment: 'loyal', r: [2, 5], fm: [3, 5] },
  { segment: 'potential_loyalists', r: [3, 5], fm: [1, 3] },
];

/** FM: (F + M) / 2 rounded half up, so 1.5 counts as 2. */
export const fmScore = (f: number, m: number): number => Math.floor((f + m + 1) / 2);

/** The segment of scores 1–5 (the table is total, so there is always one). */
export function rfmSegment(r: number, f: number, m: number): RfmSegment {
  const fm = fmScore(f, m);
  const rule = RFM_RULES.find((x) => r >= x.r[0] && r <= x.r[1] && fm >= x.fm[0] && fm <= x.fm[1]);
  if (!rule) throw new Error(`no RFM rule for R${r} F${f} M${m}`);
  return rule.segment;
}

/** The same table as a SQL `case` over integer expressions r, f, m (constants only: nothing from outside). */
export function rfmSegmentSql(r: RawBuilder<unknown>, f: RawBuilder<unknown>, m: RawBuilder<unknown>) {
  const fm = sql`((${f} + ${m} + 1) / 2)`;
  const whens = RFM_RULES.map(
    (x) =>
      sql`when ${r} between ${sql.lit(x.r[0])} and ${sql.lit(x.r[1])} and ${fm} between ${sql.lit(x.fm[0])} and ${sql.lit(x.fm[1])} then ${sql.lit(x.segment)}`,
  );
  return sql<RfmSegment | null>`case ${sql.join(whens, sql` `)} end`;
}
