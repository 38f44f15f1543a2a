/**
 * Where a Raft server keeps what must survive a crash: the log with its hard state, and the
 * latest snapshot. Synchronous on purpose: a write is durable when the call returns, and the
 * step machine never waits. The runtime supplies an on-disk implementation (sqlite in the
 * agent's data_dir); the in-memory ones here serve tests, benchmarks and embedding.
 */
import type { Entry, HardState, Snapshot } from './messages.js';

/** The durable log and hard state of one server. */
export interface LogStore<C> {
  /** What was stored: the hard state and the entries after the latest snapshot, in order. */
  load(): { hardState: HardState | undefined; entries: Entry<C>[] };
  /**
   * Durably replaces every stored entry from `entries[0].index` on with `entries`, and the hard
   * state when given. Both together, before the caller sends any message.
   */
  save(hardState: HardState | undefined, entries: readonly Entry<C>[]): void;
  /** Drops entries with index <= `index` (they are covered by a saved snapshot). */
  compact(index: number): void;
  /** Drops every entry (a snapshot from the leader replaced the log). */
  reset(): void;
}

/** The durable latest snapshot of one server. */
export interface SnapshotStore<S> {
  load(): Snapshot<S> | undefined;
  save(snapshot: Snapshot<S>): void;
}

/** An in-memory {@link LogStore}; survives a restart of the consensus object, not of the process. */
export function createMemoryLogStore<C>(): LogStore<C> & { readonly size: number } {
  let hard: HardState | undefined;
  let entries: Entry<C>[] = [];
  return {
    get size() {
      return entries.length;
    },
    load: () => ({ hardState: hard, entries: [...entries] }),
    save(h, es) {
      if (h) hard = h;
      if (es.length === 0) return;
      const first = es[0]!.index;
      const base = entries.length > 0 ? entries[0]!.index : first;
      if (first < base) entries = [];
      else entries.length = Math.min(entries.length, first - base);
      if (entries.length > 0 && entries[entries.length - 1]!.index !== first - 1) {
        throw new Error(`log store: gap before index ${first}`);
      }
      for (const e of es) entries.push(e);
    },
    compact(index) {
      let k = 0;
      while (k < entries.length && entries[k]!.index <= index) k++;
      entries = entries.slice(k);
    },
    reset() {
      entries = [];
    },
  };
}

/** An in-memory {@link SnapshotStore}. */
export function createMemorySnapshotStore<S>(): SnapshotStore<S> {
  let snap: Snapshot<S> | undefined;
  return {
    load: () => snap,
    save(s) {
      snap = s;
    },
  };
}
