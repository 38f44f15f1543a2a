/**
 * Scheduler cases for rolling updates and reschedule storms, in ms per evaluation:
 * - rolling-update: a 1,000-allocation service job on 1,000 nodes moves to a new version with
 *   max_parallel 100; each evaluation of the rollout is timed (clients report healthy between).
 * - reschedule-storm: 1,000 allocations lost at once on 10,000 nodes (100 nodes go down); the
 *   single node-update evaluation that replaces them all is timed.
 * Run by benchmarks/scheduler.bench.ts; default-exports `(opts) => rows`.
 */
import type { SchedulerBenchRow } from '../scheduler.bench.js';
import { canonicalizeJob, schedule } from '@tsnomad/core';
import { mockEval, mockNode } from '@tsnomad/core/testing';
import type { Allocation, Deployment, Evaluation, Job, Node, Plan } from '@tsnomad/core';
import type { EvalTrigger } from '@tsnomad/core/structs';
import { median, type BenchOptions } from '../lib.js';

type Snapshot = Parameters<typeof schedule>[0];

/** One measured case. */
export interface UpdatesRow extends SchedulerBenchRow {
  case: string;
  name: string;
  placementsPerSecond: number;
  headline: boolean;
  nodes: number;
  allocs: number;
  evals: number;
  msPerEval: number;
  msMedian: number;
  placed: number;
  stopped: number;
}

const S = 1e9;
const NOW = 1_700_000_000 * S;

function node(i: number): Node {
  return mockNode({
    id: `node-${String(i).padStart(6, '0')}`,
    datacenter: `dc${i % 3}`,
    cpu: 8000,
    memoryMB: 16384,
    drivers: ['exec'],
  });
}

function job(count: number, image: string, version: number, index: number): Job {
  const j = canonicalizeJob({
    id: 'bench',
    datacenters: ['dc0', 'dc1', 'dc2'],
    taskGroups: [
      {
        name: 'web',
        count,
        update: {
          maxParallel: 100,
          minHealthyTime: 10 * S,
          healthyDeadline: 300 * S,
          progressDeadline: 600 * S,
        },
        tasks: [{ name: 'web', driver: 'exec', config: { image }, resources: { cpu: 100, memoryMB: 64 } }],
      },
    ],
  });
  return { ...j, version, createIndex: 10, modifyIndex: index, jobModifyIndex: index };
}

function evaluation(j: Job, id: string, triggeredBy: EvalTrigger): Evaluation {
  return mockEval({
    id,
    namespace: j.namespace,
    priority: j.priority,
    type: j.type,
    triggeredBy,
    jobId: j.id,
    jobModifyIndex: j.jobModifyIndex,
  });
}

/** A tiny state: nodes, allocations, one job and its deployments, as a scheduler snapshot. */
class State {
  allocs = new Map<string, Allocation>();
  deployments = new Map<string, Deployment>();
  index = 100;
  constructor(
    public nodes: Node[],
    public job: Job,
  ) {}

  snapshot(): Snapshot {
    const nodes = this.nodes;
    const byId = new Map(nodes.map((n) => [n.id, n]));
    const byNode = new Map<string, Allocation[]>();
    const all = [...this.allocs.values()];
    for (const a of all) {
      const l = byNode.get(a.nodeId);
      if (l) l.push(a);
      else byNode.set(a.nodeId, [a]);
    }
    const deps = [...this.deployments.values()].sort((a, b) => b.createIndex - a.createIndex);
    const job = this.job;
    const index = this.index;
    return {
      nodes: () => nodes,
      nodeById: (id) => byId.get(id),
      allocsByNode: (id) => byNode.get(id) ?? [],
      allocsByJob: () => all,
      allocById: (id) => this.allocs.get(id),
      jobById: () => job,
      deploymentsByJob: () => deps,
      schedulerConfiguration: () => ({
        schedulerAlgorithm: 'binpack',
        preemptionConfig: {
          systemSchedulerEnabled: true,
          sysBatchSchedulerEnabled: false,
          batchSchedulerEnabled: false,
          serviceSchedulerEnabled: false,
        },
        memoryOversubscriptionEnabled: false,
        pauseEvalBroker: false,
      }),
      latestIndex: () => index,
    };
  }

  apply(plan: Plan): { placed: number; stopped: number } {
    this.index++;
    let placed = 0;
    let stopped = 0;
    for (const list of Object.values(plan.nodeUpdate))
      for (const a of list) {
        const cur = this.allocs.get(a.id);
        if (cur)
          this.allocs.set(a.id, { ...cur, desiredStatus: a.desiredStatus, clientStatus: a.clientStatus });
        stopped++;
      }
    for (const list of Object.values(plan.nodeAllocation))
      for (const a of list) {
        const cur = this.allocs.get(a.id);
        if (!cur) placed++;
        this.allocs.set(a.id, {
          ...(cur ?? a),
          ...a,
          job: a.job ?? plan.job,
          allocatedResources: a.allocatedResources ?? cur?.allocatedResources,
          createIndex: cur?.createIndex ?? this.index,
        });
      }
    if (plan.deployment)
      this.deployments.set(plan.deployment.id, { ...plan.deployment, createIndex: this.index });
    for (const u of plan.deploymentUpdates) {
      const d = this.deployments.get(u.deploymentId);
      if (d) this.deployments.set(d.id, { ...d, status: u.status });
    }
    return { placed, stopped };
  }

  /** Clients start every pending allocation and report it healthy to its deployment. */
  healthy(): void {
    for (const a of this.allocs.values()) {
      if (a.desiredStatus !== 'run' || a.clientStatus !== 'pending') continue;
      this.allocs.set(a.id, {
        ...a,
        clientStatus: 'running',
        deploymentStatus: { canary: false, healthy: true, timestamp: NOW, modifyIndex: this.index },
      });
      const d = a.deploymentId ? this.deployments.get(a.deploymentId) : undefined;
      const s = d?.taskGroups[a.taskGroup];
      if (d && s)
        this.deployments.set(d.id, {
          ...d,
          taskGroups: { [a.taskGroup]: { ...s, healthyAllocs: s.healthyAllocs + 1 } },
        });
    }
  }
}

function timed<T>(fn: () => T): { ms: number; value: T } {
  const t0 = performance.now();
  const value = fn();
  return { ms: performance.now() - t0, value };
}

function rollingUpdate(quick: boolean): UpdatesRow {
  const n = quick ? 200 : 1000;
  const st = new State(
    Array.from({ length: n }, (_, i) => node(i)),
    job(n, 'v1', 0, 11),
  );
  st.apply(schedule(st.snapshot(), evaluation(st.job, 'e-0', 'job-register'), { now: NOW }).plan);
  st.healthy();
  st.job = job(n, 'v2', 1, 200);
  const times: number[] = [];
  let placed = 0;
  let stopped = 0;
  for (let i = 1; i < 100; i++) {
    const snap = st.snapshot();
    const { ms, value } = timed(() =>
      schedule(snap, evaluation(st.job, `e-${i}`, 'deployment-watcher'), { now: NOW }),
    );
    times.push(ms);
    const r = st.apply(value.plan);
    placed += r.placed;
    stopped += r.stopped;
    st.healthy();
    if (r.placed === 0) break;
  }
  const live = [...st.allocs.values()].filter(
    (a) => a.desiredStatus === 'run' && a.job?.version === 1,
  ).length;
  if (live !== n) throw new Error(`rolling update did not converge: ${live}/${n}`);
  const totalMs = times.reduce((s, x) => s + x, 0);
  return {
    case: 'rolling-update',
    name: `${n} allocs on ${n} nodes, max_parallel 100`,
    placementsPerSecond: (placed * 1000) / totalMs,
    headline: true,
    nodes: n,
    allocs: n,
    evals: times.length,
    msPerEval: times.reduce((s, x) => s + x, 0) / times.length,
    msMedian: median(times),
    placed,
    stopped,
  };
}

function rescheduleStorm(quick: boolean): UpdatesRow {
  const nodes = quick ? 2000 : 10_000;
  const allocs = quick ? 200 : 1000;
  const st = new State(
    Array.from({ length: nodes }, (_, i) => node(i)),
    job(allocs, 'v1', 0, 11),
  );
  // Pack the job onto the first nodes so 100 of them hold every allocation (10 per node).
  const perNode = 10;
  const hosts = allocs / perNode;
  for (let i = 0; i < allocs; i++) {
    const h = st.nodes[Math.floor(i / perNode)]!;
    const id = `alloc-${String(i).padStart(6, '0')}`;
    st.allocs.set(id, {
      id,
      namespace: 'default',
      evalId: 'e-0',
      name: `bench.web[${i}]`,
      nodeId: h.id,
      nodeName: h.name,
      jobId: 'bench',
      job: st.job,
      taskGroup: 'web',
      allocatedResources: {
        tasks: {
          web: {
            cpu: { cpuShares: 100, reservedCores: [] },
            memory: { memoryMB: 64, memoryMaxMB: 0 },
            networks: [],
            devices: [],
          },
        },
        taskLifecycles: {},
        shared: { networks: [], diskMB: 300, ports: [] },
      },
      desiredStatus: 'run',
      desiredDescription: '',
      desiredTransition: {},
      clientStatus: 'running',
      clientDescription: '',
      taskStates: {},
      previousAllocation: '',
      nextAllocation: '',
      deploymentId: '',
      followupEvalId: '',
      preemptedAllocations: [],
      preemptedByAllocation: '',
      createIndex: 50,
      modifyIndex: 50,
      allocModifyIndex: 50,
      createTime: NOW,
      modifyTime: NOW,
    });
  }
  st.nodes = st.nodes.map((n, i) => (i < hosts ? { ...n, status: 'down' } : n));
  const times: number[] = [];
  let placed = 0;
  let stopped = 0;
  const runs = quick ? 3 : 5;
  for (let i = 0; i < runs; i++) {
    const snap = st.snapshot();
    const { ms, value } = timed(() =>
      schedule(snap, evaluation(st.job, `storm-${i}`, 'node-update'), { now: NOW }),
    );
    times.push(ms);
    placed = Object.values(value.plan.nodeAllocation).flat().length;
    stopped = Object.values(value.plan.nodeUpdate).flat().length;
  }
  if (placed !== allocs || stopped !== allocs) throw new Error(`storm placed ${placed}, stopped ${stopped}`);
  const totalMs = times.reduce((s, x) => s + x, 0);
  return {
    case: 'reschedule-storm',
    name: `${allocs} allocs lost at once on ${nodes} nodes`,
    placementsPerSecond: (placed * runs * 1000) / totalMs,
    headline: true,
    nodes,
    allocs,
    evals: runs,
    msPerEval: times.reduce((s, x) => s + x, 0) / times.length,
    msMedian: median(times),
    placed,
    stopped,
  };
}

/** Runs both cases; rows for the scheduler benchmark's details. */
export default async function updates(opts: BenchOptions): Promise<UpdatesRow[]> {
  return [rollingUpdate(opts.quick), rescheduleStorm(opts.quick)];
}
