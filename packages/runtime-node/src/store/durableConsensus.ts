/**
 * Core's `Consensus` on durable storage: a single-server log whose entries are written to SQLite
 * (fsynced) before they are applied and acknowledged. Proposals that arrive while the event loop
 * is busy are committed together (group commit: one transaction, one fsync). On open it replays
 * the latest snapshot and the log after it, cutting a damaged tail; then it takes leadership, and
 * the control plane rebuilds its broker, blocked evaluations and heartbeat timers from the state
 * as Nomad's leader does.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Command, Consensus, LogEntry, StateMachine } from '@tsnomad/core';
import type { Committed, Leadership } from '@tsnomad/core/server';
import type { SerializedState } from '@tsnomad/core/state';
import { chunkChecksum, entryChecksum } from './checksum.js';
import { openLogStore, type LogStore, type StoredEntry, type StoreProblem } from './logStore.js';
import { decodeChunks, encodeChunks } from './stateChunks.js';
import { startLogWriter, type LogWriter } from './logWriter.js';
import { checkWal, type WalReport } from './walCheck.js';

/** The subset of a pino logger the store uses. */
export interface StoreLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

const silent: StoreLogger = { info() {}, warn() {}, error() {} };

/** Options of {@link openDurableConsensus}. */
export interface DurableConsensusOptions {
  /** The agent's `data_dir`; the store lives in `<dataDir>/server/raft.db`. */
  readonly dataDir: string;
  /** Take a snapshot (and compact the log) after this many entries. Default 8192 (Nomad's raft). */
  readonly snapshotEvery?: number | undefined;
  /** Log entries kept behind a snapshot. Default 1024. */
  readonly trailingLogs?: number | undefined;
  /** Server id reported as leader. Default `server-1`. */
  readonly id?: string | undefined;
  readonly logger?: StoreLogger | undefined;
}

/** What opening the store found and did. */
export interface RecoveryReport {
  /** Index of the snapshot restored (0: none). */
  readonly snapshotIndex: number;
  /** Log entries replayed after the snapshot. */
  readonly replayed: number;
  /** The last index after recovery. */
  readonly lastIndex: number;
  /** The WAL as found before SQLite opened it (a torn tail is reported here). */
  readonly wal: WalReport;
  /** Set when a damaged entry was found: where, why, and how many entries were moved aside. */
  readonly cut?: { readonly from: number; readonly reason: string; readonly entries: number } | undefined;
  /** Entries whose apply threw during replay (a bug, reported; the entry stays in the log). */
  readonly applyErrors: number;
  readonly millis: number;
}

/** The durable consensus: core's interface plus recovery facts, stats and close. */
export interface DurableConsensus extends Consensus<Command, SerializedState> {
  /** What the last open found; set once the state machine is attached. */
  readonly recovery: RecoveryReport | undefined;
  /** The database file. */
  readonly path: string;
  /** Group-commit counters. */
  stats(): {
    batches: number;
    entries: number;
    maxBatch: number;
    snapshots: number;
    lastSnapshotIndex: number;
  };
  /** Writes what is queued, then closes the database. Later proposals are refused. */
  close(): Promise<void>;
}

interface Pending {
  readonly command: Command;
  readonly resolve: (c: Committed) => void;
  readonly reject: (e: Error) => void;
}

const isProblem = (x: StoredEntry | StoreProblem): x is StoreProblem => 'reason' in x;

/**
 * Opens the durable consensus in `<dataDir>/server/`. Nothing is replayed until the control plane
 * attaches its state machine (`createControlPlane({ consensus })` does).
 * @example
 * const consensus = openDurableConsensus({ dataDir: '/var/lib/tsnomad', logger });
 * const cp = createControlPlane({ clock, consensus, seed: randomUUID() });
 * logger.info(consensus.recovery, 'state restored');
 * await cp.registerJob(job); // resolves once the entry is fsynced and applied
 */
export function openDurableConsensus(opts: DurableConsensusOptions): DurableConsensus {
  const dir = join(opts.dataDir, 'server');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'raft.db');
  const log = opts.logger ?? silent;
  const id = opts.id ?? 'server-1';
  const snapshotEvery = opts.snapshotEvery ?? 8192;
  const trailing = opts.trailingLogs ?? 1024;
  // Before SQLite opens the file and silently drops a torn WAL tail.
  const wal = checkWal(`${path}-wal`);
  if (wal.validThrough !== undefined)
    log.warn(
      { path: `${path}-wal`, ...wal },
      'write-ahead log has a torn or uncommitted tail; it is discarded',
    );
  const store: LogStore = openLogStore(path);

  let fsm: StateMachine<Command, SerializedState> | undefined;
  let index = 0;
  let snapshotIndex = 0;
  let leader = false;
  let closed = false;
  let recovery: RecoveryReport | undefined;
  let queue: Pending[] = [];
  let scheduled = false;
  let barriers: (() => void)[] = [];
  // The batch being written by the writer thread, if any.
  let writing: Promise<void> | undefined;
  let writer: LogWriter | undefined;
  // The snapshot being written, if any (at most one).
  let snapshotting: Promise<void> | undefined;
  const counters = { batches: 0, entries: 0, maxBatch: 0, snapshots: 0, lastSnapshotIndex: 0 };
  const commitListeners = new Set<(e: LogEntry<Command>) => void>();
  const leaderListeners = new Set<(l: Leadership) => void>();
  const leadership = (): Leadership => ({ isLeader: leader, leaderId: leader ? id : undefined });

  const setLeader = (on: boolean): void => {
    if (on === leader) return;
    leader = on;
    const l = leadership();
    for (const f of leaderListeners) f(l);
  };

  // Writes a snapshot of the state as of now, chunk by chunk through the writer thread, while
  // commits go on: the state is immutable, so `fsm.snapshot()` is a consistent view of it.
  const takeSnapshot = async (): Promise<void> => {
    const at = index;
    const data = fsm!.snapshot();
    const snap = store.nextSnapshotId();
    let seq = 0;
    for (const text of encodeChunks(data)) {
      const bytes = Buffer.from(text);
      await writer!.snapshotChunk(snap, seq, bytes, chunkChecksum(at, seq, bytes));
      seq++;
    }
    await writer!.snapshotCommit(snap, at, seq, trailing);
    snapshotIndex = at;
    counters.snapshots++;
    counters.lastSnapshotIndex = at;
    log.info({ index: at, chunks: seq }, 'state snapshot written; log compacted');
  };

  // Applies a batch the writer reported durable, in log order, and answers its proposals.
  const applyBatch = (batch: readonly Pending[]): void => {
    for (const p of batch) {
      const entry: LogEntry<Command> = { index: index + 1, command: p.command };
      let result: unknown;
      try {
        result = fsm!.apply(entry);
      } catch (e) {
        // The entry is committed; replay will meet the same throw. Report, keep the order.
        index = entry.index;
        log.error({ index: entry.index, err: (e as Error).message }, 'apply of a committed entry threw');
        p.reject(e as Error);
        continue;
      }
      index = entry.index;
      for (const l of commitListeners) l(entry);
      p.resolve({ index: entry.index, result });
    }
    if (!snapshotting && index - snapshotIndex >= snapshotEvery) {
      snapshotting = takeSnapshot()
        .catch((e: Error) => log.error({ err: e.message }, 'state snapshot failed; the log keeps growing'))
        .finally(() => {
          snapshotting = undefined;
          if (queue.length === 0 && !writing) flush(); // answers barriers waiting for it
        });
    }
  };

  // Group commit: everything queued since the last batch goes out as one transaction (one
  // fsync). One batch is in flight at a time; proposals arriving meanwhile form the next one.
  const flush = (): void => {
    scheduled = false;
    if (writing || !writer) return;
    const batch = queue;
    queue = [];
    if (batch.length === 0) {
      if (snapshotting) return; // barriers wait for the snapshot too
      const waiting = barriers;
      barriers = [];
      for (const b of waiting) b();
      return;
    }
    const parts: Buffer[] = new Array(batch.length);
    const crcs: number[] = new Array(batch.length);
    const ends: number[] = new Array(batch.length);
    let end = 0;
    for (let i = 0; i < batch.length; i++) {
      const bytes = Buffer.from(JSON.stringify(batch[i]!.command));
      parts[i] = bytes;
      crcs[i] = entryChecksum(index + 1 + i, bytes);
      end += bytes.length;
      ends[i] = end;
    }
    writing = writer
      .append({ first: index + 1, crcs, ends, bytes: Buffer.concat(parts, end) })
      .then(
        () => {
          counters.batches++;
          counters.entries += batch.length;
          if (batch.length > counters.maxBatch) counters.maxBatch = batch.length;
          applyBatch(batch);
        },
        (e: Error) => {
          // Nothing of the batch is durable (one transaction), so nothing is applied or acknowledged.
          const err = new Error(`durable log write failed: ${e.message}`);
          log.error({ err: e.message, entries: batch.length }, 'durable log write failed');
          for (const p of batch) p.reject(err);
        },
      )
      .finally(() => {
        writing = undefined;
        flush();
      });
  };

  const schedule = (): void => {
    if (scheduled) return;
    scheduled = true;
    // setImmediate, not a microtask: requests that arrived meanwhile are parsed (I/O phase)
    // before the batch is cut, so they share its transaction.
    setImmediate(flush);
  };

  const replay = (m: StateMachine<Command, SerializedState>): RecoveryReport => {
    const t0 = performance.now();
    const snap = store.latestSnapshot();
    if (snap) {
      let data: SerializedState;
      try {
        data = decodeChunks<SerializedState>(snap.chunks);
      } catch (e) {
        // The log entries the snapshot replaced are gone: nothing to rebuild from but a backup.
        throw new Error(
          `${path}: ${(e as Error).message}; restore from an operator snapshot (tsnomad operator snapshot restore)`,
        );
      }
      m.restore(data, snap.index);
      index = snap.index;
      snapshotIndex = snap.index;
      counters.lastSnapshotIndex = snap.index;
    }
    let replayed = 0;
    let applyErrors = 0;
    let bad: StoreProblem | undefined;
    for (const row of store.entriesAfter(index)) {
      if (isProblem(row)) {
        bad = row;
        break;
      }
      let command: Command;
      try {
        command = JSON.parse(row.bytes.toString('utf8')) as Command;
      } catch (e) {
        bad = { index: row.index, reason: `entry ${row.index}: not JSON (${(e as Error).message})` };
        break;
      }
      try {
        m.apply({ index: row.index, command });
      } catch (e) {
        applyErrors++;
        log.error(
          { index: row.index, err: (e as Error).message },
          'replay: apply of a committed entry threw',
        );
      }
      index = row.index;
      replayed++;
    }
    let cut: RecoveryReport['cut'];
    if (bad) {
      const entries = store.cutFrom(bad.index, bad.reason);
      cut = { from: bad.index, reason: bad.reason, entries };
      log.error(
        { path, ...cut, lastGoodIndex: index },
        'damaged log entry found; it and every later entry were moved to log_discarded',
      );
    }
    return {
      snapshotIndex: snap?.index ?? 0,
      replayed,
      lastIndex: index,
      wal,
      cut,
      applyErrors,
      millis: Math.round(performance.now() - t0),
    };
  };

  const requireFsm = (): StateMachine<Command, SerializedState> => {
    if (!fsm) throw new Error('consensus: no state machine attached');
    return fsm;
  };

  return {
    id,
    path,
    get recovery() {
      return recovery;
    },
    attach(m) {
      fsm = m;
      // Not the leader while replaying: the FSM routes no effects, so the control plane's
      // establishLeadership rebuilds the broker from the restored state exactly once.
      leader = false;
      recovery = replay(m);
      writer = startLogWriter(path);
      log.info({ path, ...recovery, wal: undefined }, 'server state restored');
      setLeader(true);
    },
    propose(command) {
      if (closed) return Promise.reject(new Error('consensus: closed'));
      if (!leader) return Promise.reject(new Error('consensus: not the leader'));
      return new Promise<Committed>((resolve, reject) => {
        queue.push({ command, resolve, reject });
        schedule();
      });
    },
    barrier() {
      if (queue.length === 0 && !scheduled && !writing && !snapshotting) return Promise.resolve(index);
      return new Promise<number>((resolve) => barriers.push(() => resolve(index)));
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
      const m = requireFsm();
      // A batch in flight would be applied on top of the restored state: callers await barrier().
      if (writing || snapshotting)
        throw new Error('consensus: a write is in flight; await barrier() before restore');
      // Proposals still queued are written after the restore, at the indexes that follow it.
      setLeader(false);
      try {
        // In memory first: a snapshot that does not restore leaves both memory and disk as they were.
        m.restore(snap.data, snap.index);
      } catch (e) {
        setLeader(true);
        throw e;
      }
      store.writeSnapshot(snap.index, encodeChunks(snap.data), 0, true);
      index = snap.index;
      snapshotIndex = snap.index;
      counters.lastSnapshotIndex = snap.index;
      log.warn({ index: snap.index }, 'state replaced by a restored snapshot');
      setLeader(true);
    },
    stats: () => ({ ...counters }),
    async close() {
      if (closed) return;
      closed = true;
      // Finish what was proposed before the close: the batch in flight, then what is queued.
      while (writing || snapshotting || queue.length > 0) {
        if (!writing && queue.length > 0) flush();
        await (writing ?? snapshotting);
      }
      setLeader(false);
      await writer?.close();
      store.close();
    },
  };
}
