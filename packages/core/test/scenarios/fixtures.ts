/** Builders and a tiny in-memory cluster for scheduler scenarios: apply plans, change clients. */
import type { Job, Task, TaskGroup } from '../../src/jobspec/types.js';
import type { Allocation } from '../../src/structs/allocation.js';
import type { Deployment } from '../../src/structs/deployment.js';
import type { Evaluation } from '../../src/structs/evaluation.js';
import type { Node } from '../../src/structs/node.js';
import type { Plan } from '../../src/structs/plan.js';
import { schedule, type ScheduleResult } from '../../src/scheduler/schedule.js';
import { createSnapshot } from '../../src/scheduler/snapshot.js';
import { mockEval, mockNode } from '../../src/simulate/mock.js';

export const S = 1e9;
export const T0 = 1_700_000_000 * S;

export function mkNode(id: string, over: Partial<Node> = {}): Node {
  // One fixed computed class keeps class-eligibility expectations readable.
  return {
    ...mockNode({ id, drivers: ['exec'] }),
    computedClass: 'c1',
    createIndex: 1,
    modifyIndex: 1,
    ...over,
  };
}

export function mkTask(over: Partial<Task> = {}): Task {
  return {
    name: 'web',
    driver: 'exec',
    user: '',
    config: { command: '/bin/app' },
    env: {},
    services: [],
    constraints: [],
    affinities: [],
    resources: {
      cpu: 500,
      cores: 0,
      memoryMB: 256,
      memoryMaxMB: 0,
      diskMB: 0,
      iops: 0,
      networks: [],
      devices: [],
      secretsMB: 0,
    },
    meta: {},
    killTimeout: 5 * S,
    killSignal: '',
    artifacts: [],
    templates: [],
    volumeMounts: [],
    leader: false,
    shutdownDelay: 0,
    kind: '',
    scalingPolicies: [],
    ...over,
  };
}

export function mkGroup(over: Partial<TaskGroup> = {}): TaskGroup {
  return {
    name: 'web',
    count: 3,
    constraints: [],
    affinities: [],
    spreads: [],
    tasks: [mkTask()],
    volumes: {},
    reschedulePolicy: {
      attempts: 0,
      interval: 0,
      delay: 30 * S,
      delayFunction: 'exponential',
      maxDelay: 3600 * S,
      unlimited: true,
    },
    ephemeralDisk: { sticky: false, migrate: false, sizeMB: 300 },
    migrate: { maxParallel: 1, healthCheck: 'checks', minHealthyTime: 10 * S, healthyDeadline: 300 * S },
    networks: [],
    meta: {},
    services: [],
    preventRescheduleOnLost: false,
    ...over,
  };
}

export function mkJob(over: Partial<Job> = {}): Job {
  return {
    region: 'global',
    namespace: 'default',
    id: 'example',
    name: 'example',
    type: 'service',
    priority: 50,
    allAtOnce: false,
    datacenters: ['dc1'],
    nodePool: 'default',
    constraints: [],
    affinities: [],
    spreads: [],
    taskGroups: [mkGroup()],
    meta: {},
    stop: false,
    parentId: '',
    dispatched: false,
    payload: '',
    consulNamespace: '',
    vaultNamespace: '',
    status: 'pending',
    statusDescription: '',
    stable: false,
    version: 0,
    submitTime: 0,
    createIndex: 10,
    modifyIndex: 10,
    jobModifyIndex: 10,
    ...over,
  };
}

/** A rolling update strategy (Nomad's defaults, with overrides). */
export function mkUpdate(
  over: Partial<NonNullable<TaskGroup['update']>> = {},
): NonNullable<TaskGroup['update']> {
  return {
    stagger: 30 * S,
    maxParallel: 1,
    healthCheck: 'checks',
    minHealthyTime: 10 * S,
    healthyDeadline: 300 * S,
    progressDeadline: 600 * S,
    canary: 0,
    autoRevert: false,
    autoPromote: false,
    ...over,
  };
}

let evalCounter = 0;
export function mkEval(job: Job, over: Partial<Evaluation> = {}): Evaluation {
  evalCounter++;
  return mockEval({
    id: `eval-${evalCounter}`,
    namespace: job.namespace,
    priority: job.priority,
    type: job.type,
    jobId: job.id,
    jobModifyIndex: job.jobModifyIndex,
    ...over,
  });
}

/**
 * A minimal cluster that applies plans the way the plan applier and state store do (without
 * re-checking fit), so scenarios can run evaluation after evaluation.
 */
export class Cluster {
  nodes = new Map<string, Node>();
  allocs = new Map<string, Allocation>();
  jobs = new Map<string, Job>();
  deployments = new Map<string, Deployment>();
  index = 100;
  now = T0;

  addNode(n: Node): void {
    this.nodes.set(n.id, n);
    this.index++;
  }

  /** Registers a job (a new version when it exists) and returns it as stored. */
  register(job: Job): Job {
    const prev = this.jobs.get(job.id);
    this.index++;
    const stored: Job = {
      ...job,
      version: prev ? prev.version + 1 : 0,
      createIndex: prev ? prev.createIndex : this.index,
      modifyIndex: this.index,
      jobModifyIndex: this.index,
    };
    this.jobs.set(job.id, stored);
    return stored;
  }

  job(id = 'example'): Job {
    const j = this.jobs.get(id);
    if (!j) throw new Error(`no job ${id}`);
    return j;
  }

  live(jobId = 'example'): Allocation[] {
    return [...this.allocs.values()].filter(
      (a) =>
        a.jobId === jobId &&
        a.desiredStatus === 'run' &&
        a.clientStatus !== 'complete' &&
        a.clientStatus !== 'failed' &&
        a.clientStatus !== 'lost',
    );
  }

  latestDeployment(jobId = 'example'): Deployment | undefined {
    return [...this.deployments.values()]
      .filter((d) => d.jobId === jobId)
      .sort((a, b) => b.createIndex - a.createIndex)[0];
  }

  run(evalOver: Partial<Evaluation> = {}, jobId = 'example', seed?: number): ScheduleResult {
    const job = this.jobs.get(jobId) ?? mkJob({ id: jobId });
    const snap = createSnapshot({
      nodes: [...this.nodes.values()],
      allocations: [...this.allocs.values()],
      jobs: [...this.jobs.values()],
      deployments: [...this.deployments.values()],
      index: this.index,
    });
    return schedule(snap, mkEval(job, evalOver), { now: this.now, seed });
  }

  /** Applies a plan like the plan applier: stops, placements (with the plan's job), deployment. */
  apply(plan: Plan): void {
    this.index++;
    for (const list of Object.values(plan.nodeUpdate)) {
      for (const a of list) {
        const cur = this.allocs.get(a.id);
        if (cur)
          this.allocs.set(a.id, {
            ...cur,
            ...a,
            job: cur.job,
            allocatedResources: cur.allocatedResources,
            modifyIndex: this.index,
          });
      }
    }
    for (const list of Object.values(plan.nodePreemptions)) {
      for (const a of list) {
        const cur = this.allocs.get(a.id);
        if (cur) this.allocs.set(a.id, { ...cur, desiredStatus: 'evict', modifyIndex: this.index });
      }
    }
    for (const list of Object.values(plan.nodeAllocation)) {
      for (const a of list) {
        const cur = this.allocs.get(a.id);
        const job = a.job ?? plan.job;
        if (cur) {
          this.allocs.set(a.id, {
            ...cur,
            ...a,
            job,
            allocatedResources: a.allocatedResources ?? cur.allocatedResources,
            modifyIndex: this.index,
          });
        } else {
          this.allocs.set(a.id, { ...a, job, createIndex: this.index, modifyIndex: this.index });
          if (a.previousAllocation) {
            const prev = this.allocs.get(a.previousAllocation);
            if (prev) this.allocs.set(prev.id, { ...prev, nextAllocation: a.id });
          }
        }
      }
    }
    if (plan.deployment) {
      const d = plan.deployment;
      this.deployments.set(d.id, {
        ...d,
        createIndex: this.deployments.get(d.id)?.createIndex ?? this.index,
        modifyIndex: this.index,
      });
    }
    for (const u of plan.deploymentUpdates) {
      const d = this.deployments.get(u.deploymentId);
      if (d) this.deployments.set(d.id, { ...d, status: u.status, statusDescription: u.statusDescription });
    }
    // Record placed canaries and placements on the deployment, as the state store does.
    for (const list of Object.values(plan.nodeAllocation)) {
      for (const a of list) {
        if (!a.deploymentId) continue;
        const d = this.deployments.get(a.deploymentId);
        const s = d?.taskGroups[a.taskGroup];
        if (!d || !s || a.createIndex !== 0) continue;
        const placedCanaries = a.deploymentStatus?.canary ? [...s.placedCanaries, a.id] : s.placedCanaries;
        this.deployments.set(d.id, {
          ...d,
          taskGroups: {
            ...d.taskGroups,
            [a.taskGroup]: { ...s, placedCanaries, placedAllocs: s.placedAllocs + 1 },
          },
        });
      }
    }
  }

  /** Sets client status (and deployment health) of allocations. */
  setClient(ids: readonly string[], clientStatus: string, healthy?: boolean): void {
    for (const id of ids) {
      const a = this.allocs.get(id);
      if (!a) continue;
      const finishedAt = clientStatus === 'failed' || clientStatus === 'complete' ? this.now : 0;
      const ds =
        healthy === undefined
          ? a.deploymentStatus
          : {
              canary: a.deploymentStatus?.canary ?? false,
              healthy,
              timestamp: this.now,
              modifyIndex: this.index,
            };
      this.allocs.set(id, {
        ...a,
        clientStatus,
        deploymentStatus: ds,
        modifyTime: this.now,
        taskStates:
          finishedAt > 0
            ? {
                web: {
                  state: 'dead',
                  failed: clientStatus === 'failed',
                  restarts: 0,
                  lastRestart: 0,
                  startedAt: 0,
                  finishedAt,
                  events: [],
                },
              }
            : a.taskStates,
      });
      if (healthy !== undefined && a.deploymentId) {
        const d = this.deployments.get(a.deploymentId);
        const s = d?.taskGroups[a.taskGroup];
        if (d && s) {
          this.deployments.set(d.id, {
            ...d,
            taskGroups: {
              ...d.taskGroups,
              [a.taskGroup]: healthy
                ? { ...s, healthyAllocs: s.healthyAllocs + 1 }
                : { ...s, unhealthyAllocs: s.unhealthyAllocs + 1 },
            },
          });
        }
      }
    }
  }

  /** Runs `schedule` and applies the plan; returns the result. */
  step(evalOver: Partial<Evaluation> = {}, jobId = 'example'): ScheduleResult {
    const r = this.run(evalOver, jobId);
    this.apply(r.plan);
    return r;
  }
}

/** Placed allocations in a plan (new ones only, not in-place updates of existing ids). */
export function placed(plan: Plan, existing?: Cluster): Allocation[] {
  return Object.values(plan.nodeAllocation)
    .flat()
    .filter((a) => !existing || !existing.allocs.has(a.id));
}

/** Stopped allocations in a plan. */
export function stopped(plan: Plan): Allocation[] {
  return Object.values(plan.nodeUpdate).flat();
}
