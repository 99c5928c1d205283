// Profiles: the projector and what it derives (profiles, identities, traits, orders, products), the
// catalogue import, the merge extension point, the projector's metrics and the customer classification.
export { profileIdFor, SESSION_GAP_MS } from './apply.ts';
export { type ClassifyOptions, type ClassifyResult, classifySite } from './classify.ts';
export { ClassificationScheduler, type ClassifySchedule } from './classify-schedule.ts';
export { type MergeHook, onProfileMerge, type ProfileMerge } from './merge-hooks.ts';
export { metricsRoutes, metricsText } from './metrics.ts';
export { findPerson, type Person, profileIdOf } from './person.ts';
export { type EraseHook, type Erasure, eraseProfile, exportProfile, onProfileErase } from './privacy.ts';
export { Projector, type ProjectorOptions, type ProjectorStats } from './projector.ts';
export { progressLine, type RebuildProgress, rebuild } from './rebuild.ts';
export { fmScore, RFM_RULES, type RfmRule, rfmSegment } from './rfm.ts';
export { catalogRoutes, MAX_CATALOG_BYTES, profileRoutes } from './routes.ts';
export type {
  AbcClass,
  ChurnRisk,
  Lifecycle,
  ProfileClass,
  ProfileClassesTable,
  RfmSegment,
} from './tables.ts';
