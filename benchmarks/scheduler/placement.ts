/**
 * Mirrors Nomad's BenchmarkServiceScheduler (scheduler/benchmarks): 500 … 10,000 nodes in two
 * datacenters over 25/50/75 racks, 14,000 MHz / 32,000 MB nodes (100 MHz, 256 MB, 4 GiB reserved),
 * a job of 50 … 1,200 allocations asking 6000 MHz / 6000 MB each, a set_contains_any rack
 * constraint admitting half the racks, with and without spread on ${meta.rack}.
 * One evaluation = build the stack over the snapshot and place every allocation.
 */
import { EvalContext, emptyPlan } from '../../packages/core/src/scheduler/context.js';
import { createSnapshot, type SchedulerSnapshot } from '../../packages/core/src/scheduler/snapshot.js';
import { createStack } from '../../packages/core/src/scheduler/stack.js';
import { newAllocation } from '../../packages/core/src/structs/allocation.js';
import { mockJob, mockNode, mockTask, mockTaskGroup } from '../../packages/core/src/simulate/mock.js';
import type { Job } from '../../packages/core/src/jobspec/types.js';
import type { Node } from '../../packages/core/src/structs/node.js';
import { createRng } from '../../packages/core/src/util/rng.js';
import type { BenchOptions } from '../lib.js';
import type { SchedulerBenchRow } from '../scheduler.bench.js';

function nodes(count: number, racks: number): Node[] {
  const out: Node[] = [];
  for (let i = 0; i < count; i++) {
    const n = mockNode({
      id: `node-${String(i).padStart(6, '0')}`,
      datacenter: i % 2 === 0 ? 'dc-1' : 'dc-2',
      cpu: 14000,
      memoryMB: 32000,
      diskMB: 100 * 1024,
      meta: { rack: `r${i % racks}` },
      attributes: { 'unique.advertise.address': `192.168.${i % 10}.${i % 120}` },
    });
    n.reservedResources = {
      cpu: { cpuShares: 100, reservedCpuCores: [] },
      memory: { memoryMB: 256 },
      disk: { diskMB: 4 * 1024 },
      networks: { reservedHostPorts: '22' },
    };
    out.push(n);
  }
  return out;
}

function job(withSpread: boolean, size: number, racks: number): Job {
  const targets = Array.from({ length: Math.floor(racks / 2) }, (_, i) => `r${i}`).join(',');
  const tg = mockTaskGroup('web', size, mockTask('web', { driver: 'exec', cpu: 6000, memoryMB: 6000 }));
  return mockJob({
    id: 'bench-job',
    datacenters: ['dc-1', 'dc-2'],
    constraints: [{ ltarget: '${meta.rack}', operand: 'set_contains_any', rtarget: targets }],
    spreads: withSpread ? [{ attribute: '${meta.rack}', weight: 50, spreadTarget: [] }] : [],
    taskGroups: [tg],
  });
}

/** One evaluation: returns how many allocations were placed. */
function evaluate(snapshot: SchedulerSnapshot, j: Job, seed: number): number {
  const ctx = new EvalContext(snapshot, j, emptyPlan('bench', j, 1), createRng(seed), {
    algorithm: 'binpack',
    preemption: false,
    memoryOversubscription: false,
    nodeLimitForFeasibility: 100,
  });
  const stack = createStack(ctx, 'service');
  const tg = j.taskGroups[0]!;
  let placed = 0;
  for (let k = 0; k < tg.count; k++) {
    const sel = stack.select(tg);
    if (!sel.node) continue;
    placed++;
    // Built as the generic scheduler builds a placement (mockAlloc is a slow test helper).
    ctx.appendAlloc(
      newAllocation({
        id: `a${k}`,
        namespace: j.namespace,
        evalId: 'bench',
        name: `${j.id}.${tg.name}[${k}]`,
        jobId: j.id,
        taskGroup: tg.name,
        nodeId: sel.node.id,
        nodeName: sel.node.name,
        deploymentId: '',
        allocatedResources: sel.resources,
        metrics: sel.metric,
        now: 0,
      }),
    );
  }
  return placed;
}

export default async function placement(opts: BenchOptions): Promise<SchedulerBenchRow[]> {
  // TSNOMAD_PLACEMENT_CELL=nodes/racks/allocs[/spread|/nospread] (e.g. 10000/25/1200/nospread)
  // runs one cell, for profiling.
  const cellSpec = process.env['TSNOMAD_PLACEMENT_CELL']?.split('/');
  const cell = cellSpec?.slice(0, 3).map(Number);
  const spreadModes =
    cellSpec?.[3] === 'spread' ? [true] : cellSpec?.[3] === 'nospread' ? [false] : [true, false];
  const clusterSizes = cell ? [cell[0]!] : opts.quick ? [1000, 10000] : [500, 1000, 5000, 10000];
  const rackSets = cell ? [cell[1]!] : opts.quick ? [25] : [25, 50, 75];
  const jobSizes = cell ? [cell[2]!] : opts.quick ? [300, 1200] : [50, 300, 600, 900, 1200];
  const rows: SchedulerBenchRow[] = [];
  for (const clusterSize of clusterSizes) {
    for (const racks of rackSets) {
      const cluster = nodes(clusterSize, racks);
      for (const size of jobSizes) {
        for (const withSpread of spreadModes) {
          const j = job(withSpread, size, racks);
          const snapshot = createSnapshot({ nodes: cluster, jobs: [j], index: 1 });
          // Collect the previous cells' garbage now rather than during this cell's timing
          // (the runner starts node with --expose-gc).
          (globalThis as { gc?: () => void }).gc?.();
          let placed = 0;
          // Warm-up until the JIT has settled (as Go's benchmarks grow b.N before timing): at least
          // 3 evaluations and 400 ms (100 ms quick). Seeds differ from the timed ones.
          const warmUntil = performance.now() + (opts.quick ? 100 : 400);
          for (let w = 0; w < 3 || (performance.now() < warmUntil && w < 200); w++)
            placed = evaluate(snapshot, j, 1e6 + w);
          const times: number[] = [];
          const cpu: number[] = [];
          const deadline = performance.now() + (opts.quick ? 300 : 800);
          for (let r = 0; r < 3 || (performance.now() < deadline && r < 50); r++) {
            const t0 = performance.now();
            const c0 = process.cpuUsage();
            placed = evaluate(snapshot, j, r + 1);
            times.push(performance.now() - t0);
            cpu.push(process.cpuUsage(c0).user / 1000);
          }
          times.sort((a, b) => a - b);
          const ms = times[times.length >> 1]!;
          cpu.sort((a, b) => a - b);
          // CPU time is reported too: on a shared machine wall time includes waiting for a core.
          const cpuMs = cpu[cpu.length >> 1]!;
          rows.push({
            case: 'placement',
            name: `${clusterSize} nodes ${racks} racks ${size} allocs ${withSpread ? 'spread' : 'no spread'}`,
            nodes: clusterSize,
            racks,
            allocs: size,
            spread: withSpread,
            placed,
            msPerEval: ms,
            cpuMsPerEval: cpuMs,
            placementsPerSecond: (placed / ms) * 1000,
            headline: clusterSize === 10000 && size === 1200 && racks === 25,
          });
        }
      }
    }
  }
  return rows;
}
