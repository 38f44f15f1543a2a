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

/** The breakdown record of one node: the scorers in `present` (a bit per SCORER_NAMES entry). */
function scoresOf(parts: Float64Array, present: number): Record<string, number> {
  // The usual ranked masks as literals (one object shape each, no keyed stores).
  if (present === 0b1111)
    return {
      binpack: parts[0]!,
      'job-anti-affinity': parts[1]!,
      'node-reschedule-penalty': parts[2]!,
      'node-affinity': parts[3]!,
    };
  if (present === 0b11111)
    return {
      binpack: parts[0]!,
      'job-anti-affinity': parts[1]!,
      'node-reschedule-penalty': parts[2]!,
      'node-affinity': parts[3]!,
      'allocation-spread': parts[4]!,
    };
  const scores: Record<string, number> = {};
  for (let s = 0; s < SCORER_NAMES.length; s++) if (present & (1 << s)) scores[SCORER_NAMES[s]!] = parts[s]!;
  return scores;
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
  /** The top nodes so far, best first, in fixed slots: `top` of them are in use. */
  private top = 0;
  private readonly topIds: string[] = new Array<string>(TOP_SCORES).fill('');
  private readonly topScores = new Float64Array(TOP_SCORES);
  private readonly topPresent = new Int32Array(TOP_SCORES);
  /** One breakdown row per slot; rows move with their slot (a permutation of these buffers). */
  private readonly topParts: Float64Array[] = Array.from(
    { length: TOP_SCORES },
    () => new Float64Array(SCORER_NAMES.length),
  );

  /** Nodes filtered by a cached class verdict, per node class; folded into the metric at finish. */
  private classIneligible = 0;
  private readonly classIneligibleByClass = new Map<string, number>();

  /** Starts the next placement's metric, keeping the scratch slots (one recorder per stack). */
  reset(): void {
    this.metric = sparseMetric();
    // Counters, not `array.length = 0`: that is a runtime call, several per placement.
    this.top = 0;
    this.classIneligible = 0;
    if (this.classIneligibleByClass.size > 0) this.classIneligibleByClass.clear();
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
  /** Whether a node with this final score would enter the top scores (`scored` would keep it). */
  wants(finalScore: number): boolean {
    return this.top < TOP_SCORES || finalScore > this.topScores[TOP_SCORES - 1]!;
  }

  scored(nodeId: string, finalScore: number, parts: Float64Array, present: number): void {
    let n = this.top;
    const scores = this.topScores;
    if (n === TOP_SCORES && finalScore <= scores[n - 1]!) return;
    // The last slot's row is free (unused, or evicted when full); fill it, then move it up to
    // its place keeping best-first order (ties keep arrival order).
    if (n === TOP_SCORES) n--;
    const ids = this.topIds;
    const rows = this.topParts;
    const present_ = this.topPresent;
    const buf = rows[n]!;
    buf.set(parts);
    let k = n;
    for (; k > 0 && scores[k - 1]! < finalScore; k--) {
      ids[k] = ids[k - 1]!;
      scores[k] = scores[k - 1]!;
      rows[k] = rows[k - 1]!;
      present_[k] = present_[k - 1]!;
    }
    ids[k] = nodeId;
    scores[k] = finalScore;
    rows[k] = buf;
    present_[k] = present;
    this.top = n + 1;
  }

  /** Finishes the metric: fills scoreMetaData (best first). */
  finish(allocationTimeNs = 0): AllocMetric {
    if (this.classIneligible > 0) {
      const m = this.metric;
      m.nodesFiltered += this.classIneligible;
      m.constraintFiltered = bump(m.constraintFiltered, 'computed class ineligible', this.classIneligible);
      for (const [c, v] of this.classIneligibleByClass) m.classFiltered = bump(m.classFiltered, c, v);
    }
    const meta: NodeScoreMeta[] = new Array<NodeScoreMeta>(this.top);
    for (let k = 0; k < this.top; k++) {
      const scores = scoresOf(this.topParts[k]!, this.topPresent[k]!);
      meta[k] = { nodeId: this.topIds[k]!, scores, normScore: this.topScores[k]! };
    }
    this.metric.scoreMetaData = meta;
    this.metric.allocationTime = allocationTimeNs;
    return this.metric;
  }
}
