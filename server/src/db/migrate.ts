// Runs the migrations in order; each one is self-contained and never edited once landed.
import { type Kysely, type Migration, type MigrationResultSet, Migrator, sql } from 'kysely';
import * as createSites from './migrations/2026_11_23_0700_create_sites.ts';
import * as createStaffUsers from './migrations/2026_11_23_0710_create_staff_users.ts';
import * as createEvents from './migrations/2026_11_23_0720_create_events.ts';
import * as addSiteSettings from './migrations/2026_11_23_0730_add_site_settings.ts';
import * as addEventXid from './migrations/2026_11_23_1000_add_event_xid.ts';
import * as createProfiles from './migrations/2026_11_23_1010_create_profiles.ts';
import * as createConversations from './migrations/2026_11_23_1100_create_conversations.ts';
import * as createHeatmaps from './migrations/2026_11_23_1200_create_heatmaps.ts';
import * as createSurveys from './migrations/2026_11_23_1300_create_surveys.ts';
import * as createProfileClasses from './migrations/2026_11_23_1400_create_profile_classes.ts';
import * as createSegments from './migrations/2026_11_23_1450_create_segments.ts';
import * as createRecommendations from './migrations/2026_11_23_1500_create_recommendations.ts';
import * as createStaffSessions from './migrations/2026_11_23_1550_create_staff_sessions.ts';
import * as createVisitorSessions from './migrations/2026_11_23_1600_create_visitor_sessions.ts';
import * as indexOverview from './migrations/2026_11_23_1601_index_overview.ts';
import * as indexRecommendationEvents from './migrations/2026_11_23_1640_index_recommendation_events.ts';
import * as createHeatmapOverlayKeys from './migrations/2026_11_23_1660_create_heatmap_overlay_keys.ts';
import * as createConversationReads from './migrations/2026_11_23_1700_create_conversation_reads.ts';
import * as indexEventWindows from './migrations/2026_11_23_1740_index_event_windows.ts';
import * as indexEventWindowIds from './migrations/2026_11_23_1800_index_event_window_ids.ts';
import * as indexPageWindows from './migrations/2026_11_23_1801_index_page_windows.ts';
import type { Database } from './schema.ts';

const migrations: Record<string, Migration> = {
  '2026_11_23_0700_create_sites': createSites,
  '2026_11_23_0710_create_staff_users': createStaffUsers,
  '2026_11_23_0720_create_events': createEvents,
  '2026_11_23_0730_add_site_settings': addSiteSettings,
  '2026_11_23_1000_add_event_xid': addEventXid,
  '2026_11_23_1010_create_profiles': createProfiles,
  '2026_11_23_1100_create_conversations': createConversations,
  '2026_11_23_1200_create_heatmaps': createHeatmaps,
  '2026_11_23_1300_create_surveys': createSurveys,
  '2026_11_23_1400_create_profile_classes': createProfileClasses,
  '2026_11_23_1450_create_segments': createSegments,
  '2026_11_23_1500_create_recommendations': createRecommendations,
  '2026_11_23_1550_create_staff_sessions': createStaffSessions,
  '2026_11_23_1600_create_visitor_sessions': createVisitorSessions,
  '2026_11_23_1601_index_overview': indexOverview,
  '2026_11_23_1640_index_recommendation_events': indexRecommendationEvents,
  '2026_11_23_1660_create_heatmap_overlay_keys': createHeatmapOverlayKeys,
  '2026_11_23_1700_create_conversation_reads': createConversationReads,
  '2026_11_23_1740_index_event_windows': indexEventWindows,
  '2026_11_23_1800_index_event_window_ids': indexEventWindowIds,
  '2026_11_23_1801_index_page_windows': indexPageWindows,
};

export class MigrationError extends Error {}

/** Brings the schema up to date; returns the names of the migrations it applied. */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results }: MigrationResultSet = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new MigrationError(`migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Keeps monthly event partitions ready ahead of time (called at start and daily). */
export async function ensureEventPartitions(db: Kysely<Database>, monthsAhead = 3): Promise<void> {
  await sql`select fideliza_ensure_event_partitions(now()::date, ${monthsAhead + 1})`.execute(db);
}
