import type { AllocMetric, NodeScoreMeta } from '../structs/allocMetric.js';
import { emptyAllocMetric } from '../structs/allocMetric.js';

/** How many top-scoring nodes a metric keeps with their score breakdown. */
export const TOP_SCORES = 5;

/** Names of the scorers, as Nomad reports them. */
export const SCORER_NAMES = [
  'binpack',
  'job-anti-affinity',
  'node-reschedule-penalty',
  'node-affinity',
  'allocation-spread',
  'preemption',
] as const;

/**
 * Collects the AllocMetric of one placement: counters updated in the hot loop, and the top
 * nodes by final score kept in small arrays so that a full breakdown is built only for them.
 */
export class MetricRecorder {
  readonly metric: AllocMetric = emptyAllocMetric();
  private readonly topIds: string[] = [];
  private readonly topScores: number[] = [];
  private readonly topParts: Float64Array[] = [];
  private readonly topPresent: number[] = [];

  evaluated(): void {
    this.metric.nodesEvaluated++;
  }

  filtered(nodeClass: string, reason: string): void {
    const m = this.metric;
    m.nodesFiltered++;
    if (nodeClass) m.classFiltered[nodeClass] = (m.classFiltered[nodeClass] ?? 0) + 1;
    m.constraintFiltered[reason] = (m.constraintFiltered[reason] ?? 0) + 1;
  }

  exhausted(nodeClass: string, dimension: string): void {
    const m = this.metric;
    m.nodesExhausted++;
    if (nodeClass) m.classExhausted[nodeClass] = (m.classExhausted[nodeClass] ?? 0) + 1;
    if (dimension) m.dimensionExhausted[dimension] = (m.dimensionExhausted[dimension] ?? 0) + 1;
  }

  /**
   * Offers a scored node; `parts` holds one value per scorer in SCORER_NAMES order and
   * `present` is a bit mask of scorers that reported (copied only when the node makes the top).
   */
  scored(nodeId: string, finalScore: number, parts: Float64Array, present: number): void {
    const n = this.topScores.length;
    if (n === TOP_SCORES && finalScore <= this.topScores[n - 1]!) return;
    let k = n === TOP_SCORES ? n - 1 : n;
    if (n === TOP_SCORES) {
      this.topIds.pop();
      this.topScores.pop();
      this.topParts.pop();
      this.topPresent.pop();
    }
    while (k > 0 && this.topScores[k - 1]! < finalScore) k--;
    this.topIds.splice(k, 0, nodeId);
    this.topScores.splice(k, 0, finalScore);
    this.topParts.splice(k, 0, Float64Array.from(parts));
    this.topPresent.splice(k, 0, present);
  }

  /** Finishes the metric: fills scoreMetaData (best first). */
  finish(allocationTimeNs = 0): AllocMetric {
    const meta: NodeScoreMeta[] = [];
    for (let k = 0; k < this.topIds.length; k++) {
      const scores: Record<string, number> = {};
      const parts = this.topParts[k]!;
      for (let s = 0; s < SCORER_NAMES.length; s++) {
        if (this.topPresent[k]! & (1 << s)) scores[SCORER_NAMES[s]!] = parts[s]!;
      }
      meta.push({ nodeId: this.topIds[k]!, scores, normScore: this.topScores[k]! });
    }
    this.metric.scoreMetaData = meta;
    this.metric.allocationTime = allocationTimeNs;
    return this.metric;
  }
}
