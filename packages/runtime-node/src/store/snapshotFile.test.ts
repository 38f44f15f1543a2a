import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createControlPlane, ManualClock } from '@tsnomad/core';
import { mockJob, mockNode } from '@tsnomad/core/testing';
import { serializeState } from '@tsnomad/core/state';
import { openDurableConsensus, type DurableConsensus } from './durableConsensus.js';
import {
  decodeSnapshotFile,
  encodeSnapshotFile,
  restoreSnapshot,
  saveSnapshot,
  SNAPSHOT_MAGIC,
} from './snapshotFile.js';

const dirs: string[] = [];
const open: DurableConsensus[] = [];
afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function boot(dataDir?: string) {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'tsnomad-snap-'));
  if (!dataDir) dirs.push(dir);
  const consensus = openDurableConsensus({ dataDir: dir });
  open.push(consensus);
  const cp = createControlPlane({ clock: new ManualClock(1_767_225_600e9), consensus, seed: dir });
  return { dir, consensus, cp };
}

const plain = (x: unknown): unknown => JSON.parse(JSON.stringify(x));

async function filled() {
  const a = boot();
  await a.cp.registerNode(mockNode({ id: 'n1' }));
  for (let i = 0; i < 5; i++)
    await a.cp.registerJob(mockJob({ id: `job-${i}`, meta: { note: 'naïve ✓ 日本' } }));
  await a.cp.processEvals();
  return a;
}

// A file with a valid checksum over whatever payload and header fields a test wants.
function craft(header: Record<string, unknown>, payload: Buffer): Buffer {
  const h = { Size: payload.length, SHA256: createHash('sha256').update(payload).digest('hex'), ...header };
  return Buffer.concat([Buffer.from(SNAPSHOT_MAGIC), Buffer.from(JSON.stringify(h) + '\n'), payload]);
}
const goodHeader = {
  Version: 1,
  Index: 3,
  Created: 'x',
  StateFormat: 'tsnomad-state/1',
  Encoding: 'gzip+ndjson',
};

describe('snapshot file', () => {
  it('round-trips the state with its index, header first', async () => {
    const a = await filled();
    const { bytes, index } = await saveSnapshot(a.consensus);
    expect(index).toBe(a.consensus.appliedIndex());
    expect(bytes.toString('latin1', 0, SNAPSHOT_MAGIC.length)).toBe(SNAPSHOT_MAGIC);
    const r = await decodeSnapshotFile(bytes);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.header).toMatchObject({
      Version: 1,
      Index: index,
      StateFormat: 'tsnomad-state/1',
      Encoding: 'gzip+ndjson',
    });
    expect(plain(r.data)).toEqual(plain(serializeState(a.cp.state())));
  });

  it('restores into another server durably: the state survives that server restarting', async () => {
    const a = await filled();
    const { bytes, index } = await saveSnapshot(a.consensus);
    const b = boot();
    await b.cp.registerJob(mockJob({ id: 'only-on-b' }));
    const r = await restoreSnapshot(b.consensus, bytes);
    expect(r).toEqual({ ok: true, index });
    expect(b.cp.state().jobById('default', 'only-on-b')).toBeUndefined();
    expect(b.cp.state().jobById('default', 'job-3')).toBeDefined();
    // Writes continue after the snapshot's index, and a restart brings both back.
    const w = await b.cp.registerJob(mockJob({ id: 'after-restore' }));
    expect(w.ok && w.index).toBe(index + 1);
    await b.consensus.close();
    open.splice(open.indexOf(b.consensus), 1);
    const c = boot(b.dir);
    expect(c.consensus.appliedIndex()).toBe(index + 1);
    expect(c.cp.state().jobById('default', 'job-3')).toBeDefined();
    expect(c.cp.state().jobById('default', 'after-restore')).toBeDefined();
    expect(c.cp.state().jobById('default', 'only-on-b')).toBeUndefined();
  });

  it('refuses a flipped payload byte with a checksum error and changes nothing', async () => {
    const a = await filled();
    const { bytes } = await saveSnapshot(a.consensus);
    bytes[bytes.length - 20] = bytes[bytes.length - 20]! ^ 0xff;
    const b = boot();
    await b.cp.registerJob(mockJob({ id: 'keep-me' }));
    const before = b.consensus.appliedIndex();
    const r = await restoreSnapshot(b.consensus, bytes);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(
      /^snapshot file: checksum mismatch: payload SHA-256 [0-9a-f]{64}, header\.SHA256 [0-9a-f]{64}$/,
    );
    expect(b.consensus.appliedIndex()).toBe(before);
    expect(b.cp.state().jobById('default', 'keep-me')).toBeDefined();
  });

  it.each([
    ['not a snapshot', Buffer.from('hello world\n'), /not a tsnomad snapshot/],
    ['an empty file', Buffer.alloc(0), /not a tsnomad snapshot/],
    ['a header that is not JSON', Buffer.from(SNAPSHOT_MAGIC + '{oops\n'), /header \(line 2\) is not JSON/],
    [
      'no header line',
      Buffer.from(SNAPSHOT_MAGIC + 'x'.repeat(5000)),
      /header \(line 2\) missing or longer than 4096/,
    ],
    [
      'a newer version',
      craft({ ...goodHeader, Version: 2 }, Buffer.alloc(1)),
      /unsupported version 2 at header\.Version \(this build reads version 1\)/,
    ],
    [
      'a missing Index',
      craft({ ...goodHeader, Index: undefined }, Buffer.alloc(1)),
      /header\.Index: expected a number, got nothing/,
    ],
    [
      'a negative Index',
      craft({ ...goodHeader, Index: -1 }, Buffer.alloc(1)),
      /header\.Index: expected a non-negative integer/,
    ],
    [
      'another encoding',
      craft({ ...goodHeader, Encoding: 'zstd' }, Buffer.alloc(1)),
      /header\.Encoding: expected "gzip\+ndjson", got "zstd"/,
    ],
    ['a payload that is not gzip', craft(goodHeader, Buffer.from('plain')), /payload does not decompress/],
    [
      'chunks that are not JSON',
      craft(goodHeader, gzipSync('{"head":{},"arrays":[]}\n{nope\n')),
      /snapshot chunk 1: not JSON/,
    ],
    [
      'rows for an unknown table',
      craft(
        goodHeader,
        gzipSync('{"head":{"format":"tsnomad-state/1"},"arrays":["jobs"]}\n{"k":"evil","r":[1]}\n'),
      ),
      /snapshot chunk 1: unknown array "evil"/,
    ],
  ])('refuses %s with a clear error', async (_name, bytes, message) => {
    const r = await decodeSnapshotFile(bytes);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(message);
    expect(!r.ok && r.error).toMatch(/^snapshot file: /);
  });

  it('refuses a truncated file by its size, and a state past the size bound', async () => {
    const a = await filled();
    const { bytes } = await saveSnapshot(a.consensus);
    const cut = await decodeSnapshotFile(bytes.subarray(0, bytes.length - 7));
    expect(!cut.ok && cut.error).toMatch(
      /payload is \d+ bytes, header\.Size says \d+ \(truncated or padded file\)/,
    );
    const big = await decodeSnapshotFile(bytes, 1000);
    expect(!big.ok && big.error).toMatch(/payload does not decompress: state larger than 1000 bytes/);
  });

  it('keeps chunks bounded: a large state encodes without one giant string', async () => {
    const a = boot();
    const data = serializeState(a.cp.state());
    const base = mockJob({ id: 'j' });
    // More rows than one chunk holds (2,000), so the jobs span several chunks.
    const many = { ...data, jobs: Array.from({ length: 5000 }, (_, i) => ({ ...base, id: `j${i}` })) };
    const bytes = await encodeSnapshotFile({ index: 9, data: many });
    const r = await decodeSnapshotFile(bytes);
    expect(r.ok && r.data.jobs.length).toBe(5000);
    expect(r.ok && r.data.jobs[4999]!.id).toBe('j4999');
  });
});
