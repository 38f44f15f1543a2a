/**
 * An allocation: one copy of a task group placed on a node, with the server's desired status,
 * the client's reported status, task states, deployment health and reschedule history.
 */
import type { Job } from '../jobspec/types.js';
import type { AllocMetric } from './allocMetric.js';
import type { AllocatedResources } from './resources.js';

/** Desired status (server side). */
export type AllocDesiredStatus = 'run' | 'stop' | 'evict';
export const ALLOC_DESIRED_STATUS_RUN = 'run';
export const ALLOC_DESIRED_STATUS_STOP = 'stop';
export const ALLOC_DESIRED_STATUS_EVICT = 'evict';

/** Client status (reported by the node). */
export type AllocClientStatus = 'pending' | 'running' | 'complete' | 'failed' | 'lost' | 'unknown';
export const ALLOC_CLIENT_STATUS_PENDING = 'pending';
export const ALLOC_CLIENT_STATUS_RUNNING = 'running';
export const ALLOC_CLIENT_STATUS_COMPLETE = 'complete';
export const ALLOC_CLIENT_STATUS_FAILED = 'failed';
export const ALLOC_CLIENT_STATUS_LOST = 'lost';
export const ALLOC_CLIENT_STATUS_UNKNOWN = 'unknown';

/** Task state strings. */
export type TaskStateValue = 'pending' | 'running' | 'dead';
export const TASK_STATE_PENDING = 'pending';
export const TASK_STATE_RUNNING = 'running';
export const TASK_STATE_DEAD = 'dead';

/** One event in a task's life (`Started`, `Terminated`, `Restarting`, …). Times in ns. */
export interface TaskEvent {
  type: string;
  time: number;
  message: string;
  displayMessage: string;
  details: Record<string, string>;
  failsTask: boolean;
  restartReason: string;
  exitCode: number;
  signal: number;
  killTimeout: number;
  killReason: string;
  startDelay: number;
  driverError: string;
}

/** The state of one task; times are ns since the epoch, 0 when not yet. */
export interface TaskState {
  state: TaskStateValue | string;
  failed: boolean;
  restarts: number;
  lastRestart: number;
  startedAt: number;
  finishedAt: number;
  events: TaskEvent[];
}

/** Health of an allocation within a deployment. */
export interface AllocDeploymentStatus {
  /** undefined until health is known. */
  healthy?: boolean | undefined;
  timestamp: number;
  canary: boolean;
  modifyIndex: number;
}

/** Server-set wishes the scheduler acts on (migrate off a draining node, reschedule now). */
export interface DesiredTransition {
  migrate?: boolean | undefined;
  reschedule?: boolean | undefined;
  forceReschedule?: boolean | undefined;
  noShutdownDelay?: boolean | undefined;
}

/** One past reschedule: when, from which allocation and node, after what delay (ns). */
export interface RescheduleEvent {
  rescheduleTime: number;
  prevAllocId: string;
  prevNodeId: string;
  delay: number;
}

/** Past reschedules of the allocation chain. */
export interface RescheduleTracker {
  events: RescheduleEvent[];
  lastReschedule: string;
}

/** An allocation. */
export interface Allocation {
  id: string;
  namespace: string;
  evalId: string;
  /** `<job>.<group>[<index>]`. */
  name: string;
  nodeId: string;
  nodeName: string;
  jobId: string;
  job?: Job | undefined;
  taskGroup: string;
  allocatedResources?: AllocatedResources | undefined;
  metrics?: AllocMetric | undefined;
  desiredStatus: AllocDesiredStatus | string;
  desiredDescription: string;
  desiredTransition: DesiredTransition;
  clientStatus: AllocClientStatus | string;
  clientDescription: string;
  taskStates: Record<string, TaskState>;
  previousAllocation: string;
  nextAllocation: string;
  deploymentId: string;
  deploymentStatus?: AllocDeploymentStatus | undefined;
  rescheduleTracker?: RescheduleTracker | undefined;
  followupEvalId: string;
  preemptedAllocations: string[];
  preemptedByAllocation: string;
  createIndex: number;
  modifyIndex: number;
  allocModifyIndex: number;
  /** ns since the epoch. */
  createTime: number;
  modifyTime: number;
}

// Allocations whose ID a scheduler has just drawn: no state holds them yet, so the context, the
// plan applier and the reducer can skip looking them up (a B+ tree descent on random UUIDs each,
// a fifth of the plan path at a million allocations). Keyed by object: a copy is not "new".
const fresh = new WeakSet<Allocation>();

/** Marks an allocation the scheduler created with a newly drawn ID. Returns it. */
export function markNewAllocation<A extends Allocation>(alloc: A): A {
  fresh.add(alloc);
  return alloc;
}

/** Whether `alloc` is an object marked by {@link markNewAllocation} (so no state holds its ID). */
export function isNewAllocation(alloc: Allocation): boolean {
  return fresh.has(alloc);
}

// Shared by every allocation that never set them (most never do): three objects fewer per
// allocation at a million allocations. Frozen, so an accidental in-place write fails loudly.
const NO_TRANSITION = Object.freeze({}) as Allocation['desiredTransition'];
const NO_TASK_STATES = Object.freeze({}) as Allocation['taskStates'];
const NO_PREEMPTED = Object.freeze([]) as unknown as Allocation['preemptedAllocations'];

/** The fields a scheduler decides for a new allocation; everything else starts at its zero value. */
export interface NewAllocationFields {
  id: string;
  namespace: string;
  evalId: string;
  name: string;
  jobId: string;
  taskGroup: string;
  nodeId: string;
  nodeName: string;
  deploymentId: string;
  allocatedResources: AllocatedResources | undefined;
  metrics: AllocMetric | undefined;
  /** createTime and modifyTime, ns since the epoch. */
  now: number;
}

/**
 * A desired-run, client-pending allocation. One literal with every field (optional ones too), so
 * all allocations share one object shape with in-object fields: copies stay cheap and small,
 * which matters at a million allocations. Pure.
 */
export function newAllocation(f: NewAllocationFields): Allocation {
  return {
    id: f.id,
    namespace: f.namespace,
    evalId: f.evalId,
    name: f.name,
    nodeId: f.nodeId,
    nodeName: f.nodeName,
    jobId: f.jobId,
    job: undefined,
    taskGroup: f.taskGroup,
    allocatedResources: f.allocatedResources,
    metrics: f.metrics,
    desiredStatus: 'run',
    desiredDescription: '',
    desiredTransition: NO_TRANSITION,
    clientStatus: 'pending',
    clientDescription: '',
    taskStates: NO_TASK_STATES,
    previousAllocation: '',
    nextAllocation: '',
    deploymentId: f.deploymentId,
    deploymentStatus: undefined,
    rescheduleTracker: undefined,
    followupEvalId: '',
    preemptedAllocations: NO_PREEMPTED,
    preemptedByAllocation: '',
    createIndex: 0,
    modifyIndex: 0,
    allocModifyIndex: 0,
    createTime: f.now,
    modifyTime: f.now,
  };
}

/** An allocation with every field at its zero value, to spread overrides onto. Pure. */
export function emptyAllocation(): Allocation {
  return newAllocation({
    id: '',
    namespace: '',
    evalId: '',
    name: '',
    jobId: '',
    taskGroup: '',
    nodeId: '',
    nodeName: '',
    deploymentId: '',
    allocatedResources: undefined,
    metrics: undefined,
    now: 0,
  });
}

/** The server has asked the allocation to stop or be evicted. Pure. */
export function isServerTerminal(a: Allocation): boolean {
  return a.desiredStatus === 'stop' || a.desiredStatus === 'evict';
}

/** The client reports complete, failed or lost. Pure. */
export function isClientTerminal(a: Pick<Allocation, 'clientStatus'>): boolean {
  return a.clientStatus === 'complete' || a.clientStatus === 'failed' || a.clientStatus === 'lost';
}

/** Either side is terminal (Nomad's TerminalStatus): the allocation holds nothing. Pure. */
export function isTerminal(a: Allocation): boolean {
  const d = a.desiredStatus;
  if (d === 'stop' || d === 'evict') return true;
  const c = a.clientStatus;
  return c === 'complete' || c === 'failed' || c === 'lost';
}

/** cpu (MHz), memory (MB) and disk (MB) an allocation holds. Pure. */
export function allocUsage(alloc: Allocation): { cpu: number; memoryMB: number; diskMB: number } {
  const r = alloc.allocatedResources;
  if (!r) return { cpu: 0, memoryMB: 0, diskMB: 0 };
  let cpu = 0;
  let memoryMB = 0;
  for (const name in r.tasks) {
    const t = r.tasks[name]!;
    cpu += t.cpu.cpuShares;
    memoryMB += t.memory.memoryMB;
  }
  return { cpu, memoryMB, diskMB: r.shared.diskMB };
}
