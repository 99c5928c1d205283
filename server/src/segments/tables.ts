// Tables owned by the segments capability: saved segment definitions (the members are always computed live).
import type { ColumnType, JSONColumnType } from 'kysely';
import type { SegmentRule } from '../protocol/index.ts';

export interface SegmentsTable {
  site_id: string;
  segment_id: string;
  name: string;
  description: string;
  /** The rule tree as validated by segmentRuleSchema; read back through the schema before it is compiled. */
  rules: JSONColumnType<SegmentRule>;
  created_at: ColumnType<Date, Date, never>;
  updated_at: ColumnType<Date, Date, Date>;
}

export interface SegmentsTables {
  segments: SegmentsTable;
}
