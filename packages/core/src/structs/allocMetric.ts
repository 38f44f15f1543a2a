/**
 * Placement metrics of one allocation (or of a failed task group in an evaluation): how many
 * nodes were looked at, why they were filtered or exhausted, and the scores of the best ones.
 */

/** The scores one node got from each scorer (`binpack`, `job-anti-affinity`, …) and the final one. */
export interface NodeScoreMeta {
  nodeId: string;
  scores: Record<string, number>;
  normScore: number;
}

/** Why a placement landed where it did, or failed: counts per filter, exhaustion per dimension, top scores. */
export interface AllocMetric {
  nodesEvaluated: number;
  nodesFiltered: number;
  nodesInPool: number;
  nodePool: string;
  /** Nodes available per datacenter. */
  nodesAvailable: Record<string, number>;
  classFiltered: Record<string, number>;
  constraintFiltered: Record<string, number>;
  nodesExhausted: number;
  classExhausted: Record<string, number>;
  /** Exhausted dimension (`cpu`, `memory`, `network: …`) -> count. */
  dimensionExhausted: Record<string, number>;
  quotaExhausted: string[];
  /** Legacy map "nodeId.scorer" -> score. */
  scores: Record<string, number>;
  scoreMetaData: NodeScoreMeta[];
  /** Time spent placing, ns. */
  allocationTime: number;
  coalescedFailures: number;
}

/** A fresh, all-zero metric. Pure. */
export function emptyAllocMetric(): AllocMetric {
  return {
    nodesEvaluated: 0,
    nodesFiltered: 0,
    nodesInPool: 0,
    nodePool: '',
    nodesAvailable: {},
    classFiltered: {},
    constraintFiltered: {},
    nodesExhausted: 0,
    classExhausted: {},
    dimensionExhausted: {},
    quotaExhausted: [],
    scores: {},
    scoreMetaData: [],
    allocationTime: 0,
    coalescedFailures: 0,
  };
}
