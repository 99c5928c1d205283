// The demo: on the first `fideliza start --demo`, a demo site with months of generated history, a staff team,
// chats, complaints and survey answers; and the demo shop served at /demo.
export { defaultHistory, type HistoryCounts, history } from './generate.ts';
export { DEMO_SITE, demoRoutes } from './routes.ts';
export { type DemoOptions, type DemoSetup, setupDemo } from './setup.ts';
export type { DemoStaff, SupportCounts } from './support.ts';
