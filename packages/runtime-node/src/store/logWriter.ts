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

/** The writer thread's handle. */
export interface LogWriter {
  /** Resolves once the batch is committed and fsynced; rejects with SQLite's error otherwise. */
  append(batch: LogBatch): Promise<void>;
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
parentPort.on('message', (m) => {
  if (m === 'close') {
    db.close();
    parentPort.postMessage({ closed: true });
    return;
  }
  try {
    append(m);
    parentPort.postMessage({ ok: true });
  } catch (e) {
    parentPort.postMessage({ ok: false, error: String(e && e.message || e) });
  }
});
`;

/** Starts the writer thread on the database at `path` (its tables must exist). */
export function startLogWriter(path: string): LogWriter {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path, driver } });
  // The thread keeps the process alive only while a batch is in flight.
  worker.unref();
  // Replies come back in order: one batch in flight at a time, a queue for safety.
  const waiting: { resolve: () => void; reject: (e: Error) => void }[] = [];
  let failed: Error | undefined;
  worker.on('message', (m: { ok?: boolean; error?: string; closed?: boolean }) => {
    const w = waiting.shift();
    if (waiting.length === 0) worker.unref();
    if (!w) return;
    if (m.ok || m.closed) w.resolve();
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
  return {
    append(batch) {
      if (failed) return Promise.reject(failed);
      return new Promise<void>((resolve, reject) => {
        waiting.push({ resolve, reject });
        worker.ref();
        const { bytes } = batch;
        worker.postMessage(
          { first: batch.first, crcs: batch.crcs, ends: batch.ends, bytes },
          bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
            ? [bytes.buffer as ArrayBuffer]
            : [],
        );
      });
    },
    async close() {
      if (failed) return;
      await new Promise<void>((resolve, reject) => {
        waiting.push({ resolve, reject });
        worker.ref();
        worker.postMessage('close');
      });
      await worker.terminate();
    },
  };
}
