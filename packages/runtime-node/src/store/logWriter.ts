/**
 * Appends log batches from a worker thread, so the event loop keeps parsing and validating the
 * next requests while SQLite commits and fsyncs the current batch (group commit, pipelined).
 * The worker holds its own connection to the same database (WAL: one writer at a time, readers
 * never blocked); the main thread's connection only replays, cuts and writes snapshots, never
 * while a batch is in flight.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** A batch as sent to the writer: indexes, checksums and the command bytes back to back. */
export interface LogBatch {
  readonly first: number;
  readonly crcs: readonly number[];
  readonly ends: readonly number[];
  readonly bytes: Buffer;
}

/** The writer thread's handle. Requests are carried out in the order they are made. */
export interface LogWriter {
  /** Resolves once the batch is committed and fsynced; rejects with SQLite's error otherwise. */
  append(batch: LogBatch): Promise<void>;
  /** Writes one chunk of snapshot `snap` (not fsynced by itself: the commit's fsync covers it). */
  snapshotChunk(snap: number, seq: number, data: Buffer, crc: number): Promise<void>;
  /**
   * Makes snapshot `snap` (taken at `index`, `chunks` chunks) the current one, drops older ones
   * and the log entries at or below `index - trailing`: one transaction, fsynced.
   */
  snapshotCommit(snap: number, index: number, chunks: number, trailing: number): Promise<void>;
  close(): Promise<void>;
}

// Plain CommonJS run with `eval`, so it works the same from sources (tests) and from the bundle.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('busy_timeout = 30000');
const insert = db.prepare('INSERT INTO log (idx, cmd, crc) VALUES (?, ?, ?)');
const append = db.transaction((m) => {
  const bytes = Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength);
  let start = 0;
  for (let i = 0; i < m.ends.length; i++) {
    insert.run(m.first + i, bytes.subarray(start, m.ends[i]), m.crcs[i]);
    start = m.ends[i];
  }
});
const insertChunk = db.prepare('INSERT INTO snapshot_chunk (snap, seq, data, crc) VALUES (?, ?, ?, ?)');
const commit = db.transaction((m) => {
  db.prepare('INSERT INTO snapshot (id, idx, chunks, created) VALUES (?, ?, ?, ?)')
    .run(m.snap, m.index, m.chunks, new Date().toISOString());
  db.prepare('DELETE FROM snapshot_chunk WHERE snap < ?').run(m.snap);
  db.prepare('DELETE FROM snapshot WHERE id < ?').run(m.snap);
  db.prepare('DELETE FROM log WHERE idx <= ?').run(m.index - m.trailing);
});
parentPort.on('message', (m) => {
  try {
    if (m.type === 'close') {
      db.close();
    } else if (m.type === 'append') {
      append(m);
    } else if (m.type === 'chunk') {
      // Not fsynced on its own: the WAL is one file, so the commit's fsync covers these frames.
      db.pragma('synchronous = OFF');
      try {
        insertChunk.run(m.snap, m.seq, Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength), m.crc);
      } finally {
        db.pragma('synchronous = FULL');
      }
    } else if (m.type === 'commit') {
      commit(m);
    }
    parentPort.postMessage({ ok: true });
  } catch (e) {
    parentPort.postMessage({ ok: false, error: String((e && e.message) || e) });
  }
});
`;

// The worker requires better-sqlite3 by path. ESM has import.meta.url; the CJS build has require.
function resolveDriver(): string {
  try {
    return createRequire(import.meta.url).resolve('better-sqlite3');
  } catch {
    return require.resolve('better-sqlite3');
  }
}

/** Starts the writer thread on the database at `path` (its tables must exist). */
export function startLogWriter(path: string): LogWriter {
  const driver = resolveDriver();
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path, driver } });
  // The thread keeps the process alive only while a batch is in flight.
  worker.unref();
  // Replies come back in order: one batch in flight at a time, a queue for safety.
  const waiting: { resolve: () => void; reject: (e: Error) => void }[] = [];
  let failed: Error | undefined;
  worker.on('message', (m: { ok?: boolean; error?: string }) => {
    const w = waiting.shift();
    if (waiting.length === 0) worker.unref();
    if (!w) return;
    if (m.ok) w.resolve();
    else w.reject(new Error(m.error ?? 'log writer failed'));
  });
  worker.on('error', (e) => {
    failed = e;
    for (const w of waiting.splice(0)) w.reject(e);
  });
  worker.on('exit', () => {
    const e = failed ?? new Error('log writer exited');
    for (const w of waiting.splice(0)) w.reject(e);
  });
  const send = (message: object, transfer: ArrayBuffer[] = []): Promise<void> => {
    if (failed) return Promise.reject(failed);
    return new Promise<void>((resolve, reject) => {
      waiting.push({ resolve, reject });
      worker.ref();
      worker.postMessage(message, transfer);
    });
  };
  // A buffer that owns its whole memory moves to the thread; a pooled slice is copied.
  const movable = (b: Buffer): ArrayBuffer[] =>
    b.byteOffset === 0 && b.byteLength === b.buffer.byteLength ? [b.buffer as ArrayBuffer] : [];
  return {
    append: (batch) =>
      send(
        { type: 'append', first: batch.first, crcs: batch.crcs, ends: batch.ends, bytes: batch.bytes },
        movable(batch.bytes),
      ),
    snapshotChunk: (snap, seq, data, crc) => send({ type: 'chunk', snap, seq, data, crc }, movable(data)),
    snapshotCommit: (snap, index, chunks, trailing) =>
      send({ type: 'commit', snap, index, chunks, trailing }),
    async close() {
      if (failed) return;
      await send({ type: 'close' });
      await worker.terminate();
    },
  };
}
