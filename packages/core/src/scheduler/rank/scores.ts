/** The small per-node scoring formulas of the rank stages, one function each. */

/** Job anti-affinity: −(collisions + 1) / desired count when the node already runs the group. Pure. */
export function jobAntiAffinityScore(collisions: number, desiredCount: number): number {
  return collisions > 0 ? (-1 * (collisions + 1)) / desiredCount : 0;
}

/** Node affinity: sum of the matching weights over the sum of |weight|. Pure. */
export function nodeAffinityScore(weights: readonly number[], matched: readonly boolean[]): number {
  let sum = 0;
  let total = 0;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i]!;
    sum += Math.abs(w);
    if (matched[i]) total += w;
  }
  return sum === 0 ? 0 : total / sum;
}

/** Net priority of a set of preempted allocations: max + sum / max. Pure. */
export function netPriority(priorities: readonly number[]): number {
  let max = 0;
  let sum = 0;
  for (const p of priorities) {
    if (p > max) max = p;
    sum += p;
  }
  return max + sum / max;
}

/** Preemption score: a logistic curve with 0.5 at net priority 2048 (rate 0.0048). Pure. */
export function preemptionScore(net: number): number {
  return 1 / (1 + Math.exp(0.0048 * (net - 2048)));
}

/**
 * Spread boost without targets: compares the node's value count with the least- and
 * most-used values so that the least-used value is preferred. Pure.
 * @param counts use count per value (allocations of this group, existing + proposed)
 * @param value the node's value, or undefined when the node lacks the attribute
 */
export function evenSpreadBoost(counts: ReadonlyMap<string, number>, value: string | undefined): number {
  if (counts.size === 0) return 0;
  if (value === undefined) return -1;
  let min = 0;
  let max = 0;
  for (const v of counts.values()) {
    if (min === 0 || v < min) min = v;
    if (max === 0 || v > max) max = v;
  }
  return evenSpreadBoostFrom(counts.get(value) ?? 0, min, max);
}

/** `evenSpreadBoost` with the least and most used counts precomputed (hot path). Pure. */
export function evenSpreadBoostFrom(current: number, min: number, max: number): number {
  if (current !== min) return min === 0 ? -1 : (min - current) / min;
  if (min === max) return -1;
  if (min === 0) return 1;
  return (max - min) / min;
}

/** Spread boost with targets: ((desired − used) / desired) × weight share. Pure. */
export function targetedSpreadBoost(desired: number, usedIncludingThis: number, weightShare: number): number {
  return ((desired - usedIncludingThis) / desired) * weightShare;
}
