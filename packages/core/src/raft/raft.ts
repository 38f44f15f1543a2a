/**
 * Raft as a pure step machine, in the style of etcd-io/raft. The caller feeds it messages
 * (`step`), time (`tick`) and requests (`propose`, `readIndex`, `transferLeadership`), then
 * drains a {@link Ready}: what to persist, what to send, what to apply; then calls `advance`.
 * No timers, I/O or randomness inside: election jitter comes from the injected seeded RNG.
 *
 * Implemented: leader election with pre-vote and check-quorum (leader lease), log replication
 * with batching and pipelining (at most `maxInflight` appends in flight per follower), commit
 * by counting only of current-term entries, snapshots / InstallSnapshot and compaction,
 * single-server membership changes with learners promoted once caught up, leadership transfer
 * (TimeoutNow), ReadIndex reads, and proposal forwarding from followers.
 */
import type { Rng } from '../util/rng.js';
import { applyConfChange, isConfChange } from './confChange.js';
import { RaftLog } from './log.js';
import {
  EMPTY_CONF,
  msg,
  type ConfChange,
  type ConfState,
  type Entry,
  type HardState,
  type Message,
  type ReadState,
  type Ready,
  type Role,
  type Snapshot,
  type SoftState,
} from './messages.js';
import { Progress } from './progress.js';
import { committedIndex, isQuorum, voteResult } from './quorum.js';
import { ReadOnlyQueue } from './readOnly.js';

/** Configuration of one Raft server. */
export interface RaftConfig {
  readonly id: string;
  /** Election timeout in ticks; the actual timeout is drawn from [electionTick, 2·electionTick). */
  readonly electionTick?: number;
  /** Heartbeat interval in ticks (must be below electionTick). */
  readonly heartbeatTick?: number;
  /** Seeded randomness for election jitter. */
  readonly rng: Rng;
  /** Run a pre-vote round before a real election so partitioned servers do not inflate terms. */
  readonly preVote?: boolean;
  /** The leader steps down when it has not heard from a quorum for an election timeout. */
  readonly checkQuorum?: boolean;
  /** Entries per append message (batching). */
  readonly maxEntriesPerMsg?: number;
  /** Unacknowledged appends per follower (pipelining / flow control). */
  readonly maxInflight?: number;
  /** Followers forward proposals to the leader instead of dropping them. */
  readonly forwardProposals?: boolean;
  /**
   * TEST ONLY — breaks Raft on purpose: commit entries of earlier terms by counting replicas
   * (the Figure 8 bug of the Raft paper). The simulator's test proves its checkers catch it.
   */
  readonly unsafeCommitPreviousTerms?: boolean;
  /**
   * TEST ONLY — breaks Raft on purpose: answer ReadIndex at once, without the heartbeat round
   * that proves this server still leads, so a deposed leader serves stale reads.
   */
  readonly unsafeReadIndexWithoutQuorum?: boolean;
}

/** What a restarting server reads back from its storage. */
export interface RaftStoredState<C, S> {
  readonly hardState?: HardState;
  readonly snapshot?: Snapshot<S>;
  readonly entries?: readonly Entry<C>[];
}

/** Why a request was dropped, or undefined when it was accepted. */
export type DropReason = 'no leader' | 'not leader' | 'transferring leadership' | 'membership change pending';

/**
 * The initial storage of a brand-new cluster: one `addVoter` entry per peer, committed at term
 * 1, identical on every founding server, so servers that join later learn the membership by
 * replicating the log. Pure.
 */
export function bootstrapState<C, S>(peers: readonly string[]): RaftStoredState<C, S> {
  const entries: Entry<C>[] = [...peers]
    .sort()
    .map((id, i) => ({ term: 1, index: i + 1, type: 'conf', data: { type: 'addVoter', id } }));
  return { hardState: { term: 1, vote: '', commit: entries.length }, entries };
}

/** One Raft server's state machine. Mutable; single-threaded; no I/O. */
export class RaftNode<C = unknown, S = unknown> {
  readonly id: string;
  term = 0;
  vote = '';
  lead = '';
  role: Role = 'follower';
  conf: ConfState = EMPTY_CONF;
  readonly log: RaftLog<C, S>;
  /** The leader's per-server progress (voters and learners, itself included). */
  readonly prs = new Map<string, Progress>();

  private readonly electionTimeout: number;
  private readonly heartbeatTimeout: number;
  private readonly rng: Rng;
  private readonly preVote: boolean;
  private readonly checkQuorum: boolean;
  private readonly maxEntries: number;
  private readonly maxInflight: number;
  private readonly forward: boolean;
  private readonly unsafeCommit: boolean;
  private readonly unsafeReads: boolean;
  private electionElapsed = 0;
  private heartbeatElapsed = 0;
  private randomizedTimeout = 0;
  private votes = new Map<string, boolean>();
  private leadTransferee = '';
  private pendingConfIndex = 0;
  private readonly reads = new ReadOnlyQueue();
  /** ReadIndex requests that arrived before this leader committed an entry of its term. */
  private pendingReads: { context: string; from: string }[] = [];
  private msgs: Message<C, S>[] = [];
  private readStates: ReadState[] = [];
  private prevHard: HardState;
  private prevSoft: SoftState;
  /** The last committed index handed out by ready() and not yet advanced. */
  private applying = 0;
  private readyOutstanding = false;
  private pendingBcast = false;

  constructor(cfg: RaftConfig, stored: RaftStoredState<C, S> = {}) {
    this.id = cfg.id;
    this.electionTimeout = cfg.electionTick ?? 10;
    this.heartbeatTimeout = cfg.heartbeatTick ?? 1;
    if (this.heartbeatTimeout >= this.electionTimeout)
      throw new Error('raft: heartbeatTick must be below electionTick');
    this.rng = cfg.rng;
    this.preVote = cfg.preVote ?? true;
    this.checkQuorum = cfg.checkQuorum ?? true;
    this.maxEntries = cfg.maxEntriesPerMsg ?? 256;
    this.maxInflight = cfg.maxInflight ?? 64;
    this.forward = cfg.forwardProposals ?? true;
    this.unsafeCommit = cfg.unsafeCommitPreviousTerms ?? false;
    this.unsafeReads = cfg.unsafeReadIndexWithoutQuorum ?? false;
    const hs = stored.hardState ?? { term: 0, vote: '', commit: 0 };
    this.log = new RaftLog<C, S>(stored.snapshot, stored.entries ?? [], hs.commit);
    this.conf = stored.snapshot?.meta.conf ?? EMPTY_CONF;
    this.applying = this.log.applied;
    this.term = hs.term;
    this.vote = hs.vote;
    this.prevHard = { term: hs.term, vote: hs.vote, commit: this.log.committed };
    this.becomeFollower(hs.term, '');
    this.prevSoft = this.softState();
  }

  // ---- requests from the local application ----

  /** Advances logical time by one tick (elections, heartbeats, check-quorum). */
  tick(): void {
    if (this.role === 'leader') this.tickLeader();
    else this.tickElection();
  }

  /** Starts an election now (if this server is a voter). */
  campaign(): void {
    this.hup(false);
  }

  /** Proposes a command: appended when leader, forwarded to the leader when follower. */
  propose(data: C): DropReason | undefined {
    return this.proposeEntry({ term: 0, index: 0, type: 'normal', data });
  }

  /** Proposes a single-server membership change. Only one may be pending at a time. */
  proposeConfChange(cc: ConfChange): DropReason | undefined {
    return this.proposeEntry({ term: 0, index: 0, type: 'conf', data: cc });
  }

  /** Asks for a linearizable read point; a {@link ReadState} with `context` appears in a Ready. */
  readIndex(context: string): DropReason | undefined {
    if (this.role === 'leader') {
      this.handleReadIndex(context, this.id);
      return undefined;
    }
    if (this.lead === '') return 'no leader';
    this.send(msg({ type: 'readIndex', from: this.id, to: this.lead, term: 0, context }));
    return undefined;
  }

  /** Transfers leadership to `to` (a caught-up voter receives TimeoutNow and campaigns). */
  transferLeadership(to: string): DropReason | undefined {
    if (this.role === 'leader') {
      this.handleTransfer(to);
      return undefined;
    }
    if (this.lead === '') return 'no leader';
    this.send(msg({ type: 'transferLeader', from: this.id, to: this.lead, term: 0, context: to }));
    return undefined;
  }

  /**
   * Takes `data` (the state machine at the applied index) as the snapshot sent to followers
   * that fell behind, and drops log entries up to `trailing` entries before it. Returns the
   * snapshot; the caller persists it and drops the same entries from its log store.
   */
  compact(data: S, trailing = 0): Snapshot<S> {
    const index = this.log.applied;
    if (this.readyOutstanding) throw new Error('raft: compact between ready() and advance()');
    const snap: Snapshot<S> = { meta: { index, term: this.log.term(index) ?? 0, conf: this.conf }, data };
    this.log.compact(snap, Math.max(this.log.snapIndex, index - Math.max(0, trailing)));
    return snap;
  }

  // ---- the Ready / advance cycle ----

  /** Whether a {@link Ready} has anything in it. */
  hasReady(): boolean {
    if (this.pendingBcast) return true;
    const soft = this.softState();
    const hard = this.hardState();
    return (
      this.msgs.length > 0 ||
      this.readStates.length > 0 ||
      this.log.pendingSnapshot !== undefined ||
      this.log.unstableFrom <= this.log.lastIndex() ||
      this.log.committed > this.applying ||
      soft.lead !== this.prevSoft.lead ||
      soft.role !== this.prevSoft.role ||
      !sameHard(hard, this.prevHard)
    );
  }

  /** Takes the pending work. Persist, send, apply in that order, then call {@link advance}. */
  ready(): Ready<C, S> {
    if (this.readyOutstanding) throw new Error('raft: ready() called twice without advance()');
    if (this.pendingBcast) {
      this.pendingBcast = false;
      if (this.role === 'leader') this.bcastAppend();
    }
    const soft = this.softState();
    const hard = this.hardState();
    const committedEntries =
      this.log.committed > this.applying ? this.log.slice(this.applying + 1, this.log.committed + 1) : [];
    const rd: Ready<C, S> = {
      softState: soft.lead !== this.prevSoft.lead || soft.role !== this.prevSoft.role ? soft : undefined,
      hardState: sameHard(hard, this.prevHard) ? undefined : hard,
      entries: this.log.unstable(),
      snapshot: this.log.pendingSnapshot,
      messages: this.msgs,
      committedEntries,
      readStates: this.readStates,
    };
    this.prevSoft = soft;
    this.prevHard = hard;
    this.msgs = [];
    this.readStates = [];
    this.log.pendingSnapshot = undefined;
    this.log.unstableFrom = this.log.lastIndex() + 1;
    this.applying = this.log.committed;
    this.readyOutstanding = true;
    return rd;
  }

  /** Confirms the last Ready was persisted and applied; applies its membership changes. */
  advance(): void {
    if (!this.readyOutstanding) throw new Error('raft: advance() without ready()');
    this.readyOutstanding = false;
    const from = this.log.applied + 1;
    const to = this.applying;
    for (let i = from; i <= to; i++) {
      if (i < this.log.firstIndex()) continue;
      const e = this.log.at(i);
      this.log.applied = i;
      if (e.type === 'conf' && isConfChange(e.data)) this.applyConf(e.data);
    }
    this.log.applied = Math.max(this.log.applied, to);
  }

  /** The state that must be durable before messages go out. */
  hardState(): HardState {
    return { term: this.term, vote: this.vote, commit: this.log.committed };
  }

  softState(): SoftState {
    return { lead: this.lead, role: this.role };
  }

  // ---- messages from other servers ----

  /** Handles one message from another server. */
  step(m: Message<C, S>): void {
    if (m.type === 'prop' || m.type === 'readIndex' || m.type === 'transferLeader') {
      this.stepRequest(m);
      return;
    }
    if (m.term > this.term) {
      if (m.type === 'vote' || m.type === 'preVote') {
        const inLease = this.checkQuorum && this.lead !== '' && this.electionElapsed < this.electionTimeout;
        // A server that heard from a live leader recently ignores campaigns (leader lease),
        // unless the campaign is a leadership transfer the leader itself asked for.
        if (inLease && !m.transfer) return;
      }
      if (m.type === 'preVote' || (m.type === 'preVoteResp' && !m.reject)) {
        // A pre-vote does not change terms; a granted pre-vote reply carries the future term.
      } else if (m.type === 'app' || m.type === 'heartbeat' || m.type === 'snap') {
        this.becomeFollower(m.term, m.from);
      } else {
        this.becomeFollower(m.term, '');
      }
    } else if (m.term < this.term) {
      if (m.type === 'app' || m.type === 'heartbeat') {
        // A stale leader (e.g. back from a partition): tell it the new term so it steps down.
        this.send(msg({ type: 'appResp', from: this.id, to: m.from, term: this.term }));
      } else if (m.type === 'preVote') {
        this.send(msg({ type: 'preVoteResp', from: this.id, to: m.from, term: this.term, reject: true }));
      }
      return;
    }

    if (m.type === 'vote' || m.type === 'preVote') {
      this.handleVote(m);
      return;
    }
    if (this.role === 'leader') this.stepLeader(m);
    else if (this.role === 'follower') this.stepFollower(m);
    else this.stepCandidate(m);
  }

  // ---- roles ----

  private becomeFollower(term: number, lead: string): void {
    if (term !== this.term) {
      this.term = term;
      this.vote = '';
    }
    this.lead = lead;
    this.role = 'follower';
    this.resetTimers();
    this.leaveLeadership();
  }

  private becomePreCandidate(): void {
    this.role = 'preCandidate';
    this.lead = '';
    this.votes = new Map();
    this.resetTimers();
    this.leaveLeadership();
  }

  private becomeCandidate(): void {
    this.term += 1;
    this.vote = this.id;
    this.role = 'candidate';
    this.lead = '';
    this.votes = new Map();
    this.resetTimers();
    this.leaveLeadership();
  }

  private becomeLeader(): void {
    this.role = 'leader';
    this.lead = this.id;
    this.resetTimers();
    this.prs.clear();
    const next = this.log.lastIndex() + 1;
    for (const v of this.conf.voters) this.prs.set(v, new Progress(next, this.maxInflight, false));
    for (const l of this.conf.learners) this.prs.set(l, new Progress(next, this.maxInflight, true));
    const self = this.prs.get(this.id);
    if (self) {
      self.match = this.log.lastIndex();
      self.becomeReplicate();
      self.recentActive = true;
    }
    // No membership change until everything before this term is applied (the fix for the
    // single-server change bug Ongaro described).
    this.pendingConfIndex = this.log.lastIndex();
    // The empty entry of the new term: committing it commits everything before it.
    this.appendEntries([{ term: 0, index: 0, type: 'normal', data: undefined }]);
    this.bcastAppend();
  }

  private leaveLeadership(): void {
    this.prs.clear();
    this.leadTransferee = '';
    this.reads.clear();
    this.pendingReads = [];
  }

  private resetTimers(): void {
    this.electionElapsed = 0;
    this.heartbeatElapsed = 0;
    this.randomizedTimeout = this.electionTimeout + this.rng.nextInt(this.electionTimeout);
  }

  private promotable(): boolean {
    return this.conf.voters.includes(this.id);
  }

  // ---- elections ----

  private tickElection(): void {
    this.electionElapsed++;
    if (this.promotable() && this.electionElapsed >= this.randomizedTimeout) {
      this.electionElapsed = 0;
      this.hup(false);
    }
  }

  private hup(transfer: boolean): void {
    if (this.role === 'leader' || !this.promotable()) return;
    // A membership change committed but not yet applied could change who may vote.
    if (this.hasUnappliedConf()) return;
    if (this.preVote && !transfer) this.campaignRound('preVote', false);
    else this.campaignRound('vote', transfer);
  }

  private hasUnappliedConf(): boolean {
    for (let i = Math.max(this.log.applied + 1, this.log.firstIndex()); i <= this.log.committed; i++) {
      if (this.log.at(i).type === 'conf') return true;
    }
    return false;
  }

  private campaignRound(kind: 'preVote' | 'vote', transfer: boolean): void {
    let voteTerm: number;
    if (kind === 'preVote') {
      this.becomePreCandidate();
      voteTerm = this.term + 1;
    } else {
      this.becomeCandidate();
      voteTerm = this.term;
    }
    this.votes.set(this.id, true);
    if (this.tally() !== 'pending') return;
    for (const v of this.conf.voters) {
      if (v === this.id) continue;
      this.send(
        msg({
          type: kind,
          from: this.id,
          to: v,
          term: voteTerm,
          index: this.log.lastIndex(),
          logTerm: this.log.lastTerm(),
          transfer,
        }),
      );
    }
  }

  /** Acts on the votes so far: wins, loses or waits. */
  private tally(): 'won' | 'lost' | 'pending' {
    const r = voteResult(this.conf.voters, this.votes);
    if (r === 'won') {
      if (this.role === 'preCandidate') this.campaignRound('vote', false);
      else this.becomeLeader();
    } else if (r === 'lost') {
      this.becomeFollower(this.term, '');
    }
    return r;
  }

  private handleVote(m: Message<C, S>): void {
    const pre = m.type === 'preVote';
    const canVote =
      this.vote === m.from || (this.vote === '' && this.lead === '') || (pre && m.term > this.term);
    const respType = pre ? 'preVoteResp' : 'voteResp';
    if (canVote && this.log.isUpToDate(m.index, m.logTerm)) {
      this.send(msg({ type: respType, from: this.id, to: m.from, term: m.term }));
      if (!pre) {
        this.electionElapsed = 0;
        this.vote = m.from;
      }
    } else {
      this.send(msg({ type: respType, from: this.id, to: m.from, term: this.term, reject: true }));
    }
  }

  private stepCandidate(m: Message<C, S>): void {
    switch (m.type) {
      case 'app':
        this.becomeFollower(m.term, m.from);
        this.handleAppend(m);
        return;
      case 'heartbeat':
        this.becomeFollower(m.term, m.from);
        this.handleHeartbeat(m);
        return;
      case 'snap':
        this.becomeFollower(m.term, m.from);
        this.handleSnapshot(m);
        return;
      case 'preVoteResp':
      case 'voteResp':
        if ((m.type === 'preVoteResp') !== (this.role === 'preCandidate')) return;
        this.votes.set(m.from, !m.reject);
        this.tally();
        return;
      default:
        return;
    }
  }

  // ---- follower ----

  private stepFollower(m: Message<C, S>): void {
    switch (m.type) {
      case 'app':
        this.electionElapsed = 0;
        this.lead = m.from;
        this.handleAppend(m);
        return;
      case 'heartbeat':
        this.electionElapsed = 0;
        this.lead = m.from;
        this.handleHeartbeat(m);
        return;
      case 'snap':
        this.electionElapsed = 0;
        this.lead = m.from;
        this.handleSnapshot(m);
        return;
      case 'timeoutNow':
        // The leader hands over: campaign at once, skipping pre-vote and the lease.
        this.hup(true);
        return;
      case 'readIndexResp':
        this.readStates.push({ index: m.index, context: m.context ?? '' });
        return;
      default:
        return;
    }
  }

  private handleAppend(m: Message<C, S>): void {
    const reply = (index: number, reject = false, rejectHint = 0): void =>
      this.send(
        msg({ type: 'appResp', from: this.id, to: m.from, term: this.term, index, reject, rejectHint }),
      );
    if (m.index < this.log.committed) {
      reply(this.log.committed);
      return;
    }
    if (!this.log.matchTerm(m.index, m.logTerm)) {
      reply(m.index, true, this.log.lastIndex());
      return;
    }
    const lastNew = this.log.appendAfter(m.index, m.entries);
    this.log.commitTo(Math.min(m.commit, lastNew));
    reply(lastNew);
  }

  private handleHeartbeat(m: Message<C, S>): void {
    // The leader sends min(match, commit), so this never passes the entries we hold.
    this.log.commitTo(Math.min(m.commit, this.log.lastIndex()));
    this.send(msg({ type: 'heartbeatResp', from: this.id, to: m.from, term: this.term, context: m.context }));
  }

  private handleSnapshot(m: Message<C, S>): void {
    const snap = m.snapshot;
    if (!snap) return;
    const { index, term } = snap.meta;
    if (index <= this.log.committed) {
      this.send(
        msg({ type: 'appResp', from: this.id, to: m.from, term: this.term, index: this.log.committed }),
      );
      return;
    }
    if (this.log.matchTerm(index, term)) {
      // We already hold the snapshot's last entry: fast-forward the commit instead.
      this.log.commitTo(index);
    } else {
      this.log.restore(snap);
      this.applying = index;
      this.conf = snap.meta.conf;
    }
    this.send(
      msg({ type: 'appResp', from: this.id, to: m.from, term: this.term, index: this.log.lastIndex() }),
    );
  }

  // ---- requests (proposals, reads, transfers) from any server ----

  private stepRequest(m: Message<C, S>): void {
    // Requests from other servers are served by the leader only; forwarding them again could
    // bounce them between two servers that each believe the other leads.
    if (this.role !== 'leader') return;
    if (m.type === 'prop') {
      for (const e of m.entries) this.proposeEntry(e);
    } else if (m.type === 'readIndex') {
      this.handleReadIndex(m.context ?? '', m.from);
    } else if (m.type === 'transferLeader') {
      this.handleTransfer(m.context ?? '');
    }
  }

  private proposeEntry(e: Entry<C>): DropReason | undefined {
    if (this.role !== 'leader') {
      if (this.lead === '' || !this.forward) return this.lead === '' ? 'no leader' : 'not leader';
      this.send(msg({ type: 'prop', from: this.id, to: this.lead, term: 0, entries: [e] }));
      return undefined;
    }
    if (this.leadTransferee !== '') return 'transferring leadership';
    if (e.type === 'conf') {
      if (this.pendingConfIndex > this.log.applied || !isConfChange(e.data))
        return 'membership change pending';
      this.pendingConfIndex = this.log.lastIndex() + 1;
    }
    this.appendEntries([e]);
    // Broadcast at the next ready(): proposals made together travel in one append (batching).
    this.pendingBcast = true;
    return undefined;
  }

  // ---- leader ----

  private tickLeader(): void {
    this.heartbeatElapsed++;
    this.electionElapsed++;
    if (this.electionElapsed >= this.electionTimeout) {
      this.electionElapsed = 0;
      if (this.checkQuorum) {
        const active = isQuorum(
          this.conf.voters,
          (id) => id === this.id || this.prs.get(id)?.recentActive === true,
        );
        for (const [id, pr] of this.prs) pr.recentActive = id === this.id;
        if (!active) {
          this.becomeFollower(this.term, '');
          return;
        }
      }
      // A transfer that did not finish within an election timeout is abandoned.
      this.leadTransferee = '';
    }
    for (const [id, pr] of this.prs) {
      if (pr.state === 'snapshot' && ++pr.snapshotTicks >= this.electionTimeout) {
        // The snapshot (or its answer) was probably lost: probe again.
        pr.becomeProbe();
        this.maybeSendAppend(id, true);
      }
    }
    if (this.heartbeatElapsed >= this.heartbeatTimeout) {
      this.heartbeatElapsed = 0;
      this.bcastHeartbeat(this.reads.lastContext());
    }
    this.maybePromoteLearner();
  }

  private maybePromoteLearner(): void {
    if (this.pendingConfIndex > this.log.applied || this.leadTransferee !== '') return;
    for (const id of this.conf.promoting) {
      const pr = this.prs.get(id);
      if (pr && pr.match >= this.log.committed && pr.recentActive) {
        this.proposeEntry({ term: 0, index: 0, type: 'conf', data: { type: 'addVoter', id } });
        return;
      }
    }
  }

  private stepLeader(m: Message<C, S>): void {
    const pr = this.prs.get(m.from);
    if (!pr) return;
    if (m.type === 'appResp') {
      pr.recentActive = true;
      this.handleAppendResponse(m, pr);
    } else if (m.type === 'heartbeatResp') {
      pr.recentActive = true;
      pr.probeSent = false;
      if (pr.state === 'replicate' && pr.inflights.length >= pr.maxInflight) pr.inflights.shift();
      if (pr.match < this.log.lastIndex()) this.maybeSendAppend(m.from, true);
      if (m.context) this.ackRead(m.context, m.from);
    }
  }

  private handleAppendResponse(m: Message<C, S>, pr: Progress): void {
    if (m.reject) {
      if (pr.maybeDecrTo(m.index, m.rejectHint)) {
        if (pr.state === 'replicate') pr.becomeProbe();
        this.maybeSendAppend(m.from, true);
      }
      return;
    }
    const wasPaused = pr.isPaused();
    if (!pr.maybeUpdate(m.index)) return;
    if (pr.state === 'probe') pr.becomeReplicate();
    else if (pr.state === 'snapshot' && pr.match >= pr.pendingSnapshot) {
      pr.becomeProbe();
      pr.becomeReplicate();
    } else if (pr.state === 'replicate') pr.freeLE(m.index);
    if (this.maybeCommit()) this.bcastAppend();
    else if (wasPaused) this.maybeSendAppend(m.from, true);
    // Pipelining: keep sending while the window has room.
    while (this.maybeSendAppend(m.from, false)) {
      /* keep filling the window */
    }
    if (m.from === this.leadTransferee && pr.match === this.log.lastIndex()) {
      this.send(msg({ type: 'timeoutNow', from: this.id, to: m.from, term: this.term }));
    }
  }

  private appendEntries(es: Entry<C>[]): void {
    let last = this.log.lastIndex();
    const stamped = es.map((e) => ({ term: this.term, index: ++last, type: e.type, data: e.data }));
    this.log.append(stamped);
    this.prs.get(this.id)?.maybeUpdate(last);
    this.maybeCommit();
  }

  /** Commits the highest index a quorum holds — only if it is from the current term. */
  private maybeCommit(): boolean {
    const mci = committedIndex(this.conf.voters, (id) => this.prs.get(id)?.match ?? 0);
    if (mci <= this.log.committed) return false;
    if (!this.unsafeCommit && this.log.term(mci) !== this.term) return false;
    const wasCommittedInTerm = this.log.term(this.log.committed) === this.term;
    this.log.commitTo(mci);
    if (!wasCommittedInTerm) this.releasePendingReads();
    return true;
  }

  private bcastAppend(): void {
    for (const id of this.prs.keys()) if (id !== this.id) this.maybeSendAppend(id, true);
  }

  private bcastHeartbeat(context: string | undefined): void {
    for (const [id, pr] of this.prs) {
      if (id === this.id) continue;
      const commit = Math.min(pr.match, this.log.committed);
      this.send(msg({ type: 'heartbeat', from: this.id, to: id, term: this.term, commit, context }));
    }
  }

  /** Sends the next append (or the snapshot) to `to`; returns whether anything was sent. */
  private maybeSendAppend(to: string, sendIfEmpty: boolean): boolean {
    const pr = this.prs.get(to);
    if (!pr || pr.isPaused()) return false;
    const prevIndex = pr.next - 1;
    const prevTerm = this.log.term(prevIndex);
    if (prevTerm === undefined || pr.next < this.log.firstIndex()) {
      const snap = this.log.latestSnapshot;
      if (!snap) return false;
      this.send(msg({ type: 'snap', from: this.id, to, term: this.term, snapshot: snap }));
      pr.becomeSnapshot(snap.meta.index);
      return true;
    }
    const hi = Math.min(this.log.lastIndex() + 1, pr.next + this.maxEntries);
    const entries = pr.next < hi ? this.log.slice(pr.next, hi) : [];
    if (entries.length === 0 && !sendIfEmpty) return false;
    this.send(
      msg({
        type: 'app',
        from: this.id,
        to,
        term: this.term,
        index: prevIndex,
        logTerm: prevTerm,
        entries,
        commit: this.log.committed,
      }),
    );
    pr.sentEntries(prevIndex + entries.length, entries.length);
    return true;
  }

  private handleTransfer(to: string): void {
    if (to === '' || to === this.id || !this.conf.voters.includes(to) || this.leadTransferee === to) return;
    this.leadTransferee = to;
    this.electionElapsed = 0;
    const pr = this.prs.get(to);
    if (pr && pr.match === this.log.lastIndex()) {
      this.send(msg({ type: 'timeoutNow', from: this.id, to, term: this.term }));
    } else {
      this.maybeSendAppend(to, true);
    }
  }

  private handleReadIndex(context: string, from: string): void {
    if (this.log.term(this.log.committed) !== this.term) {
      // Until an entry of this term commits, the commit index may be behind the real one.
      this.pendingReads.push({ context, from });
      return;
    }
    if (this.unsafeReads || (this.conf.voters.length === 1 && this.conf.voters[0] === this.id)) {
      this.deliverRead(this.log.committed, context, from);
      return;
    }
    this.reads.add(this.log.committed, context, from, this.id);
    this.bcastHeartbeat(context);
  }

  private releasePendingReads(): void {
    const pending = this.pendingReads;
    this.pendingReads = [];
    for (const r of pending) this.handleReadIndex(r.context, r.from);
  }

  private ackRead(context: string, from: string): void {
    const acks = this.reads.ack(context, from);
    if (!acks || !isQuorum(this.conf.voters, (id) => acks.has(id))) return;
    for (const r of this.reads.release(context)) this.deliverRead(r.index, r.context, r.from);
  }

  private deliverRead(index: number, context: string, from: string): void {
    if (from === this.id) this.readStates.push({ index, context });
    else this.send(msg({ type: 'readIndexResp', from: this.id, to: from, term: this.term, index, context }));
  }

  // ---- membership ----

  private applyConf(cc: ConfChange): void {
    this.conf = applyConfChange(this.conf, cc);
    if (this.role !== 'leader') return;
    if (!this.conf.voters.includes(this.id) && !this.conf.learners.includes(this.id)) {
      // Removed: step down; the remaining servers elect a leader among themselves.
      this.becomeFollower(this.term, '');
      return;
    }
    const next = this.log.lastIndex() + 1;
    for (const id of [...this.conf.voters, ...this.conf.learners]) {
      const learner = this.conf.learners.includes(id);
      const pr = this.prs.get(id);
      if (pr) pr.isLearner = learner;
      else {
        const p = new Progress(next, this.maxInflight, learner);
        p.recentActive = true;
        this.prs.set(id, p);
      }
    }
    for (const id of [...this.prs.keys()]) {
      if (!this.conf.voters.includes(id) && !this.conf.learners.includes(id)) this.prs.delete(id);
    }
    if (this.leadTransferee !== '' && !this.conf.voters.includes(this.leadTransferee))
      this.leadTransferee = '';
    if (!this.conf.voters.includes(this.id)) {
      // A leader demoted to learner cannot count itself: hand over by stepping down.
      this.becomeFollower(this.term, '');
      return;
    }
    // The quorum changed: the commit index may move; new servers need their first append.
    this.maybeCommit();
    this.bcastAppend();
  }

  private send(m: Message<C, S>): void {
    this.msgs.push(m);
  }
}

function sameHard(a: HardState, b: HardState): boolean {
  return a.term === b.term && a.vote === b.vote && a.commit === b.commit;
}
