// Recommendations: association rules, pair counts and the ranking shared by the CLI and the HTTP API; the precomputed
// tables, their refresh and the routes that serve them.
export { BasketFileError, parseBasketLine, readBasketFile } from './basket-file.ts';
export { runBaskets } from './command.ts';
export { type Evaluation, evaluateHoldOut } from './evaluate.ts';
export { type RuleMeasures, ruleMeasures } from './measures.ts';
export { type Outcomes, RECOMMENDATION_LIST_ID, recommendationOutcomes } from './outcomes.ts';
export {
  addBasket,
  byPopularity,
  countPairs,
  emptyPairCounts,
  type PairCounts,
  type PairStat,
  pairStats,
  topPartners,
} from './pairs.ts';
export { type PersonIdsOf, profileRecommendationRoutes } from './profile-routes.ts';
export {
  RecommendationRefresher,
  type RefresherOptions,
  type RefreshOptions,
  refreshDue,
  refreshSite,
} from './refresh.ts';
export { recommendationRoutes, recommendationStaffRoutes, type ServeOptions } from './routes.ts';
export { type AssociationRule, byLift, generateRules, mineRules, type RuleOptions, topByLift } from './rules.ts';
export { type PairEvidence, type RankInput, type Recommendation, rankRecommendations } from './score.ts';
export type { RecommendTables } from './tables.ts';
export { applyRecommendationEvents, eraseProductViews, productViewsOf, type RecommendEvent } from './views.ts';
