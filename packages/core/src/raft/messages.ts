/**
 * The data the Raft step machine reads and writes: log entries, membership, the persistent
 * hard state, snapshots and the messages servers exchange. Plain serialisable objects, so a
 * transport can send them as JSON and a log store can keep them as rows.
 */

/** A normal entry carries a command; a conf entry carries a {@link ConfChange}. */
export type EntryType = 'normal' | 'conf';

/** One replicated log entry. `data` is undefined for the empty entry a new leader appends. */
export interface Entry<C = unknown> {
  readonly term: number;
  readonly index: number;
  readonly type: EntryType;
  readonly data: C | ConfChange | undefined;
}

/**
 * A single-server membership change. `addLearner` with `promote` asks the leader to promote
 * the learner to a voter once it has caught up (the safe way to add a voter).
 */
export type ConfChange =
  | { readonly type: 'addVoter'; readonly id: string }
  | { readonly type: 'addLearner'; readonly id: string; readonly promote?: boolean }
  | { readonly type: 'removeNode'; readonly id: string };

/** A membership: the voters, the non-voting learners, and learners awaiting promotion. */
export interface ConfState {
  readonly voters: readonly string[];
  readonly learners: readonly string[];
  /** Learners the leader promotes to voters once caught up (a subset of `learners`). */
  readonly promoting: readonly string[];
}

/** What a server must persist before it sends messages: term, vote and commit index. */
export interface HardState {
  readonly term: number;
  /** Whom this server voted for in `term` ('' = nobody). */
  readonly vote: string;
  readonly commit: number;
}

/** Describes a snapshot: the last index and term it covers and the membership at that point. */
export interface SnapshotMeta {
  readonly index: number;
  readonly term: number;
  readonly conf: ConfState;
}

/** A state-machine snapshot with its metadata; `data` is opaque to Raft. */
export interface Snapshot<S = unknown> {
  readonly meta: SnapshotMeta;
  readonly data: S;
}

/** Message kinds, after etcd-io/raft's (MsgApp, MsgVote, …). */
export type MessageType =
  | 'prop' // a proposal forwarded from a follower to the leader
  | 'app' // AppendEntries
  | 'appResp'
  | 'preVote'
  | 'preVoteResp'
  | 'vote'
  | 'voteResp'
  | 'snap' // InstallSnapshot
  | 'heartbeat'
  | 'heartbeatResp'
  | 'timeoutNow' // leadership transfer: campaign now
  | 'transferLeader' // a follower asks the leader to transfer to it
  | 'readIndex' // a follower asks the leader for a read index
  | 'readIndexResp';

/** A message between servers. Fields unused by a kind are zero / empty. */
export interface Message<C = unknown, S = unknown> {
  readonly type: MessageType;
  readonly from: string;
  readonly to: string;
  readonly term: number;
  /** app: index of the entry before `entries`; appResp: the matched (or rejected) index. */
  readonly index: number;
  /** app: term of the entry at `index`; vote: term of the candidate's last entry. */
  readonly logTerm: number;
  readonly entries: readonly Entry<C>[];
  /** app / heartbeat: the leader's commit index. */
  readonly commit: number;
  readonly reject: boolean;
  /** appResp rejection: the follower's last index, to skip back quickly. */
  readonly rejectHint: number;
  readonly snapshot?: Snapshot<S>;
  /** vote / preVote: set when campaigning for a leadership transfer (overrides the lease). */
  readonly transfer?: boolean;
  /** heartbeat / readIndex: the read request this round-trip confirms. */
  readonly context?: string;
}

/** A read that is safe to serve once the state machine has applied `index`. */
export interface ReadState {
  readonly index: number;
  readonly context: string;
}

/** Volatile state worth reporting: who leads and in what role this server is. */
export interface SoftState {
  readonly lead: string;
  readonly role: Role;
}

/** A server's role. Pre-candidates run the pre-vote round before becoming candidates. */
export type Role = 'follower' | 'preCandidate' | 'candidate' | 'leader';

/**
 * What the caller must do next, in this order: persist `entries` (replacing any stored entries
 * from `entries[0].index` on), `hardState` and `snapshot`, and sync; then send `messages`;
 * then apply `snapshot` and `committedEntries` to the state machine; then call `advance()`.
 */
export interface Ready<C = unknown, S = unknown> {
  readonly softState: SoftState | undefined;
  readonly hardState: HardState | undefined;
  readonly entries: readonly Entry<C>[];
  readonly snapshot: Snapshot<S> | undefined;
  readonly messages: readonly Message<C, S>[];
  readonly committedEntries: readonly Entry<C>[];
  readonly readStates: readonly ReadState[];
}

/** Builds a message with the unused fields zeroed. Pure. */
export function msg<C, S>(
  m: Partial<Message<C, S>> & Pick<Message, 'type' | 'from' | 'to' | 'term'>,
): Message<C, S> {
  return {
    index: 0,
    logTerm: 0,
    entries: [],
    commit: 0,
    reject: false,
    rejectHint: 0,
    ...m,
  };
}

/** An empty membership. */
export const EMPTY_CONF: ConfState = { voters: [], learners: [], promoting: [] };
