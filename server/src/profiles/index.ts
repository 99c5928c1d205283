// Profiles: the projector and what it derives (profiles, identities, traits, orders, products), the
// catalogue import, the merge extension point and the projector's metrics.
export { profileIdFor, SESSION_GAP_MS } from './apply.ts';
export { type MergeHook, onProfileMerge, type ProfileMerge } from './merge-hooks.ts';
export { metricsRoutes, metricsText } from './metrics.ts';
export { Projector, type ProjectorOptions, type ProjectorStats } from './projector.ts';
export { progressLine, type RebuildProgress, rebuild } from './rebuild.ts';
export { catalogRoutes, MAX_CATALOG_BYTES } from './routes.ts';
