/**
 * State table costs at Nomad's C1M scale: an O(1) snapshot and an O(log n) commit with
 * 1,000,000 allocation rows indexed by node and job, compared with copying a Map per write.
 */
import { Table } from '@tsnomad/core/state';
import { median, type BenchOptions, type BenchResult } from './lib.js';

interface Row {
  id: string;
  nodeId: string;
  jobId: string;
  clientStatus: string;
}

export default async function stateBench(opts: BenchOptions): Promise<BenchResult> {
  const n = opts.quick ? 100_000 : 1_000_000;
  const t0 = performance.now();
  const w = Table.empty<Row>('allocs', (r) => r.id, [
    { name: 'node', key: (r) => r.nodeId },
    { name: 'job', key: (r) => r.jobId },
  ]).edit();
  for (let i = 0; i < n; i++) {
    w.put({
      id: `alloc-${i}`,
      nodeId: `node-${i % 5000}`,
      jobId: `job-${i % 1000}`,
      clientStatus: 'pending',
    });
  }
  let table = w.commit(1);
  const loadMs = performance.now() - t0;

  // Snapshot: a Table is immutable, so a snapshot is holding the reference plus cloning for the
  // next writer; measure the writer's O(1) clones (edit) which is what a commit starts with.
  const snapMs: number[] = [];
  for (let i = 0; i < 1000; i++) {
    const s = performance.now();
    table.edit();
    snapMs.push(performance.now() - s);
  }
  // Commit of one changed row (a client update) on a shared tree.
  const commitMs: number[] = [];
  const snapshots: Table<Row>[] = [];
  for (let i = 0; i < 1000; i++) {
    const s = performance.now();
    const ww = table.edit();
    ww.put({
      id: `alloc-${i * 997}`,
      nodeId: `node-${i % 5000}`,
      jobId: `job-${i % 1000}`,
      clientStatus: 'running',
    });
    table = ww.commit(2 + i);
    commitMs.push(performance.now() - s);
    if (i % 100 === 0) snapshots.push(table);
  }
  // Reference: copying a Map per write, which is what immer does to a Map it touches.
  const m = new Map<string, number>();
  for (let i = 0; i < n; i++) m.set(`alloc-${i}`, i);
  const s = performance.now();
  const copy = new Map(m);
  copy.set('alloc-1', 2);
  const mapCopyMs = performance.now() - s;
  const snapshotP50 = median(snapMs);
  const commitP50 = median(commitMs);
  return {
    summary: {
      rows: n,
      loadMs: Math.round(loadMs),
      snapshotMsP50: Number(snapshotP50.toFixed(4)),
      snapshotMsMax: Number(Math.max(...snapMs).toFixed(4)),
      commitOneRowMsP50: Number(commitP50.toFixed(4)),
      mapCopyPerWriteMs: Number(mapCopyMs.toFixed(1)),
      commitVsMapCopy: Number((mapCopyMs / commitP50).toFixed(0)),
      heldSnapshots: snapshots.length,
    },
    details: { snapMs: snapMs.slice(0, 20), commitMs: commitMs.slice(0, 20) },
  };
}
