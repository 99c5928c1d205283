// Recommendations: association rules, pair counts and the ranking shared by the CLI and the HTTP API.
export { BasketFileError, parseBasketLine, readBasketFile } from './basket-file.ts';
export { runBaskets } from './command.ts';
export { type Evaluation, evaluateHoldOut } from './evaluate.ts';
export { type RuleMeasures, ruleMeasures } from './measures.ts';
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
export { type AssociationRule, byLift, generateRules, mineRules, type RuleOptions, topByLift } from './rules.ts';
export { type PairEvidence, type RankInput, type Recommendation, rankRecommendations } from './score.ts';
