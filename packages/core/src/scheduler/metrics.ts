import type { AllocMetric, NodeScoreMeta } from '../structs/allocMetric.js';

// Placed allocations keep their metric for life (a million of them at C1M): maps nobody wrote
// stay this one shared, frozen empty object, copied on the first write.
const NONE: Record<string, number> = Object.freeze({}) as Record<string, number>;
const NO_QUOTA: string[] = Object.freeze([]) as unknown as string[];

function sparseMetric(): AllocMetric {
  return {
    nodesEvaluated: 0,
    nodesFiltered: 0,
    nodesInPool: 0,
    nodePool: '',
    nodesAvailable: NONE,
    classFiltered: NONE,
    constraintFiltered: NONE,
    nodesExhausted: 0,
    classExhausted: NONE,
    dimensionExhausted: NONE,
    quotaExhausted: NO_QUOTA,
    scores: NONE,
    scoreMetaData: [],
    allocationTime: 0,
    coalescedFailures: 0,
  };
}

const bump = (m: Record<string, number>, key: string, by = 1): Record<string, number> => {
  const out = m === NONE ? {} : m;
  out[key] = (out[key] ?? 0) + by;
  return out;
};

function insertAt<T>(list: T[], k: number, value: T): void {
  for (let j = list.length; j > k; j--) list[j] = list[j - 1]!;
  list[k] = value;
}

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
  'devices',
] as const;

/**
 * Collects the AllocMetric of one placement: counters updated in the hot loop, and the top
 * nodes by final score kept in small arrays so that a full breakdown is built only for them.
 */
export class MetricRecorder {
  metric: AllocMetric = sparseMetric();
  private readonly topIds: string[] = [];
  private readonly topScores: number[] = [];
  private readonly topParts: Float64Array[] = [];
  private readonly topPresent: number[] = [];

  /** Nodes filtered by a cached class verdict, per node class; folded into the metric at finish. */
  private classIneligible = 0;
  private readonly classIneligibleByClass = new Map<string, number>();

  /**
   * @param pool spare breakdown buffers shared by the placements of one stack: taken by `scored`,
   * given back by `finish` (the metric keeps plain records), so placements allocate none.
   */
  constructor(private readonly pool: Float64Array[] = []) {}

  /** Starts the next placement's metric, keeping the scratch arrays (one recorder per stack). */
  reset(): void {
    this.metric = sparseMetric();
    for (const b of this.topParts) this.pool.push(b);
    this.topIds.length = 0;
    this.topScores.length = 0;
    this.topParts.length = 0;
    this.topPresent.length = 0;
    this.classIneligible = 0;
    this.classIneligibleByClass.clear();
  }

  evaluated(): void {
    this.metric.nodesEvaluated++;
  }

  /** `count` nodes without a node class filtered by a cached class verdict. */
  filteredByClassCount(count: number): void {
    this.classIneligible += count;
  }

  /** A node filtered because its class was already judged infeasible (hot path: no string keys). */
  filteredByClass(nodeClass: string): void {
    this.classIneligible++;
    if (nodeClass)
      this.classIneligibleByClass.set(nodeClass, (this.classIneligibleByClass.get(nodeClass) ?? 0) + 1);
  }

  filtered(nodeClass: string, reason: string): void {
    const m = this.metric;
    m.nodesFiltered++;
    if (nodeClass) m.classFiltered = bump(m.classFiltered, nodeClass);
    m.constraintFiltered = bump(m.constraintFiltered, reason);
  }

  exhausted(nodeClass: string, dimension: string): void {
    const m = this.metric;
    m.nodesExhausted++;
    if (nodeClass) m.classExhausted = bump(m.classExhausted, nodeClass);
    if (dimension) m.dimensionExhausted = bump(m.dimensionExhausted, dimension);
  }

  /**
   * Offers a scored node; `parts` holds one value per scorer in SCORER_NAMES order and
   * `present` is a bit mask of scorers that reported (copied only when the node makes the top).
   */
  scored(node: { readonly id: string }, finalScore: number, parts: Float64Array, present: number): void {
    const n = this.topScores.length;
    if (n === TOP_SCORES && finalScore <= this.topScores[n - 1]!) return;
    // Reuse the evicted slot's buffer; insert keeping best-first order (ties keep arrival order).
    let buf: Float64Array;
    if (n === TOP_SCORES) {
      this.topIds.pop();
      this.topScores.pop();
      buf = this.topParts.pop()!;
      this.topPresent.pop();
    } else buf = this.pool.pop() ?? new Float64Array(SCORER_NAMES.length);
    buf.set(parts);
    let k = this.topScores.length;
    while (k > 0 && this.topScores[k - 1]! < finalScore) k--;
    // Insert at k by shifting the tail (splice would allocate a result array per call).
    // The node's ID is read only for the few that make the top (a node object read per ranked
    // node is a cache miss on large clusters).
    insertAt(this.topIds, k, node.id);
    insertAt(this.topScores, k, finalScore);
    insertAt(this.topParts, k, buf);
    insertAt(this.topPresent, k, present);
  }

  /** Finishes the metric: fills scoreMetaData (best first). */
  finish(allocationTimeNs = 0): AllocMetric {
    if (this.classIneligible > 0) {
      const m = this.metric;
      m.nodesFiltered += this.classIneligible;
      m.constraintFiltered = bump(m.constraintFiltered, 'computed class ineligible', this.classIneligible);
      for (const [c, v] of this.classIneligibleByClass) m.classFiltered = bump(m.classFiltered, c, v);
    }
    const meta: NodeScoreMeta[] = [];
    for (let k = 0; k < this.topIds.length; k++) {
      const scores: Record<string, number> = {};
      const parts = this.topParts[k]!;
      for (let s = 0; s < SCORER_NAMES.length; s++) {
        if (this.topPresent[k]! & (1 << s)) scores[SCORER_NAMES[s]!] = parts[s]!;
      }
      meta.push({ nodeId: this.topIds[k]!, scores, normScore: this.topScores[k]! });
      this.pool.push(parts);
    }
    this.topParts.length = 0;
    this.metric.scoreMetaData = meta;
    this.metric.allocationTime = allocationTimeNs;
    return this.metric;
  }
}
