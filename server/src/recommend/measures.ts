// Support, confidence and lift of "lhs => rhs" from counts, computed the way arules' apriori computes them.

export interface RuleMeasures {
  support: number;
  confidence: number;
  lift: number;
}

/**
 * Measures of a rule from the number of baskets holding lhs∪rhs (`together`), lhs, and rhs, out of `baskets`.
 * An empty lhs is held by every basket. Lift is computed as arules does (confidence · N / count(rhs)) so both
 * agree to the last bit.
 */
export function ruleMeasures(together: number, lhs: number, rhs: number, baskets: number): RuleMeasures {
  const confidence = together / lhs;
  return { support: together / baskets, confidence, lift: (confidence * baskets) / rhs };
}

/** The smallest basket count that reaches `minSupport`, rounded up as arules rounds it (never below one basket). */
export function minimumCount(minSupport: number, baskets: number): number {
  return Math.max(1, Math.ceil(baskets * minSupport));
}

// arules keeps a rule when confidence >= minimum - 1e-12, so 2/3 passes a minimum of 0.6666666666666666.
const CONFIDENCE_SLACK = 1e-12;

/** Whether a confidence passes the minimum, with arules' tolerance for round-off. */
export function meetsConfidence(confidence: number, minConfidence: number): boolean {
  return confidence >= minConfidence - CONFIDENCE_SLACK;
}
