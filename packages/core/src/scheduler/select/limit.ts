/**
 * Limit and max-score selection: keep the best of the first `limit` ranked nodes, setting aside
 * up to `maxSkip` nodes whose score is at or below the threshold, used only if the source runs
 * out (Nomad's LimitIterator followed by MaxScoreIterator).
 */

/** Score at or below which a candidate is set aside. */
export const SKIP_SCORE_THRESHOLD = 0;
/** How many low-scoring candidates may be set aside. */
export const MAX_SKIP = 3;

/** Selection state for one placement; feed candidates with `offer`, read `best` at the end. */
export class LimitSelector {
  private seen = 0;
  /** Set-aside candidates: `skips` of the MAX_SKIP slots are in use. */
  private skips = 0;
  private readonly skipped = new Int32Array(MAX_SKIP);
  private readonly skippedScores = new Float64Array(MAX_SKIP);
  /** Candidate id of the best offer so far, or -1. */
  best = -1;
  bestScore = -Infinity;

  constructor(private limit: number) {}

  /** Starts a new selection with `limit`, keeping the scratch arrays (one selector per stack). */
  reset(limit: number): void {
    this.limit = limit;
    this.seen = 0;
    this.skips = 0;
    this.best = -1;
    this.bestScore = -Infinity;
  }

  /** True once `limit` candidates were taken: stop pulling nodes. */
  get full(): boolean {
    return this.seen >= this.limit;
  }

  /** Offers a ranked candidate. Mutates this selector only. */
  offer(id: number, score: number): void {
    if (score <= SKIP_SCORE_THRESHOLD && this.skips < MAX_SKIP) {
      this.skipped[this.skips] = id;
      this.skippedScores[this.skips++] = score;
      return;
    }
    this.take(id, score);
  }

  /** The source ran out: fall back to the set-aside candidates, in order. */
  finish(): void {
    for (let k = 0; k < this.skips && !this.full; k++) this.take(this.skipped[k]!, this.skippedScores[k]!);
  }

  private take(id: number, score: number): void {
    this.seen++;
    if (this.best === -1 || score > this.bestScore) {
      this.best = id;
      this.bestScore = score;
    }
  }
}

/**
 * How many feasible nodes are ranked per placement: batch 2, service max(2, ⌈log2 n⌉); with
 * affinities or spreads max(count, nodeLimitForFeasibility (default 100)). Pure.
 */
export function selectionLimit(
  batch: boolean,
  nodeCount: number,
  groupCount: number,
  hasAffinityOrSpread: boolean,
  nodeLimitForFeasibility = 100,
): number {
  if (hasAffinityOrSpread) return Math.max(groupCount, nodeLimitForFeasibility);
  let limit = 2;
  if (!batch && nodeCount > 0) limit = Math.max(limit, Math.ceil(Math.log2(nodeCount)));
  return limit;
}
