/**
 * The in-memory Raft log: the entries after the last snapshot, the commit and apply indices,
 * and which entries have not yet been handed to the caller for persisting. Pure data with
 * small methods; Raft safety rules (what may be truncated or committed) are asserted here.
 */
import type { Entry, Snapshot } from './messages.js';

/** The log of one Raft server. Mutable; owned by its {@link RaftNode}. */
export class RaftLog<C, S> {
  /** Index and term of the last entry covered by the snapshot (0, 0 before any). */
  snapIndex: number;
  snapTerm: number;
  /** entries[i].index === snapIndex + 1 + i. */
  entries: Entry<C>[];
  committed: number;
  /** The highest index handed to the caller as committed (applied once it calls advance). */
  applied: number;
  /** Lowest index appended since the last ready (entries from here on must be persisted). */
  unstableFrom: number;
  /** A snapshot received from the leader that the caller must persist and apply. */
  pendingSnapshot: Snapshot<S> | undefined;
  /** The newest snapshot, sent to followers whose next entry has been compacted away. */
  latestSnapshot: Snapshot<S> | undefined;

  constructor(snapshot: Snapshot<S> | undefined, entries: readonly Entry<C>[], commit: number) {
    this.snapIndex = snapshot?.meta.index ?? 0;
    this.snapTerm = snapshot?.meta.term ?? 0;
    this.latestSnapshot = snapshot;
    this.pendingSnapshot = undefined;
    this.entries = entries.filter((e) => e.index > this.snapIndex);
    for (let i = 0; i < this.entries.length; i++) {
      if (this.entries[i]!.index !== this.snapIndex + 1 + i)
        throw new Error('raft log: stored entries are not contiguous');
    }
    this.committed = Math.max(commit, this.snapIndex);
    if (this.committed > this.lastIndex()) throw new Error('raft log: commit index beyond the stored log');
    this.applied = this.snapIndex;
    this.unstableFrom = this.lastIndex() + 1;
  }

  firstIndex(): number {
    return this.snapIndex + 1;
  }

  lastIndex(): number {
    return this.snapIndex + this.entries.length;
  }

  lastTerm(): number {
    return this.term(this.lastIndex()) ?? 0;
  }

  /** The term of the entry at `i`, or undefined when compacted away or not (yet) in the log. */
  term(i: number): number | undefined {
    if (i === this.snapIndex) return this.snapTerm;
    if (i < this.snapIndex || i > this.lastIndex()) return undefined;
    return this.entries[i - this.snapIndex - 1]!.term;
  }

  matchTerm(i: number, t: number): boolean {
    return this.term(i) === t;
  }

  /** Raft's "at least as up-to-date" rule for granting votes. */
  isUpToDate(lastIndex: number, lastTerm: number): boolean {
    const t = this.lastTerm();
    return lastTerm > t || (lastTerm === t && lastIndex >= this.lastIndex());
  }

  /** The entry at `i` (which must be in the log, not compacted). */
  at(i: number): Entry<C> {
    const e = this.entries[i - this.snapIndex - 1];
    if (!e || e.index !== i) throw new Error(`raft log: no entry at ${i}`);
    return e;
  }

  /** Entries with lo <= index < hi (both within the log). */
  slice(lo: number, hi: number): Entry<C>[] {
    if (lo < this.firstIndex() && hi > lo) throw new Error(`raft log: slice from compacted index ${lo}`);
    return this.entries.slice(lo - this.snapIndex - 1, hi - this.snapIndex - 1);
  }

  /** Appends entries that directly follow the last one (the leader's own proposals). */
  append(ents: readonly Entry<C>[]): void {
    for (const e of ents) this.entries.push(e);
    if (ents.length > 0) this.unstableFrom = Math.min(this.unstableFrom, ents[0]!.index);
  }

  /**
   * Follower side of AppendEntries once the previous entry matched: skips entries already
   * present, truncates at the first conflict and appends the rest. Returns the last new index.
   */
  appendAfter(prevIndex: number, ents: readonly Entry<C>[]): number {
    const lastNew = prevIndex + ents.length;
    let k = 0;
    while (k < ents.length) {
      const e = ents[k]!;
      if (e.index < this.firstIndex()) {
        k++;
        continue;
      }
      if (!this.matchTerm(e.index, e.term)) break;
      k++;
    }
    if (k === ents.length) return lastNew;
    const from = ents[k]!.index;
    if (from <= this.committed) throw new Error(`raft log: conflict at committed index ${from}`);
    this.entries.length = from - this.snapIndex - 1;
    for (let i = k; i < ents.length; i++) this.entries.push(ents[i]!);
    this.unstableFrom = Math.min(this.unstableFrom, from);
    return lastNew;
  }

  commitTo(c: number): boolean {
    if (c <= this.committed) return false;
    if (c > this.lastIndex()) throw new Error(`raft log: commit ${c} beyond last index ${this.lastIndex()}`);
    this.committed = c;
    return true;
  }

  /** Replaces the whole log with a snapshot received from the leader. */
  restore(snap: Snapshot<S>): void {
    this.snapIndex = snap.meta.index;
    this.snapTerm = snap.meta.term;
    this.entries = [];
    this.committed = snap.meta.index;
    this.applied = snap.meta.index;
    this.unstableFrom = snap.meta.index + 1;
    this.pendingSnapshot = snap;
    this.latestSnapshot = snap;
  }

  /**
   * Records `snap` (at or below the applied index) as the snapshot sent to lagging followers,
   * and drops the entries up to `upTo` (<= the snapshot's index; the rest stay as a trailing
   * window so followers slightly behind still catch up from the log, not a snapshot).
   */
  compact(snap: Snapshot<S>, upTo: number): void {
    const i = snap.meta.index;
    if (i > this.applied) throw new Error(`raft log: compaction at ${i} beyond applied ${this.applied}`);
    if (upTo > i) throw new Error(`raft log: cannot drop entries past the snapshot (${upTo} > ${i})`);
    if (i > (this.latestSnapshot?.meta.index ?? 0)) this.latestSnapshot = snap;
    if (upTo <= this.snapIndex) return;
    const term = this.term(upTo)!;
    this.entries = this.entries.slice(upTo - this.snapIndex);
    this.snapIndex = upTo;
    this.snapTerm = term;
  }

  /** Entries not yet handed out for persisting. */
  unstable(): Entry<C>[] {
    if (this.unstableFrom > this.lastIndex()) return [];
    return this.slice(this.unstableFrom, this.lastIndex() + 1);
  }
}
