/**
 * The pluggable consensus layer (Nomad's Raft, as an interface). The control plane proposes
 * commands; once a command is committed, every member applies it to its state machine in log
 * order. The single-node log ({@link createSingleNodeConsensus}) is the embedded default; a
 * replicated Raft or an external engine (etcd) implements the same interface.
 */

/** One committed log entry. */
export interface LogEntry<C> {
  readonly index: number;
  readonly command: C;
}

/** The state machine a Consensus drives (the control plane's FSM). */
export interface StateMachine<C, S> {
  /** Applies a committed entry; must be deterministic. Returns the per-command result. */
  apply(entry: LogEntry<C>): unknown;
  /** A serialisable snapshot of the whole state. */
  snapshot(): S;
  /** Replaces the whole state with a snapshot taken at `index`. */
  restore(snapshot: S, index: number): void;
}

/** Outcome of a proposal once committed and applied. */
export interface Committed {
  readonly index: number;
  /** What the state machine's `apply` returned. */
  readonly result: unknown;
}

/** The leadership view a member has. */
export interface Leadership {
  readonly isLeader: boolean;
  readonly leaderId: string | undefined;
}

/** Pluggable consensus: propose, learn the committed index, follow leadership, snapshot. */
export interface Consensus<C, S> {
  /** This member's id. */
  readonly id: string;
  /** Attaches the state machine; committed entries are applied to it in order. */
  attach(fsm: StateMachine<C, S>): void;
  /** Proposes a command; resolves once committed and applied, rejects when not the leader. */
  propose(command: C): Promise<Committed>;
  /** Resolves once every entry proposed before the call has been applied here. */
  barrier(): Promise<number>;
  /** The last applied index. */
  appliedIndex(): number;
  /** Current leadership. */
  leadership(): Leadership;
  /** Calls `listener` on every leadership change; returns an unsubscribe function. */
  onLeadershipChange(listener: (l: Leadership) => void): () => void;
  /** Calls `listener` after each committed entry is applied; returns an unsubscribe function. */
  onCommit(listener: (entry: LogEntry<C>) => void): () => void;
  /** Takes a snapshot of the state machine at the applied index (log compaction, backups). */
  snapshot(): { index: number; data: S };
  /** Restores the state machine from a snapshot (operator snapshot restore). */
  restore(snap: { index: number; data: S }): void;
}

/** Options for {@link createSingleNodeConsensus}. */
export interface SingleNodeOptions {
  readonly id?: string;
  /** Starting index (e.g. after restoring from persisted storage). Default 0. */
  readonly startIndex?: number;
  /** Retain at most this many recent entries in memory for `entriesSince` (default 0: none). */
  readonly retainEntries?: number;
}

/** The single-node consensus, with access to the retained log tail. */
export interface SingleNodeConsensus<C, S> extends Consensus<C, S> {
  /** Retained entries with index > `index` (only as many as `retainEntries` allows). */
  entriesSince(index: number): LogEntry<C>[];
  /** Steps down or up (tests of leadership handling). */
  setLeader(isLeader: boolean): void;
}

/**
 * A single-member log: a proposal commits immediately and is applied synchronously, so the
 * returned promise is already settled when `propose` returns. Deterministic.
 * @example
 * const consensus = createSingleNodeConsensus<Command, StateSnapshotData>();
 * consensus.attach(fsm);
 * const { index } = await consensus.propose({ type: 'NodeRegister', node });
 */
export function createSingleNodeConsensus<C, S>(opts: SingleNodeOptions = {}): SingleNodeConsensus<C, S> {
  const id = opts.id ?? 'server-1';
  const retain = opts.retainEntries ?? 0;
  let fsm: StateMachine<C, S> | undefined;
  let index = opts.startIndex ?? 0;
  let leader = true;
  const log: LogEntry<C>[] = [];
  const commitListeners = new Set<(e: LogEntry<C>) => void>();
  const leaderListeners = new Set<(l: Leadership) => void>();
  const leadership = (): Leadership => ({ isLeader: leader, leaderId: leader ? id : undefined });

  const requireFsm = (): StateMachine<C, S> => {
    if (!fsm) throw new Error('consensus: no state machine attached');
    return fsm;
  };

  return {
    id,
    attach(m) {
      fsm = m;
    },
    propose(command) {
      if (!leader) return Promise.reject(new Error('consensus: not the leader'));
      const entry: LogEntry<C> = { index: index + 1, command };
      const result = requireFsm().apply(entry);
      index = entry.index;
      if (retain > 0) {
        log.push(entry);
        if (log.length > retain) log.splice(0, log.length - retain);
      }
      for (const l of commitListeners) l(entry);
      return Promise.resolve({ index: entry.index, result });
    },
    barrier() {
      return Promise.resolve(index);
    },
    appliedIndex: () => index,
    leadership,
    onLeadershipChange(listener) {
      leaderListeners.add(listener);
      return () => leaderListeners.delete(listener);
    },
    onCommit(listener) {
      commitListeners.add(listener);
      return () => commitListeners.delete(listener);
    },
    snapshot() {
      return { index, data: requireFsm().snapshot() };
    },
    restore(snap) {
      requireFsm().restore(snap.data, snap.index);
      index = snap.index;
      log.length = 0;
    },
    entriesSince(after) {
      return log.filter((e) => e.index > after);
    },
    setLeader(isLeader) {
      if (isLeader === leader) return;
      leader = isLeader;
      const l = leadership();
      for (const f of leaderListeners) f(l);
    },
  };
}
