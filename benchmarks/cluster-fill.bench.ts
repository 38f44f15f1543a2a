/**
 * Nomad's C1M shape through the whole control plane: 1,000 jobs x 1,000 tasks placed onto
 * 5,000 simulated nodes via the eval broker, workers running schedule(), the plan applier and
 * the replicated state. Reports wall time, placements per second, peak RSS and the cost of a
 * state snapshot at the end (1,000,000 allocations). Nomad's C1M took just under 5 minutes on
 * 5 servers.
 */
import { createControlPlane, ManualClock } from '@tsnomad/core';
import { mockJob, mockNode, mockTask, mockTaskGroup } from '@tsnomad/core/testing';
import { median, type BenchOptions, type BenchResult } from './lib.js';

export default async function clusterFill(opts: BenchOptions): Promise<BenchResult> {
  // TSNOMAD_C1M_JOBS runs a prefix of the full shape (profiling on a busy machine).
  const jobs = Number(process.env['TSNOMAD_C1M_JOBS'] ?? 0) || (opts.quick ? 50 : 1000);
  const tasks = opts.quick ? 100 : 1000;
  const nodes = opts.quick ? 250 : 5000;
  const clock = new ManualClock(1_767_225_600e9);
  const cp = createControlPlane({ clock, seed: 'c1m' });
  let peakRss = process.memoryUsage().rss;
  const sampleRss = () => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  };

  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < nodes; i++) {
    const r = await cp.registerNode(
      mockNode({ id: `node-${String(i).padStart(5, '0')}`, cpu: 16000, memoryMB: 32768, datacenter: 'dc1' }),
    );
    if (!r.ok) throw new Error(r.error);
  }
  const tNodes = performance.now();
  const task = mockTask('t', { cpu: 20, memoryMB: 32 });
  for (let j = 0; j < jobs; j++) {
    const r = await cp.registerJob(
      mockJob({
        id: `job-${String(j).padStart(4, '0')}`,
        type: 'batch',
        taskGroups: [mockTaskGroup('g', tasks, task)],
      }),
    );
    if (!r.ok) throw new Error(r.error);
  }
  const tJobs = performance.now();
  const evalMs: number[] = [];
  for (;;) {
    const s = performance.now();
    const n = await cp.processEvals(1);
    if (n === 0) break;
    evalMs.push(performance.now() - s);
    if (evalMs.length % 50 === 0) sampleRss();
  }
  const tDone = performance.now();
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  sampleRss();
  const state = cp.state();
  const placed = state.tables.allocs.size;
  // Snapshot cost at full size: taking the current immutable version and opening a writer on it.
  const snapMs: number[] = [];
  for (let i = 0; i < 200; i++) {
    const s = performance.now();
    const snap = cp.state();
    snap.tables.allocs.edit();
    snapMs.push(performance.now() - s);
  }
  const scheduleWallS = (tDone - tJobs) / 1000;
  return {
    summary: {
      jobs,
      tasksPerJob: tasks,
      nodes,
      placed,
      expected: jobs * tasks,
      wallSeconds: Number(((tDone - t0) / 1000).toFixed(1)),
      placementsPerSecond: Math.round(placed / scheduleWallS),
      // Wall time depends on what else runs on the machine; CPU time does not.
      cpuSeconds: Number(cpuSeconds.toFixed(1)),
      placementsPerCpuSecond: Math.round(placed / cpuSeconds),
      peakRssMiB: Math.round(peakRss / 2 ** 20),
      snapshotMsP50: Number(median(snapMs).toFixed(4)),
      evalMsP50: Number(median(evalMs).toFixed(1)),
      nomadC1mRatio: Number((290 / ((tDone - t0) / 1000)).toFixed(1)),
    },
    details: {
      registerNodesMs: Math.round(tNodes - t0),
      registerJobsMs: Math.round(tJobs - tNodes),
      scheduleMs: Math.round(tDone - tJobs),
      evals: evalMs.length,
      evalMsMax: Math.round(Math.max(...evalMs)),
      applier: cp.applier.stats(),
      blocked: cp.blocked.stats(),
    },
  };
}
