/**
 * Complete, valid objects for simulations, tests and benchmarks: a client node, a service job,
 * an evaluation and an allocation, each with Nomad's usual defaults and overridable fields.
 * Pure.
 */
import type { Job, Task, TaskGroup } from '../jobspec/types.js';
import { emptyAllocation, type Allocation } from '../structs/allocation.js';
import { newEvaluation, type Evaluation } from '../structs/evaluation.js';
import type { Node } from '../structs/node.js';
import { computedClassOf } from '../scheduler/nodeTable.js';
import { canonicalizeJob } from '../jobspec/canonicalize.js';

/**
 * A ready, eligible Linux node with raw_exec/exec/docker drivers.
 * @example const n = mockNode({ id: 'n1', datacenter: 'dc2', cpu: 8000, memoryMB: 16384 });
 */
export function mockNode(o: MockNodeOptions): Node {
  const n = bareNode(o);
  return { ...n, computedClass: computedClassOf(n) };
}

/** Options of {@link mockNode}. */
export interface MockNodeOptions {
  id: string;
  name?: string;
  datacenter?: string;
  nodeClass?: string;
  nodePool?: string;
  cpu?: number;
  memoryMB?: number;
  diskMB?: number;
  attributes?: Record<string, string>;
  meta?: Record<string, string>;
  drivers?: string[];
}

function bareNode(o: MockNodeOptions): Node {
  const drivers = o.drivers ?? ['raw_exec', 'exec', 'docker'];
  const nodeClass = o.nodeClass ?? '';
  const datacenter = o.datacenter ?? 'dc1';
  return {
    id: o.id,
    secretId: '',
    datacenter,
    name: o.name ?? o.id,
    httpAddr: '',
    tlsEnabled: false,
    attributes: {
      'kernel.name': 'linux',
      'os.name': 'ubuntu',
      'cpu.arch': 'amd64',
      'unique.hostname': o.name ?? o.id,
      ...Object.fromEntries(drivers.map((d) => [`driver.${d}`, '1'])),
      ...o.attributes,
    },
    nodeResources: {
      cpu: { cpuShares: o.cpu ?? 4000, totalCpuCores: 4, reservableCpuCores: [0, 1, 2, 3] },
      memory: { memoryMB: o.memoryMB ?? 8192 },
      disk: { diskMB: o.diskMB ?? 100 * 1024 },
      devices: [],
      networks: [],
      nodeNetworks: [],
      minDynamicPort: 20000,
      maxDynamicPort: 32000,
    },
    reservedResources: {
      cpu: { cpuShares: 0, reservedCpuCores: [] },
      memory: { memoryMB: 0 },
      disk: { diskMB: 0 },
      networks: { reservedHostPorts: '' },
    },
    links: {},
    meta: { ...o.meta },
    nodeClass,
    nodePool: o.nodePool ?? 'default',
    computedClass: '', // filled below from the scheduler's class key
    schedulingEligibility: 'eligible',
    status: 'ready',
    statusDescription: '',
    statusUpdatedAt: 0,
    drivers: Object.fromEntries(
      drivers.map((d) => [
        d,
        { attributes: {}, detected: true, healthy: true, healthDescription: 'Healthy', updateTime: 0 },
      ]),
    ),
    csiControllerPlugins: {},
    csiNodePlugins: {},
    hostVolumes: {},
    nodeMaxAllocs: 0,
    createIndex: 0,
    modifyIndex: 0,
  };
}

/** A task with `resources` as given. */
export function mockTask(name: string, o: { driver?: string; cpu?: number; memoryMB?: number } = {}): Task {
  return {
    name,
    driver: o.driver ?? 'raw_exec',
    user: '',
    config: { command: '/bin/sleep', args: ['3600'] },
    env: {},
    services: [],
    constraints: [],
    affinities: [],
    resources: {
      cpu: o.cpu ?? 100,
      cores: 0,
      memoryMB: o.memoryMB ?? 128,
      memoryMaxMB: 0,
      diskMB: 0,
      iops: 0,
      networks: [],
      devices: [],
      secretsMB: 0,
    },
    meta: {},
    killTimeout: 5_000_000_000,
    killSignal: '',
    artifacts: [],
    templates: [],
    volumeMounts: [],
    leader: false,
    shutdownDelay: 0,
    kind: '',
    scalingPolicies: [],
  };
}

/** A task group of `count` copies of one task. */
export function mockTaskGroup(name: string, count: number, task: Task = mockTask('task')): TaskGroup {
  return {
    name,
    count,
    constraints: [],
    affinities: [],
    spreads: [],
    tasks: [task],
    volumes: {},
    ephemeralDisk: { sticky: false, migrate: false, sizeMB: 300 },
    networks: [],
    meta: {},
    services: [],
    preventRescheduleOnLost: false,
  };
}

/**
 * A canonical service job in dc1 with the given task groups (default: one group `web` of 1),
 * passed through `canonicalizeJob` so it carries Nomad's defaults and validates.
 * @example const j = mockJob({ id: 'web', taskGroups: [mockTaskGroup('web', 3)] });
 */
export function mockJob(o: Partial<Job> & { id: string }): Job {
  return canonicalizeJob(rawJob(o));
}

function rawJob(o: Partial<Job> & { id: string }): Job {
  return {
    region: 'global',
    namespace: 'default',
    name: o.id,
    type: 'service',
    priority: 50,
    allAtOnce: false,
    datacenters: ['dc1'],
    nodePool: 'default',
    constraints: [],
    affinities: [],
    spreads: [],
    taskGroups: [mockTaskGroup('web', 1)],
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
    createIndex: 0,
    modifyIndex: 0,
    jobModifyIndex: 0,
    ...o,
  };
}

/** A pending evaluation of a job. */
export function mockEval(o: Partial<Evaluation> & { id: string; jobId: string }): Evaluation {
  const base = newEvaluation({
    id: o.id,
    jobId: o.jobId,
    namespace: 'default',
    priority: 50,
    type: 'service',
    triggeredBy: 'job-register',
    now: 0,
  });
  return { ...base, ...o };
}

/** A pending allocation of a job's group on a node, with the group's task resources. */
export function mockAlloc(
  o: Partial<Allocation> & { id: string; jobId: string; nodeId: string; job?: Job | undefined },
): Allocation {
  const tg = o.job?.taskGroups.find((g) => g.name === (o.taskGroup ?? 'web')) ?? o.job?.taskGroups[0];
  const tasks = Object.fromEntries(
    (tg?.tasks ?? []).map((t) => [
      t.name,
      {
        cpu: { cpuShares: t.resources.cpu, reservedCores: [] },
        memory: { memoryMB: t.resources.memoryMB, memoryMaxMB: t.resources.memoryMaxMB },
        networks: [],
        devices: [],
      },
    ]),
  );
  return {
    ...emptyAllocation(),
    namespace: 'default',
    name: `${o.jobId}.${tg?.name ?? 'web'}[0]`,
    nodeName: o.nodeId,
    taskGroup: tg?.name ?? 'web',
    allocatedResources: {
      tasks,
      taskLifecycles: {},
      shared: { networks: [], diskMB: tg?.ephemeralDisk?.sizeMB ?? 0, ports: [] },
    },
    ...o,
  };
}
