/**
 * The replicated {@link Consensus}: a {@link RaftNode} driven by an injected scheduler, with a
 * pluggable transport and durable stores. It runs the Ready loop — persist, send, apply,
 * advance — and maps Raft's events onto the Consensus interface: a proposal resolves when its
 * own entry is applied here; a barrier is a ReadIndex round.
 */
import { createRng, type Rng } from '../util/rng.js';
import type { Committed, Consensus, Leadership, LogEntry, StateMachine } from './consensus.js';
import type { ConfChange, ConfState, Entry, Message, Role } from './messages.js';
import { bootstrapState, RaftNode, type DropReason } from './raft.js';
import type { Scheduler } from './scheduler.js';
import type { LogStore, SnapshotStore } from './storage.js';
import type { Transport } from './transport.js';

/** A command as it travels in the log: tagged with its proposer's id so it can answer it. */
export interface Proposal<C> {
  /** `<server id>/<sequence>`: unique per proposal. */
  readonly pid: string;
  readonly command: C;
}

/** Options for {@link createRaftConsensus}. */
export interface RaftConsensusOptions<C, S> {
  readonly id: string;
  readonly transport: Transport<Proposal<C>, S>;
  readonly logStore: LogStore<Proposal<C>>;
  readonly snapshotStore: SnapshotStore<S>;
  readonly scheduler: Scheduler;
  /** Founding members of a new cluster; used only when the stores are empty. Omit to join. */
  readonly peers?: readonly string[];
  /** Milliseconds per Raft tick (default 50). */
  readonly tickMs?: number;
  /** Election timeout in ticks (default 10) and heartbeat interval in ticks (default 1). */
  readonly electionTick?: number;
  readonly heartbeatTick?: number;
  /** Election jitter source (default: seeded from the id). */
  readonly rng?: Rng;
  /** Followers forward proposals to the leader (default true). */
  readonly forwardProposals?: boolean;
  /** Entries per append message and appends in flight per follower. */
  readonly maxEntriesPerMsg?: number;
  readonly maxInflight?: number;
  /** Snapshot and compact the log once this many entries were applied since the last (default 8192; 0 = never). */
  readonly snapshotThreshold?: number;
  /** Entries kept in the log behind a snapshot, so slightly lagging followers need no snapshot (default 1024). */
  readonly trailingEntries?: number;
  /** A proposal or barrier not answered within this many ticks is rejected (default 100). */
  readonly requestTimeoutTicks?: number;
}

/** Raft status for operators (`operator raft list-peers`). */
export interface RaftStatus {
  readonly id: string;
  readonly role: Role;
  readonly term: number;
  readonly leaderId: string | undefined;
  readonly commitIndex: number;
  readonly appliedIndex: number;
  readonly lastIndex: number;
  readonly conf: ConfState;
}

/** A Consensus backed by Raft, plus membership and leadership operations. */
export interface RaftConsensus<C, S> extends Consensus<C, S> {
  /** Adds a server: as a learner that the leader promotes to voter once caught up (default), or a permanent learner. */
  addServer(id: string, opts?: { voter?: boolean }): Promise<Committed>;
  /** Removes a server from the membership. */
  removeServer(id: string): Promise<Committed>;
  /** Asks the leader to hand leadership to `id`. */
  transferLeadership(id: string): void;
  /** Starts an election now (tests, operators). */
  campaign(): void;
  status(): RaftStatus;
  /** Stops ticking and receiving; pending requests are rejected. */
  stop(): void;
  /** The underlying step machine (read-only use: tests, metrics). */
  readonly node: RaftNode<Proposal<C>, S>;
}

interface Waiter {
  resolve: (c: Committed) => void;
  reject: (e: Error) => void;
  deadline: number;
}

/**
 * Creates a Raft-backed Consensus. Nothing runs until a state machine is attached.
 * @example
 * const c = createRaftConsensus({ id: 's1', peers: ['s1', 's2', 's3'], transport, logStore,
 *   snapshotStore, scheduler });
 * c.attach(fsm);
 * await c.propose(command); // once elected leader
 */
export function createRaftConsensus<C, S>(opts: RaftConsensusOptions<C, S>): RaftConsensus<C, S> {
  const { id, transport, logStore, snapshotStore, scheduler } = opts;
  const snapshotThreshold = opts.snapshotThreshold ?? 8192;
  const timeoutTicks = opts.requestTimeoutTicks ?? 100;
  const trailing = opts.trailingEntries ?? 1024;
  const loaded = logStore.load();
  let snapshot = snapshotStore.load();
  let stored = { hardState: loaded.hardState, entries: loaded.entries, snapshot };
  if (!loaded.hardState && loaded.entries.length === 0 && !snapshot && opts.peers && opts.peers.length > 0) {
    const boot = bootstrapState<Proposal<C>, S>(opts.peers);
    logStore.save(boot.hardState, boot.entries ?? []);
    stored = { hardState: boot.hardState, entries: [...(boot.entries ?? [])], snapshot: undefined };
  }
  const node = new RaftNode<Proposal<C>, S>(
    {
      id,
      rng: opts.rng ?? createRng(`raft:${id}`),
      electionTick: opts.electionTick ?? 10,
      heartbeatTick: opts.heartbeatTick ?? 1,
      forwardProposals: opts.forwardProposals ?? true,
      maxEntriesPerMsg: opts.maxEntriesPerMsg,
      maxInflight: opts.maxInflight,
    },
    stored,
  );

  let fsm: StateMachine<C, S> | undefined;
  let applied = snapshot?.meta.index ?? 0;
  let ticks = 0;
  let seq = 0;
  let stopped = false;
  let pumpScheduled = false;
  const proposals = new Map<string, Waiter>();
  /** Membership changes by log index: answered when that index is applied. */
  const confWaiters = new Map<number, Waiter>();
  /** ReadIndex contexts waiting for their read state, then for the apply index to reach it. */
  const reads = new Map<
    string,
    { resolve: (i: number) => void; reject: (e: Error) => void; deadline: number }
  >();
  const readyReads: { index: number; resolve: (i: number) => void }[] = [];
  const commitListeners = new Set<(e: LogEntry<C>) => void>();
  const leaderListeners = new Set<(l: Leadership) => void>();
  let lastLeadership: Leadership = { isLeader: false, leaderId: undefined };

  const leadership = (): Leadership => ({
    isLeader: node.role === 'leader',
    leaderId: node.lead === '' ? undefined : node.lead,
  });

  const schedulePump = (): void => {
    if (pumpScheduled || stopped) return;
    pumpScheduled = true;
    scheduler.defer(pump);
  };

  const applyEntry = (e: Entry<Proposal<C>>, m: StateMachine<C, S>): void => {
    applied = e.index;
    const cw = confWaiters.get(e.index);
    if (cw) {
      confWaiters.delete(e.index);
      if (e.type === 'conf') cw.resolve({ index: e.index, result: undefined });
      else cw.reject(new Error('consensus: membership change lost to a leader change'));
    }
    if (e.type !== 'normal' || e.data === undefined) return;
    const p = e.data as Proposal<C>;
    const entry: LogEntry<C> = { index: e.index, command: p.command };
    const result = m.apply(entry);
    const w = proposals.get(p.pid);
    if (w) {
      proposals.delete(p.pid);
      w.resolve({ index: e.index, result });
    }
    for (const l of commitListeners) l(entry);
  };

  function pump(): void {
    pumpScheduled = false;
    const m = fsm;
    if (!m || stopped) return;
    while (node.hasReady()) {
      const rd = node.ready();
      // 1. Persist.
      if (rd.snapshot) {
        snapshotStore.save(rd.snapshot);
        logStore.reset();
        snapshot = rd.snapshot;
      }
      if (rd.hardState || rd.entries.length > 0) logStore.save(rd.hardState, rd.entries);
      // 2. Send.
      for (const msg of rd.messages) transport.send(msg);
      // 3. Apply.
      if (rd.snapshot) {
        m.restore(rd.snapshot.data, rd.snapshot.meta.index);
        applied = rd.snapshot.meta.index;
      }
      for (const e of rd.committedEntries) applyEntry(e, m);
      for (const r of rd.readStates) {
        const w = reads.get(r.context);
        if (!w) continue;
        reads.delete(r.context);
        readyReads.push({ index: r.index, resolve: w.resolve });
      }
      node.advance();
      if (rd.softState) {
        const l = leadership();
        if (l.isLeader !== lastLeadership.isLeader || l.leaderId !== lastLeadership.leaderId) {
          lastLeadership = l;
          for (const f of leaderListeners) f(l);
        }
      }
    }
    for (let i = readyReads.length - 1; i >= 0; i--) {
      const r = readyReads[i]!;
      if (r.index <= applied) {
        readyReads.splice(i, 1);
        r.resolve(applied);
      }
    }
    maybeCompact(m);
  }

  const maybeCompact = (m: StateMachine<C, S>): void => {
    const base = snapshot?.meta.index ?? 0;
    if (snapshotThreshold <= 0 || applied - base < snapshotThreshold || node.log.applied !== applied) return;
    const snap = node.compact(m.snapshot(), trailing);
    snapshotStore.save(snap);
    logStore.compact(node.log.snapIndex);
    snapshot = snap;
  };

  const onTick = (): void => {
    ticks++;
    node.tick();
    const now = ticks;
    for (const [pid, w] of proposals) {
      if (w.deadline <= now) {
        proposals.delete(pid);
        w.reject(new Error('consensus: proposal timed out; it may still commit'));
      }
    }
    for (const [index, w] of confWaiters) {
      if (w.deadline <= now) {
        confWaiters.delete(index);
        w.reject(new Error('consensus: membership change timed out; it may still commit'));
      }
    }
    for (const [ctx, w] of reads) {
      if (w.deadline <= now) {
        reads.delete(ctx);
        w.reject(new Error('consensus: barrier timed out'));
      }
    }
    schedulePump();
  };

  const cancelTick = scheduler.every(opts.tickMs ?? 50, onTick);
  const unlisten = transport.listen((msg: Message<Proposal<C>, S>) => {
    if (stopped) return;
    node.step(msg);
    schedulePump();
  });

  const dropError = (why: DropReason): Error =>
    new Error(
      why === 'not leader' || why === 'no leader' ? 'consensus: not the leader' : `consensus: ${why}`,
    );

  const submit = (pid: string, start: () => DropReason | undefined): Promise<Committed> => {
    if (!fsm) return Promise.reject(new Error('consensus: no state machine attached'));
    if (stopped) return Promise.reject(new Error('consensus: stopped'));
    const why = start();
    if (why) return Promise.reject(dropError(why));
    schedulePump();
    return new Promise<Committed>((resolve, reject) => {
      proposals.set(pid, { resolve, reject, deadline: ticks + timeoutTicks });
    });
  };

  const changeConf = (cc: ConfChange): Promise<Committed> => {
    if (!fsm) return Promise.reject(new Error('consensus: no state machine attached'));
    if (node.role !== 'leader') return Promise.reject(new Error('consensus: not the leader'));
    const index = node.log.lastIndex() + 1;
    const why = node.proposeConfChange(cc);
    if (why) return Promise.reject(dropError(why));
    schedulePump();
    return new Promise<Committed>((resolve, reject) => {
      confWaiters.set(index, { resolve, reject, deadline: ticks + timeoutTicks });
    });
  };

  return {
    id,
    node,
    attach(m) {
      fsm = m;
      if (snapshot && snapshot.meta.index > 0) m.restore(snapshot.data, snapshot.meta.index);
      schedulePump();
    },
    propose(command) {
      const pid = `${id}/${++seq}`;
      return submit(pid, () => node.propose({ pid, command }));
    },
    barrier() {
      if (!fsm) return Promise.reject(new Error('consensus: no state machine attached'));
      const ctx = `${id}/read/${++seq}`;
      const why = node.readIndex(ctx);
      if (why) return Promise.reject(dropError(why));
      schedulePump();
      return new Promise<number>((resolve, reject) => {
        reads.set(ctx, { resolve, reject, deadline: ticks + timeoutTicks });
      });
    },
    appliedIndex: () => applied,
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
      if (!fsm) throw new Error('consensus: no state machine attached');
      return { index: applied, data: fsm.snapshot() };
    },
    restore() {
      // Restoring one member's state would fork it from the others; it must go through the log.
      throw new Error(
        'consensus: restore of a Raft member is not supported; restore through the leader as a proposal',
      );
    },
    addServer(sid, o = {}) {
      return changeConf({ type: 'addLearner', id: sid, promote: o.voter ?? true });
    },
    removeServer(sid) {
      return changeConf({ type: 'removeNode', id: sid });
    },
    transferLeadership(to) {
      node.transferLeadership(to);
      schedulePump();
    },
    campaign() {
      node.campaign();
      schedulePump();
    },
    status: () => ({
      id,
      role: node.role,
      term: node.term,
      leaderId: node.lead === '' ? undefined : node.lead,
      commitIndex: node.log.committed,
      appliedIndex: applied,
      lastIndex: node.log.lastIndex(),
      conf: node.conf,
    }),
    stop() {
      if (stopped) return;
      stopped = true;
      cancelTick();
      unlisten();
      const err = new Error('consensus: stopped');
      for (const w of proposals.values()) w.reject(err);
      for (const w of reads.values()) w.reject(err);
      for (const w of confWaiters.values()) w.reject(err);
      confWaiters.clear();
      proposals.clear();
      reads.clear();
    },
  };
}
