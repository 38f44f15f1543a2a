import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { createControlPlane, ManualClock, type ControlPlane } from '@tsnomad/core';
import { mockJob, mockNode, mockTaskGroup } from '@tsnomad/core/testing';
import { serializeState } from '@tsnomad/core/state';
import { openDurableConsensus, type DurableConsensus, type StoreLogger } from './durableConsensus.js';

const SECOND = 1e9;
const dirs: string[] = [];
const open: DurableConsensus[] = [];
afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'tsnomad-store-'));
  dirs.push(d);
  return d;
};

const recordingLogger = () => {
  const lines: { level: string; msg: string; obj: object }[] = [];
  const logger: StoreLogger = {
    info: (obj, msg) => lines.push({ level: 'info', msg, obj }),
    warn: (obj, msg) => lines.push({ level: 'warn', msg, obj }),
    error: (obj, msg) => lines.push({ level: 'error', msg, obj }),
  };
  return { lines, logger };
};

function boot(
  dataDir: string,
  o: { snapshotEvery?: number; clock?: ManualClock; logger?: StoreLogger } = {},
) {
  const consensus = openDurableConsensus({ dataDir, snapshotEvery: o.snapshotEvery, logger: o.logger });
  open.push(consensus);
  const clock = o.clock ?? new ManualClock(1_767_225_600 * SECOND);
  // A fresh seed per boot, as an agent must: IDs drawn after a restart never repeat earlier ones.
  const cp = createControlPlane({ clock, consensus, seed: `boot-${open.length}-${dataDir}` });
  return { consensus, cp, clock };
}

async function shut(consensus: DurableConsensus): Promise<void> {
  await consensus.close();
  open.splice(open.indexOf(consensus), 1);
}

// Through JSON and back: replayed rows come from parsed JSON, whose key order may differ.
const stateJson = (cp: ControlPlane): unknown => JSON.parse(JSON.stringify(serializeState(cp.state())));
const job = (i: number) => mockJob({ id: `job-${String(i).padStart(4, '0')}` });

describe('openDurableConsensus', () => {
  it('acknowledges a proposal only once its entry is in the database file', async () => {
    const dir = tempDir();
    const { cp, consensus } = boot(dir);
    const r = await cp.registerJob(job(1));
    expect(r.ok).toBe(true);
    // A second connection reads what is on disk (WAL included), not the writer's memory.
    const reader = new Database(consensus.path, { readonly: true });
    const row = reader.prepare('SELECT idx, cmd FROM log WHERE idx = ?').get(r.ok ? r.index : -1) as
      { idx: number; cmd: Buffer } | undefined;
    reader.close();
    expect(row?.idx).toBe(r.ok ? r.index : -1);
    expect(JSON.parse(row!.cmd.toString()).job.id).toBe('job-0001');
  });

  it('commits concurrent proposals as one group (one transaction, one fsync)', async () => {
    const { cp, consensus } = boot(tempDir());
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => cp.registerJob(job(i))));
    expect(results.every((r) => r.ok)).toBe(true);
    const indexes = results.map((r) => (r.ok ? r.index : 0));
    expect(new Set(indexes).size).toBe(200);
    expect(Math.max(...indexes)).toBe(200);
    const s = consensus.stats();
    expect(s.entries).toBe(200);
    expect(s.batches).toBe(1);
    expect(s.maxBatch).toBe(200);
  });

  it('restores the same state after a restart, from the log alone and from snapshot + log', async () => {
    for (const snapshotEvery of [1_000_000, 7]) {
      const dir = tempDir();
      const a = boot(dir, { snapshotEvery });
      await a.cp.registerNode(mockNode({ id: 'n1' }));
      for (let i = 0; i < 20; i++) await a.cp.registerJob(job(i));
      await a.cp.processEvals();
      const before = stateJson(a.cp);
      const index = a.consensus.appliedIndex();
      await shut(a.consensus);
      const b = boot(dir, { snapshotEvery });
      expect(b.consensus.appliedIndex()).toBe(index);
      expect(stateJson(b.cp)).toEqual(before);
      const rec = b.consensus.recovery!;
      expect(rec.lastIndex).toBe(index);
      if (snapshotEvery === 7) {
        expect(rec.snapshotIndex).toBeGreaterThan(0);
        expect(rec.snapshotIndex + rec.replayed).toBe(index);
      } else expect(rec.replayed).toBe(index);
    }
  });

  it('processes an evaluation left pending by the previous process', async () => {
    const dir = tempDir();
    const a = boot(dir);
    await a.cp.registerNode(mockNode({ id: 'n1' }));
    const r = await a.cp.registerJob(mockJob({ id: 'web', taskGroups: [mockTaskGroup('g', 3)] }));
    expect(r.ok).toBe(true);
    // The process stops before any worker ran.
    await shut(a.consensus);

    const b = boot(dir);
    const evalId = r.ok ? r.evalId! : '';
    expect(b.cp.state().evalById(evalId)?.status).toBe('pending');
    // A host that establishes leadership itself too (the agent's server host does) changes nothing.
    b.cp.establishLeadership();
    expect(await b.cp.processEvals()).toBe(1);
    expect(b.cp.state().evalById(evalId)?.status).toBe('complete');
    expect(b.cp.state().allocsByJob('default', 'web')).toHaveLength(3);
  });

  it('re-arms heartbeat TTLs on restart: a node that never heartbeats again goes down', async () => {
    const dir = tempDir();
    const a = boot(dir);
    await a.cp.registerNode(mockNode({ id: 'n1' }));
    await shut(a.consensus);

    const clock = new ManualClock(1_767_225_600 * SECOND + 3600 * SECOND);
    const b = boot(dir, { clock });
    const due = b.cp.nextDue();
    // TTL + grace (10 s + 10 s) from the moment leadership was established.
    expect(due).toBe(clock.now() + 20 * SECOND);
    clock.set(due! - SECOND); // ns times are past 2^53: a 1 ns step would round away
    await b.cp.tick();
    expect(b.cp.state().nodeById('n1')?.status).toBe('ready');
    clock.set(due!);
    await b.cp.tick();
    expect(b.cp.state().nodeById('n1')?.status).toBe('down');
  });

  it('puts a blocked evaluation back in the blocked tracker, released when capacity arrives', async () => {
    const dir = tempDir();
    const a = boot(dir);
    await a.cp.registerJob(mockJob({ id: 'web', taskGroups: [mockTaskGroup('g', 1)] }));
    await a.cp.processEvals(); // no node: the placement fails and a blocked eval is created
    const blockedBefore = a.cp.state().tables.evals.values();
    expect([...blockedBefore].some((e) => e.status === 'blocked')).toBe(true);
    await shut(a.consensus);

    const b = boot(dir);
    expect(b.cp.blocked.stats().totalBlocked).toBe(1);
    await b.cp.registerNode(mockNode({ id: 'n1' }));
    await b.cp.processEvals();
    expect(b.cp.state().allocsByJob('default', 'web')).toHaveLength(1);
  });

  it('refuses proposals after close and writes what was queued before it', async () => {
    const dir = tempDir();
    const a = boot(dir);
    const p = a.cp.registerJob(job(1)); // queued, not yet flushed
    await shut(a.consensus);
    expect((await p).ok).toBe(true);
    expect(await a.cp.registerJob(job(2))).toEqual({ ok: false, error: 'consensus: closed' });
    const b = boot(dir);
    expect(b.cp.state().jobById('default', 'job-0001')).toBeDefined();
  });
});

describe('damaged storage', () => {
  it('cuts the log at a corrupt entry in the database file, reports it and keeps the rest', async () => {
    const dir = tempDir();
    const a = boot(dir);
    for (let i = 0; i < 30; i++) await a.cp.registerJob(job(i));
    await shut(a.consensus); // checkpointed: every row is in raft.db itself now
    const file = join(dir, 'server', 'raft.db');
    expect(existsSync(`${file}-wal`)).toBe(false);
    const bytes = readFileSync(file);
    const at = bytes.indexOf('job-0017');
    expect(at).toBeGreaterThan(0);
    bytes[at + 7] = '9'.charCodeAt(0); // job-0017 -> job-0019: valid JSON, wrong bytes
    writeFileSync(file, bytes);

    const { lines, logger } = recordingLogger();
    const b = boot(dir, { logger });
    const rec = b.consensus.recovery!;
    expect(rec.cut).toEqual({ from: 18, reason: 'entry 18: checksum mismatch', entries: 13 });
    expect(rec.lastIndex).toBe(17);
    expect(b.consensus.appliedIndex()).toBe(17);
    expect(b.cp.state().jobById('default', 'job-0016')).toBeDefined();
    expect(b.cp.state().jobById('default', 'job-0017')).toBeUndefined();
    expect(lines.some((l) => l.level === 'error' && /damaged log entry/.test(l.msg))).toBe(true);
    // New writes continue after the last whole entry.
    const r = await b.cp.registerJob(job(99));
    expect(r.ok && r.index).toBe(18);
    await shut(b.consensus);
    const reader = new Database(file, { readonly: true });
    expect(reader.prepare('SELECT count(*) AS n FROM log_discarded').get()).toEqual({ n: 13 });
    reader.close();
  });

  it('detects and reports a WAL cut mid-frame; only the torn, unacknowledged transaction is lost', async () => {
    const dir = tempDir();
    const a = boot(dir);
    for (let i = 0; i < 10; i++) await a.cp.registerJob(job(i));
    // A copy of the files while the process still runs = what a power cut leaves on disk.
    const copy = tempDir();
    const src = join(dir, 'server', 'raft.db');
    const dst = join(copy, 'server');
    const db = join(dst, 'raft.db');
    rmSync(dst, { recursive: true, force: true });
    // mkdir via openDurableConsensus would create an empty db; copy by hand instead.
    await import('node:fs').then((fs) => fs.mkdirSync(dst, { recursive: true }));
    copyFileSync(src, db);
    copyFileSync(`${src}-wal`, `${db}-wal`);
    const walSize = statSync(`${db}-wal`).size;
    truncateSync(`${db}-wal`, walSize - 100); // the last frame loses its end

    const { lines, logger } = recordingLogger();
    const b = boot(copy, { logger });
    const rec = b.consensus.recovery!;
    expect(rec.wal.partialBytes).toBeGreaterThan(0);
    expect(rec.wal.problem).toMatch(/only \d+ of \d+ bytes written/);
    expect(lines.some((l) => l.level === 'warn' && /torn/.test(l.msg))).toBe(true);
    // The last transaction was the torn one: everything before it is back, whole.
    expect(rec.lastIndex).toBe(9);
    expect(b.cp.state().jobById('default', 'job-0008')).toBeDefined();
    expect(b.cp.state().jobById('default', 'job-0009')).toBeUndefined();
  });

  it('detects a flipped bit inside a WAL frame', async () => {
    const dir = tempDir();
    const a = boot(dir);
    for (let i = 0; i < 10; i++) await a.cp.registerJob(job(i));
    const copy = tempDir();
    const dst = join(copy, 'server');
    await import('node:fs').then((fs) => fs.mkdirSync(dst, { recursive: true }));
    const src = join(dir, 'server', 'raft.db');
    copyFileSync(src, join(dst, 'raft.db'));
    const wal = readFileSync(`${src}-wal`);
    wal[wal.length - 50] = wal[wal.length - 50]! ^ 0x40;
    writeFileSync(join(dst, 'raft.db-wal'), wal);
    const b = boot(copy);
    expect(b.consensus.recovery!.wal.problem).toMatch(/checksum mismatch/);
    expect(b.consensus.recovery!.lastIndex).toBe(9);
  });

  it('drops the chunks of a snapshot whose commit never happened and restores the committed one', async () => {
    const dir = tempDir();
    const a = boot(dir, { snapshotEvery: 5 });
    for (let i = 0; i < 7; i++) await a.cp.registerJob(job(i));
    await shut(a.consensus);
    const file = join(dir, 'server', 'raft.db');
    const w = new Database(file);
    // What a process killed while writing snapshot 99 leaves: chunks without the snapshot row.
    w.prepare('INSERT INTO snapshot_chunk (snap, seq, data, crc) VALUES (99, 0, ?, 0)').run(
      Buffer.from('{"half":'),
    );
    w.close();
    const b = boot(dir, { snapshotEvery: 5 });
    expect(b.consensus.recovery!.snapshotIndex).toBe(5);
    expect(b.consensus.appliedIndex()).toBe(7);
    expect(b.cp.state().jobById('default', 'job-0006')).toBeDefined();
    await shut(b.consensus);
    const r = new Database(file, { readonly: true });
    expect(r.prepare('SELECT count(*) AS n FROM snapshot_chunk WHERE snap = 99').get()).toEqual({ n: 0 });
    r.close();
  });

  it('refuses to start on a damaged snapshot, naming the file and what to do', async () => {
    const dir = tempDir();
    const a = boot(dir, { snapshotEvery: 5 });
    for (let i = 0; i < 6; i++) await a.cp.registerJob(job(i));
    await shut(a.consensus);
    const file = join(dir, 'server', 'raft.db');
    const w = new Database(file);
    w.prepare('UPDATE snapshot_chunk SET crc = crc + 1 WHERE seq = 0').run();
    w.close();
    expect(() => boot(dir)).toThrow(
      /raft\.db: snapshot 5: chunk 0 checksum mismatch; restore from an operator snapshot/,
    );
  });
});

describe('durable log (property)', () => {
  it('any interleaving of writes, snapshots and restarts restores exactly the acknowledged state', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 12 }), {
          minLength: 1,
          maxLength: 4,
        }),
        fc.integer({ min: 2, max: 20 }),
        async (sessions, snapshotEvery) => {
          const dir = tempDir();
          let expected: unknown;
          let expectedIndex = 0;
          for (const writes of sessions) {
            const s = boot(dir, { snapshotEvery });
            if (expected !== undefined) {
              expect(s.consensus.appliedIndex()).toBe(expectedIndex);
              expect(stateJson(s.cp)).toEqual(expected);
            }
            // Concurrent writes within a session: group commits of varying size.
            await Promise.all(writes.map((i) => s.cp.registerJob(job(i))));
            expected = stateJson(s.cp);
            expectedIndex = s.consensus.appliedIndex();
            await shut(s.consensus);
          }
          rmSync(dir, { recursive: true, force: true });
        },
      ),
      { numRuns: 15 },
    );
  });
});
