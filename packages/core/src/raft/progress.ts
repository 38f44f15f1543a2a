/**
 * The leader's view of one follower's replication (etcd-io/raft's Progress): what it has
 * matched, what to send next, and flow control. In `probe` the leader sends one append at a
 * time until it finds where the logs agree; in `replicate` it pipelines appends, at most
 * `maxInflight` unacknowledged at once; in `snapshot` it waits for an InstallSnapshot.
 */

/** Replication state of one follower. */
export type ProgressState = 'probe' | 'replicate' | 'snapshot';

/** One follower's replication progress. Mutable; owned by the leader. */
export class Progress {
  match = 0;
  next: number;
  state: ProgressState = 'probe';
  /** probe: an append is outstanding, wait for its answer or a heartbeat response. */
  probeSent = false;
  /** snapshot: the index of the snapshot sent. */
  pendingSnapshot = 0;
  /** Ticks spent in `snapshot`; the leader re-probes when a snapshot seems lost. */
  snapshotTicks = 0;
  /** Heard from since the last check-quorum round. */
  recentActive = false;
  /** Last index of each unacknowledged append, oldest first (replicate only). */
  inflights: number[] = [];

  constructor(
    next: number,
    readonly maxInflight: number,
    public isLearner: boolean,
  ) {
    this.next = next;
  }

  /** Records an acknowledged index; returns whether match moved. */
  maybeUpdate(n: number): boolean {
    let updated = false;
    if (this.match < n) {
      this.match = n;
      updated = true;
      this.probeSent = false;
    }
    this.next = Math.max(this.next, n + 1);
    return updated;
  }

  /** Handles a rejected append of `rejected`; returns false when the rejection is stale. */
  maybeDecrTo(rejected: number, hint: number): boolean {
    if (this.state === 'replicate') {
      if (rejected <= this.match) return false;
      this.next = this.match + 1;
      return true;
    }
    if (this.state === 'snapshot' || this.next - 1 !== rejected) return false;
    this.next = Math.max(Math.min(rejected, hint + 1), this.match + 1, 1);
    this.probeSent = false;
    return true;
  }

  becomeProbe(): void {
    this.next =
      this.state === 'snapshot' ? Math.max(this.match + 1, this.pendingSnapshot + 1) : this.match + 1;
    this.state = 'probe';
    this.probeSent = false;
    this.pendingSnapshot = 0;
    this.inflights = [];
  }

  becomeReplicate(): void {
    this.state = 'replicate';
    this.next = this.match + 1;
    this.probeSent = false;
    this.inflights = [];
  }

  becomeSnapshot(index: number): void {
    this.state = 'snapshot';
    this.pendingSnapshot = index;
    this.snapshotTicks = 0;
    this.inflights = [];
  }

  /** Records an append that carried entries up to `last` (inclusive). */
  sentEntries(last: number, count: number): void {
    if (this.state === 'replicate') {
      if (count > 0) {
        this.next = last + 1;
        this.inflights.push(last);
      }
    } else if (this.state === 'probe') {
      this.probeSent = true;
    }
  }

  /** Frees the in-flight appends acknowledged by `index`. */
  freeLE(index: number): void {
    let k = 0;
    while (k < this.inflights.length && this.inflights[k]! <= index) k++;
    if (k > 0) this.inflights.splice(0, k);
  }

  isPaused(): boolean {
    if (this.state === 'probe') return this.probeSent;
    if (this.state === 'replicate') return this.inflights.length >= this.maxInflight;
    return true;
  }
}
