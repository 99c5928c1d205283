// The whole database as Kysely sees it: each capability's tables, composed.
import type { AuthTables } from '../auth/tables.ts';
import type { ConversationsTables } from '../conversations/tables.ts';
import type { HeatmapsTables } from '../heatmaps/tables.ts';
import type { IngestTables } from '../ingest/tables.ts';
import type { ProfilesTables } from '../profiles/tables.ts';
import type { RecommendTables } from '../recommend/tables.ts';
import type { SegmentsTables } from '../segments/tables.ts';
import type { SitesTables } from '../sites/tables.ts';
import type { SurveysTables } from '../surveys/tables.ts';

export interface Database
  extends SitesTables,
    AuthTables,
    IngestTables,
    ConversationsTables,
    ProfilesTables,
    SurveysTables,
    HeatmapsTables,
    RecommendTables,
    SegmentsTables {}
