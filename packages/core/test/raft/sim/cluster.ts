/**
 * A deterministic Raft cluster simulator (test code). N servers run the pure step machine over
 * a simulated network that drops, delays, duplicates and reorders messages and partitions
 * servers; servers crash (losing volatile state and any Ready not yet persisted) and restart
 * from what they persisted. Clients put and get keys through any server. Every event is
 * checked against Raft's safety properties (see {@link Violation}); `settle` checks liveness.
 * All randomness comes from one seed, so a schedule replays exactly.
 */
import { createRng, type Rng } from '../../../src/util/rng.js';
import type { ConfChange, Entry, HardState, Message, Snapshot } from '../../../src/raft/messages.js';
import { bootstrapState, RaftNode, type RaftConfig } from '../../../src/raft/raft.js';
import { KvStore, type KvCommand, type KvSnapshot } from './kv.js';
import { checkLinearizable, type Op } from './linearizability.js';

/** A broken safety or liveness property. */
export class Violation extends Error {
  constructor(
    readonly property: string,
    detail: string,
  ) {
    super(`${property}: ${detail}`);
  }
}

/** Network and fault parameters of one simulated run. */
export interface SimOptions {
  readonly nodes: number;
  readonly seed: number;
  /** Probability a sent message is lost. */
  readonly dropRate?: number;
  /** Probability a sent message is delivered twice. */
  readonly dupRate?: number;
  /** Extra delivery delay, in ticks, drawn from [0, maxDelay] (reordering). */
  readonly maxDelay?: number;
  /** Probability a server misses a tick (clocks that run at different speeds). */
  readonly skewRate?: number;
  /** Probability a server leaves its Ready unprocessed until the next tick (a crash loses it). */
  readonly lazyRate?: number;
  /** Step-machine settings (e.g. the test-only unsafe commit rule). */
  readonly raft?: Partial<Omit<RaftConfig, 'id' | 'rng'>>;
}

type Cmd = KvCommand;
type Snap = KvSnapshot;

interface Durable {
  hard: HardState | undefined;
  snapshot: Snapshot<Snap> | undefined;
  entries: Entry<Cmd>[];
}

interface SimNode {
  readonly id: string;
  raft: RaftNode<Cmd, Snap> | undefined;
  durable: Durable;
  kv: KvStore;
  applied: number;
  lives: number;
  readWaits: { index: number; context: string }[];
  /** Term in which this life last saw itself leader (to detect new leaderships). */
  leaderTerm: number;
  lastTerm: number;
  lastCommit: number;
  /** In [0, 1): how much slower than real time this server's clock runs (times skewRate). */
  readonly slowness: number;
}

interface InFlight {
  m: Message<Cmd, Snap>;
  at: number;
}

/** The simulated cluster. Mutable. */
export class SimCluster {
  time = 0;
  readonly nodes = new Map<string, SimNode>();
  private readonly rng: Rng;
  private net: InFlight[] = [];
  private group = new Map<string, number>();
  private dropRate: number;
  private dupRate: number;
  private maxDelay: number;
  private lazyRate: number;
  private skewRate: number;
  private readonly opts: SimOptions;
  // --- what the checkers remember ---
  private readonly leaderOfTerm = new Map<number, string>();
  /** index -> the entry applied there by the first server that applied it. */
  private readonly appliedAt = new Map<number, { term: number; op: number; type: string }>();
  /** `${index}:${term}` -> identity and previous term of that entry, across all logs. */
  private readonly entryIds = new Map<string, string>();
  private readonly votes = new Map<string, Map<number, string>>();
  private readonly durableTerm = new Map<string, number>();
  // --- clients ---
  private opSeq = 0;
  private clock = 0;
  readonly history: Op[] = [];
  private readonly openOps = new Map<number, { node: string; op: Op; index: number }>();
  private readonly openReads = new Map<string, { node: string; op: Op; index: number }>();
  readonly acked = new Set<number>();
  private nextNodeNumber: number;

  constructor(opts: SimOptions) {
    this.opts = opts;
    this.rng = createRng(`sim:${opts.seed}`);
    this.dropRate = opts.dropRate ?? 0;
    this.dupRate = opts.dupRate ?? 0;
    this.maxDelay = opts.maxDelay ?? 0;
    this.lazyRate = opts.lazyRate ?? 0;
    this.skewRate = opts.skewRate ?? 0;
    const ids = Array.from({ length: opts.nodes }, (_, i) => `n${i + 1}`);
    this.nextNodeNumber = opts.nodes + 1;
    const boot = bootstrapState<Cmd, Snap>(ids);
    for (const id of ids) {
      this.addSimNode(id, { hard: boot.hardState, snapshot: undefined, entries: [...(boot.entries ?? [])] });
    }
  }

  // ---- actions ----

  /** Advances time by one tick: every server ticks, then due messages arrive in random order. */
  tick(): void {
    this.time++;
    for (const n of this.nodes.values()) {
      if (!n.raft) continue;
      // Slow clocks: a server that misses ticks holds on to a lost leadership for longer.
      if (this.skewRate > 0 && this.rng.nextFloat() < this.skewRate * n.slowness) continue;
      n.raft.tick();
      this.after(n);
    }
    const due: InFlight[] = [];
    const later: InFlight[] = [];
    for (const f of this.net) (f.at <= this.time ? due : later).push(f);
    this.net = later;
    this.rng.shuffle(due);
    for (const f of due) this.deliver(f.m);
    for (const n of this.nodes.values())
      if (n.raft && this.rng.nextFloat() >= this.lazyRate) this.processReady(n);
  }

  /** A client writes `key` through server `id`. */
  put(id: string, key: string): number | undefined {
    const n = this.nodes.get(id);
    if (!n?.raft) return undefined;
    const opId = ++this.opSeq;
    const op: Op = { id: opId, key, kind: 'put', value: `v${opId}`, call: ++this.clock, ret: Infinity };
    const dropped = n.raft.propose({ op: opId, key, value: op.value! });
    if (dropped) return undefined; // refused outright: it never happened
    this.history.push(op);
    this.openOps.set(opId, { node: id, op, index: this.history.length - 1 });
    this.after(n);
    return opId;
  }

  /** A client reads `key` through server `id` (ReadIndex). */
  get(id: string, key: string): void {
    const n = this.nodes.get(id);
    if (!n?.raft) return;
    const opId = ++this.opSeq;
    const context = `r${opId}`;
    const op: Op = { id: opId, key, kind: 'get', value: undefined, call: ++this.clock, ret: Infinity };
    if (n.raft.readIndex(context)) return;
    this.history.push(op);
    this.openReads.set(context, { node: id, op, index: this.history.length - 1 });
    this.after(n);
  }

  /** Crashes `id`: volatile state and any unpersisted Ready are lost. */
  crash(id: string): void {
    const n = this.nodes.get(id);
    if (!n?.raft) return;
    n.raft = undefined;
    n.readWaits = [];
    for (const [k, o] of this.openOps) if (o.node === id) this.openOps.delete(k);
    for (const [k, o] of this.openReads) if (o.node === id) this.openReads.delete(k);
  }

  /** Restarts `id` from its persisted state (crashing it first if it is up). */
  restart(id: string): void {
    const n = this.nodes.get(id);
    if (!n) return;
    this.crash(id);
    this.boot(n);
  }

  /** Splits the servers into two sides; messages between sides are lost. */
  partition(side: (id: string) => boolean): void {
    for (const id of this.nodes.keys()) this.group.set(id, side(id) ? 1 : 0);
  }

  heal(): void {
    this.group.clear();
  }

  /** Snapshots `id`'s state machine at its applied index and compacts its log, keeping `trailing` entries. */
  compact(id: string, trailing = 0): void {
    const n = this.nodes.get(id);
    const r = n?.raft;
    if (!n || !r || r.log.applied <= (r.log.latestSnapshot?.meta.index ?? 0) || n.applied !== r.log.applied)
      return;
    const snap = r.compact(n.kv.snapshot(), trailing);
    n.durable.snapshot = snap;
    n.durable.entries = n.durable.entries.filter((e) => e.index > r.log.snapIndex);
  }

  /** Adds a new empty server and asks the leader to add it as a learner promoted when caught up. */
  addServer(): string | undefined {
    const l = this.leader();
    if (!l || this.nodes.size >= 7) return undefined;
    const id = `n${this.nextNodeNumber++}`;
    this.addSimNode(id, { hard: undefined, snapshot: undefined, entries: [] });
    this.changeConf(l, { type: 'addLearner', id, promote: true });
    return id;
  }

  /** Asks the leader to remove `id` (keeps at least two voters). */
  removeServer(id: string): void {
    const l = this.leader();
    if (!l || l.raft!.conf.voters.length <= 2 || !l.raft!.conf.voters.includes(id)) return;
    this.changeConf(l, { type: 'removeNode', id });
  }

  /** Makes server `id` start an election now. */
  campaign(id: string): void {
    const n = this.nodes.get(id);
    if (!n?.raft) return;
    n.raft.campaign();
    this.after(n);
  }

  /** Asks server `from` to move leadership to `to`. */
  transfer(from: string, to: string): void {
    const n = this.nodes.get(from);
    if (!n?.raft) return;
    n.raft.transferLeadership(to);
    this.after(n);
  }

  /** Sets network faults (the liveness phase turns them off). */
  setFaults(f: {
    dropRate?: number;
    dupRate?: number;
    maxDelay?: number;
    lazyRate?: number;
    skewRate?: number;
  }): void {
    this.skewRate = f.skewRate ?? this.skewRate;
    this.dropRate = f.dropRate ?? this.dropRate;
    this.dupRate = f.dupRate ?? this.dupRate;
    this.maxDelay = f.maxDelay ?? this.maxDelay;
    this.lazyRate = f.lazyRate ?? this.lazyRate;
  }

  /** The unique live server that believes it leads with the highest term, if any. */
  leader(): SimNode | undefined {
    let best: SimNode | undefined;
    for (const n of this.nodes.values()) {
      if (n.raft?.role === 'leader' && (!best || n.raft.term > best.raft!.term)) best = n;
    }
    return best;
  }

  /** Server ids, in creation order. */
  ids(): string[] {
    return [...this.nodes.keys()];
  }

  // ---- liveness ----

  /**
   * Heals everything (network, crashed servers) and runs until one leader is known to every
   * member, a fresh write commits, and every acknowledged write is applied on every member.
   * Throws a liveness {@link Violation} after `maxTicks`. Then checks linearizability.
   */
  settle(maxTicks = 400): void {
    this.heal();
    this.setFaults({ dropRate: 0, dupRate: 0, maxDelay: 0, lazyRate: 0, skewRate: 0 });
    for (const n of this.nodes.values()) if (!n.raft) this.restart(n.id);
    let finalOp = 0;
    let finalAt = 0;
    for (let t = 0; t < maxTicks; t++) {
      this.tick();
      const l = this.leader();
      if (!l) continue;
      const leaders = [...this.nodes.values()].filter((n) => n.raft?.role === 'leader');
      const conf = l.raft!.conf;
      const members = [...conf.voters, ...conf.learners].map((id) => this.nodes.get(id)!);
      if (leaders.length !== 1 || members.some((m) => m.raft?.lead !== l.id)) continue;
      if (finalOp === 0 || (!this.acked.has(finalOp) && t - finalAt > 60)) {
        // (Re)try the final write, as a client would after a timeout: an accepted proposal
        // can still be lost when its leader loses office before it commits.
        finalOp = this.put(l.id, 'final') ?? 0;
        finalAt = t;
        continue;
      }
      if (!this.acked.has(finalOp)) continue;
      if (members.every((m) => [...this.acked].every((op) => m.kv.ops.has(op)))) {
        this.checkHistory();
        return;
      }
    }
    const l = this.leader();
    const state = [...this.nodes.values()]
      .map(
        (n) =>
          `${n.id}:${n.raft ? `${n.raft.role}/t${n.raft.term}/lead=${n.raft.lead}/c${n.raft.log.committed}/a${n.applied}/v[${n.raft.conf.voters}]` : 'down'}`,
      )
      .join(' ');
    throw new Violation(
      'liveness',
      `no stable progress after healing for ${maxTicks} ticks (leader ${l?.id ?? 'none'}): ${state}`,
    );
  }

  /** Checks the client history for linearizability. */
  checkHistory(): void {
    const r = checkLinearizable(this.history);
    if (!r.ok) {
      const ops = r.ops.map((o) => `${o.kind}(${o.value ?? '-'})@${o.call}..${o.ret}`).join(' ');
      throw new Violation('linearizability', `key ${r.key}: ${ops}`);
    }
  }

  // ---- internals ----

  private addSimNode(id: string, durable: Durable): void {
    const n: SimNode = {
      id,
      raft: undefined,
      durable,
      kv: new KvStore(),
      applied: 0,
      lives: 0,
      readWaits: [],
      leaderTerm: 0,
      lastTerm: 0,
      lastCommit: 0,
      slowness: this.rng.nextFloat(),
    };
    this.nodes.set(id, n);
    this.boot(n);
  }

  private boot(n: SimNode): void {
    n.lives++;
    const d = n.durable;
    n.raft = new RaftNode<Cmd, Snap>(
      {
        electionTick: 10,
        heartbeatTick: 1,
        ...this.opts.raft,
        id: n.id,
        rng: createRng(`${this.opts.seed}:${n.id}:${n.lives}`),
      },
      { hardState: d.hard, snapshot: d.snapshot, entries: d.entries },
    );
    n.kv = d.snapshot ? KvStore.restore(d.snapshot.data) : new KvStore();
    n.applied = d.snapshot?.meta.index ?? 0;
    n.leaderTerm = 0;
    n.lastTerm = n.raft.term;
    n.lastCommit = n.raft.log.committed;
  }

  private changeConf(l: SimNode, cc: ConfChange): void {
    l.raft!.proposeConfChange(cc);
    this.after(l);
  }

  private deliver(m: Message<Cmd, Snap>): void {
    const n = this.nodes.get(m.to);
    if (!n?.raft) return;
    if ((this.group.get(m.from) ?? 0) !== (this.group.get(m.to) ?? 0)) return;
    n.raft.step(m);
    this.after(n);
  }

  private send(m: Message<Cmd, Snap>): void {
    if (this.rng.nextFloat() < this.dropRate) return;
    const copies = this.rng.nextFloat() < this.dupRate ? 2 : 1;
    for (let i = 0; i < copies; i++)
      this.net.push({ m, at: this.time + 1 + this.rng.nextInt(this.maxDelay + 1) });
  }

  /** Checks the per-event invariants of a server that just changed. */
  private after(n: SimNode): void {
    const r = n.raft!;
    if (r.term < n.lastTerm)
      throw new Violation('monotonic term', `${n.id} went from ${n.lastTerm} to ${r.term}`);
    if (r.log.committed < n.lastCommit)
      throw new Violation('monotonic commit', `${n.id} went from ${n.lastCommit} to ${r.log.committed}`);
    n.lastTerm = r.term;
    n.lastCommit = r.log.committed;
    if (r.role === 'leader' && n.leaderTerm !== r.term) {
      n.leaderTerm = r.term;
      const other = this.leaderOfTerm.get(r.term);
      if (other !== undefined && other !== n.id)
        throw new Violation('election safety', `${other} and ${n.id} both led term ${r.term}`);
      this.leaderOfTerm.set(r.term, n.id);
      // Leader completeness: every entry applied anywhere so far is in the new leader's log.
      for (const [i, a] of this.appliedAt) {
        if (i <= r.log.snapIndex) continue;
        const t = r.log.term(i);
        if (t !== a.term)
          throw new Violation(
            'leader completeness',
            `${n.id} leads term ${r.term} without applied entry ${i} (term ${a.term}; has ${t ?? 'none'})`,
          );
      }
    }
  }

  /** The Ready loop of one server: persist, send, apply, advance — with the checks in between. */
  private processReady(n: SimNode): void {
    const r = n.raft!;
    while (r.hasReady()) {
      const rd = r.ready();
      const d = n.durable;
      if (rd.snapshot) {
        d.snapshot = rd.snapshot;
        d.entries = [];
      }
      if (rd.entries.length > 0) {
        const first = rd.entries[0]!.index;
        d.entries = d.entries.filter((e) => e.index < first);
        for (const e of rd.entries) {
          d.entries.push(e);
          this.checkLogMatching(n, e, r.log.term(e.index - 1));
        }
      }
      if (rd.hardState) this.persistHard(n, rd.hardState);
      for (const m of rd.messages) this.send(m);
      if (rd.snapshot) {
        n.kv = KvStore.restore(rd.snapshot.data);
        n.applied = rd.snapshot.meta.index;
      }
      for (const e of rd.committedEntries) this.apply(n, e);
      for (const s of rd.readStates) n.readWaits.push(s);
      r.advance();
      this.answerReads(n);
    }
    this.after(n);
  }

  private persistHard(n: SimNode, hs: HardState): void {
    const prevTerm = this.durableTerm.get(n.id) ?? 0;
    if (hs.term < prevTerm)
      throw new Violation('monotonic term', `${n.id} persisted term ${hs.term} after ${prevTerm}`);
    if (n.durable.hard && hs.commit < n.durable.hard.commit)
      throw new Violation(
        'monotonic commit',
        `${n.id} persisted commit ${hs.commit} after ${n.durable.hard.commit}`,
      );
    this.durableTerm.set(n.id, hs.term);
    if (hs.vote !== '') {
      let byTerm = this.votes.get(n.id);
      if (!byTerm) this.votes.set(n.id, (byTerm = new Map()));
      const prev = byTerm.get(hs.term);
      if (prev !== undefined && prev !== hs.vote)
        throw new Violation(
          'one vote per term',
          `${n.id} voted for ${prev} and ${hs.vote} in term ${hs.term}`,
        );
      byTerm.set(hs.term, hs.vote);
    }
    n.durable.hard = hs;
  }

  /**
   * Log matching, checked incrementally: an (index, term) pair names one entry everywhere, and
   * the entry before it has the same term everywhere (so, by induction, equal prefixes).
   */
  private checkLogMatching(n: SimNode, e: Entry<Cmd>, prevTerm: number | undefined): void {
    const what =
      e.data === undefined ? '-' : e.type === 'conf' ? JSON.stringify(e.data) : String((e.data as Cmd).op);
    const ident = `${e.type}:${what} after term ${prevTerm ?? '?'}`;
    const key = `${e.index}@${e.term}`;
    const seen = this.entryIds.get(key);
    if (seen === undefined) this.entryIds.set(key, ident);
    else if (seen !== ident)
      throw new Violation('log matching', `${n.id} has entry ${key} as ${ident}; elsewhere ${seen}`);
  }

  private apply(n: SimNode, e: Entry<Cmd>): void {
    if (e.index !== n.applied + 1)
      throw new Violation('state machine safety', `${n.id} applied ${e.index} after ${n.applied}`);
    const op = e.type === 'normal' && e.data !== undefined ? (e.data as Cmd).op : 0;
    const a = this.appliedAt.get(e.index);
    if (!a) this.appliedAt.set(e.index, { term: e.term, op, type: e.type });
    else if (a.term !== e.term || a.op !== op || a.type !== e.type)
      throw new Violation(
        'state machine safety',
        `${n.id} applied ${e.index}@${e.term} (op ${op}); another server applied ${e.index}@${a.term} (op ${a.op})`,
      );
    n.applied = e.index;
    if (op === 0) return;
    n.kv.apply(e.data as Cmd);
    const open = this.openOps.get(op);
    if (open && open.node === n.id) {
      this.openOps.delete(op);
      this.respond(open.index, open.op.value);
      this.acked.add(op);
    }
  }

  private answerReads(n: SimNode): void {
    if (n.readWaits.length === 0) return;
    const keep: { index: number; context: string }[] = [];
    for (const w of n.readWaits) {
      if (w.index > n.applied) {
        keep.push(w);
        continue;
      }
      const open = this.openReads.get(w.context);
      if (!open || open.node !== n.id) continue;
      this.openReads.delete(w.context);
      this.respond(open.index, n.kv.kv.get(open.op.key));
    }
    n.readWaits = keep;
  }

  private respond(historyIndex: number, value: string | undefined): void {
    const op = this.history[historyIndex]!;
    this.history[historyIndex] = { ...op, value, ret: ++this.clock };
  }
}
