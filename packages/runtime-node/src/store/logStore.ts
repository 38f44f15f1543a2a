/**
 * The server's durable storage in `data_dir/server/raft.db` (SQLite through better-sqlite3): the
 * committed command log, one row per entry with its CRC-32, and the latest snapshot, in chunks.
 * WAL journal with `synchronous=FULL`: every COMMIT fsyncs the WAL before it returns. This
 * connection opens, replays, cuts and writes restored snapshots; log batches and periodic
 * snapshots are written by the writer thread (logWriter.ts) on its own connection.
 */
import Database from 'better-sqlite3';
import { entryChecksum, chunkChecksum } from './checksum.js';

/** Version of the tables below; a newer file is refused rather than misread. */
export const SCHEMA_VERSION = 1;

/** One stored log row. */
export interface StoredEntry {
  readonly index: number;
  readonly bytes: Buffer;
  readonly crc: number;
}

/** Why a row or snapshot was found unusable. */
export interface StoreProblem {
  readonly index: number;
  readonly reason: string;
}

/** What the store hands back of the latest snapshot. */
export interface StoredSnapshot {
  readonly index: number;
  /** Read lazily, each verified against its checksum; throws {@link SnapshotDamaged}. */
  readonly chunks: Iterable<string>;
  readonly created: string;
}

/** A stored snapshot failed its checks; the message says which chunk and how. */
export class SnapshotDamaged extends Error {}

/** The log store (see the module comment). */
export interface LogStore {
  readonly path: string;
  /** Entries with index > `after`, in order; yields a problem (and stops) at the first bad row. */
  entriesAfter(after: number): Generator<StoredEntry | StoreProblem>;
  /** The highest stored index (0 when the log is empty). */
  lastIndex(): number;
  /** Moves entries with index >= `from` to `log_discarded` with the reason; returns how many. */
  cutFrom(from: number, reason: string): number;
  /** The latest complete snapshot (its chunks are verified as they are read). */
  latestSnapshot(): StoredSnapshot | undefined;
  /**
   * Stores a snapshot at `index` and drops the log entries it covers (keeping `trailing` of
   * them for followers and forensics), in one transaction. Older snapshots are removed.
   */
  writeSnapshot(index: number, chunks: Iterable<string>, trailing: number, dropLogAbove?: boolean): void;
  /** The id the next snapshot takes. */
  nextSnapshotId(): number;
  /** Rows moved aside by {@link cutFrom}. */
  discarded(): { index: number; reason: string }[];
  close(): void;
}

/** Opens (creating when missing) the store at `path`. */
export function openLogStore(path: string): LogStore {
  const db = new Database(path);
  // WAL: readers never block the writer, and a commit is one sequential append + fsync.
  db.pragma('journal_mode = WAL');
  // FULL: in WAL mode the WAL is fsynced at every commit (NORMAL only at checkpoints).
  db.pragma('synchronous = FULL');
  // The writer thread holds a second connection; wait for its lock rather than fail.
  db.pragma('busy_timeout = 30000');
  db.exec(`
    CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS log (idx INTEGER PRIMARY KEY, cmd BLOB NOT NULL, crc INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS snapshot (
      id INTEGER PRIMARY KEY, idx INTEGER NOT NULL, chunks INTEGER NOT NULL, created TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS snapshot_chunk (
      snap INTEGER NOT NULL, seq INTEGER NOT NULL, data BLOB NOT NULL, crc INTEGER NOT NULL,
      PRIMARY KEY (snap, seq)) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS log_discarded (
      idx INTEGER NOT NULL, cmd BLOB, crc INTEGER, reason TEXT NOT NULL, at TEXT NOT NULL);
  `);
  const version = db.prepare<[], { value: string }>(`SELECT value FROM meta WHERE key = 'schema'`).get();
  if (version === undefined) db.prepare(`INSERT INTO meta VALUES ('schema', ?)`).run(String(SCHEMA_VERSION));
  else if (Number(version.value) !== SCHEMA_VERSION) {
    db.close();
    throw new Error(
      `${path}: storage schema version ${version.value}, this build reads version ${SCHEMA_VERSION}`,
    );
  }

  // Chunks of a snapshot whose commit never happened (the process stopped while writing it).
  db.prepare('DELETE FROM snapshot_chunk WHERE snap NOT IN (SELECT id FROM snapshot)').run();
  const after = db.prepare<[number], { idx: number; cmd: Buffer; crc: number }>(
    'SELECT idx, cmd, crc FROM log WHERE idx > ? ORDER BY idx',
  );
  const maxIdx = db.prepare<[], { m: number | null }>('SELECT max(idx) AS m FROM log');
  const cutTx = db.transaction((from: number, reason: string): number => {
    db.prepare(`INSERT INTO log_discarded SELECT idx, cmd, crc, ?, ? FROM log WHERE idx >= ?`).run(
      reason,
      new Date().toISOString(),
      from,
    );
    return db.prepare('DELETE FROM log WHERE idx >= ?').run(from).changes;
  });
  const snapRow = db.prepare<[], { id: number; idx: number; chunks: number; created: string }>(
    'SELECT id, idx, chunks, created FROM snapshot ORDER BY id DESC LIMIT 1',
  );
  const chunkRows = db.prepare<[number], { seq: number; data: Buffer; crc: number }>(
    'SELECT seq, data, crc FROM snapshot_chunk WHERE snap = ? ORDER BY seq',
  );
  const insertChunk = db.prepare<[number, number, Buffer, number]>(
    'INSERT INTO snapshot_chunk (snap, seq, data, crc) VALUES (?, ?, ?, ?)',
  );
  const snapTx = db.transaction(
    (index: number, chunks: Iterable<string>, trailing: number, dropLogAbove: boolean) => {
      const id =
        (db.prepare<[], { m: number | null }>('SELECT max(id) AS m FROM snapshot').get()?.m ?? 0) + 1;
      let seq = 0;
      for (const text of chunks) {
        const bytes = Buffer.from(text);
        insertChunk.run(id, seq, bytes, chunkChecksum(index, seq, bytes));
        seq++;
      }
      // The snapshot row is the commit marker: written last, in the same transaction.
      db.prepare('INSERT INTO snapshot (id, idx, chunks, created) VALUES (?, ?, ?, ?)').run(
        id,
        index,
        seq,
        new Date().toISOString(),
      );
      db.prepare('DELETE FROM snapshot_chunk WHERE snap < ?').run(id);
      db.prepare('DELETE FROM snapshot WHERE id < ?').run(id);
      db.prepare('DELETE FROM log WHERE idx <= ?').run(index - trailing);
      if (dropLogAbove) db.prepare('DELETE FROM log WHERE idx > ?').run(index);
    },
  );

  return {
    path,
    *entriesAfter(from) {
      let expect = from + 1;
      try {
        for (const row of after.iterate(from)) {
          // The log continues the snapshot with no gap: a hole means rows were lost.
          if (row.idx !== expect) {
            yield { index: expect, reason: `entry ${expect} missing (next stored entry is ${row.idx})` };
            return;
          }
          if (!Buffer.isBuffer(row.cmd) || entryChecksum(row.idx, row.cmd) !== row.crc >>> 0) {
            yield { index: row.idx, reason: `entry ${row.idx}: checksum mismatch` };
            return;
          }
          yield { index: row.idx, bytes: row.cmd, crc: row.crc };
          expect = row.idx + 1;
        }
      } catch (e) {
        // SQLITE_CORRUPT and friends: the b-tree under the log is damaged from here on.
        yield { index: expect, reason: `entry ${expect}: unreadable (${(e as Error).message})` };
      }
    },
    lastIndex: () => maxIdx.get()?.m ?? 0,
    cutFrom: (from, reason) => cutTx(from, reason),
    latestSnapshot() {
      const s = snapRow.get();
      if (!s) return undefined;
      // Lazy: each chunk is verified and decoded as it is read, so a large state is never held
      // twice (as stored text and as objects). A damaged chunk throws SnapshotDamaged.
      function* chunks(): Generator<string> {
        let seq = 0;
        try {
          for (const c of chunkRows.iterate(s!.id)) {
            if (c.seq !== seq) throw new SnapshotDamaged(`snapshot ${s!.idx}: chunk ${seq} missing`);
            if (chunkChecksum(s!.idx, c.seq, c.data) !== c.crc >>> 0)
              throw new SnapshotDamaged(`snapshot ${s!.idx}: chunk ${c.seq} checksum mismatch`);
            yield c.data.toString('utf8');
            seq++;
          }
        } catch (e) {
          if (e instanceof SnapshotDamaged) throw e;
          throw new SnapshotDamaged(`snapshot ${s!.idx}: unreadable (${(e as Error).message})`);
        }
        if (seq !== s!.chunks)
          throw new SnapshotDamaged(`snapshot ${s!.idx}: ${seq} of ${s!.chunks} chunks present`);
      }
      return { index: s.idx, chunks: chunks(), created: s.created };
    },
    writeSnapshot(index, chunks, trailing, dropLogAbove = false) {
      snapTx(index, chunks, trailing, dropLogAbove);
    },
    nextSnapshotId: () =>
      (db
        .prepare<[], { m: number | null }>(
          'SELECT max(coalesce((SELECT max(snap) FROM snapshot_chunk), 0), coalesce((SELECT max(id) FROM snapshot), 0)) AS m',
        )
        .get()?.m ?? 0) + 1,
    discarded: () =>
      db
        .prepare<[], { idx: number; reason: string }>('SELECT idx, reason FROM log_discarded ORDER BY rowid')
        .all()
        .map((r) => ({ index: r.idx, reason: r.reason })),
    close() {
      if (db.open) db.close();
    },
  };
}
