// Analytics: the dashboard's overview of a site (visitors, sessions, orders, revenue, the purchase funnel, per
// day, against the period before), read from the projector's visits and orders and the event log.
export type { DayFigures, FunnelStep, Overview, OverviewQuery, Period, Totals } from './overview.ts';
export { overviewRoutes } from './routes.ts';
