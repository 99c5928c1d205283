// Ingestion: the tracking API, validation and enrichment, and the group-committed event log.
export { clientIp } from './client-ip.ts';
export { copyData, copyLine, copyStatement, copyWriter } from './copy-store.ts';
export { type EventRow, toEventRow } from './event-row.ts';
export { GroupCommit } from './group-commit.ts';
export { RateLimiter } from './rate-limit.ts';
export { type IngestDeps, ingestRoutes } from './routes.ts';
export { insertEvents } from './store.ts';
