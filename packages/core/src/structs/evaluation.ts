/**
 * An evaluation: the unit of scheduling work, created when something changes (a job is
 * registered, a node updates, an allocation fails …) and processed by one scheduler run.
 */
import type { AllocMetric } from './allocMetric.js';
import type { PlanAnnotations } from './plan.js';

/** Evaluation status strings (note Nomad's spelling `canceled`). */
export type EvalStatus = 'blocked' | 'pending' | 'complete' | 'failed' | 'canceled';
export const EVAL_STATUS_BLOCKED = 'blocked';
export const EVAL_STATUS_PENDING = 'pending';
export const EVAL_STATUS_COMPLETE = 'complete';
export const EVAL_STATUS_FAILED = 'failed';
export const EVAL_STATUS_CANCELLED = 'canceled';

/** Why an evaluation was created. */
export const EVAL_TRIGGER_JOB_REGISTER = 'job-register';
export const EVAL_TRIGGER_JOB_DEREGISTER = 'job-deregister';
export const EVAL_TRIGGER_PERIODIC_JOB = 'periodic-job';
export const EVAL_TRIGGER_NODE_DRAIN = 'node-drain';
export const EVAL_TRIGGER_NODE_UPDATE = 'node-update';
export const EVAL_TRIGGER_ALLOC_STOP = 'alloc-stop';
export const EVAL_TRIGGER_SCHEDULED = 'scheduled';
export const EVAL_TRIGGER_ROLLING_UPDATE = 'rolling-update';
export const EVAL_TRIGGER_DEPLOYMENT_WATCHER = 'deployment-watcher';
export const EVAL_TRIGGER_FAILED_FOLLOW_UP = 'failed-follow-up';
export const EVAL_TRIGGER_MAX_PLANS = 'max-plan-attempts';
export const EVAL_TRIGGER_RETRY_FAILED_ALLOC = 'alloc-failure';
export const EVAL_TRIGGER_QUEUED_ALLOCS = 'queued-allocs';
export const EVAL_TRIGGER_PREEMPTION = 'preemption';
export const EVAL_TRIGGER_SCALING = 'job-scaling';
export const EVAL_TRIGGER_MAX_DISCONNECT_TIMEOUT = 'max-disconnect-timeout';
export const EVAL_TRIGGER_RECONNECT = 'reconnect';
export const EVAL_TRIGGER_ALLOC_RESCHEDULE = 'alloc-reschedule';

/** Every trigger reason. */
export type EvalTrigger =
  | typeof EVAL_TRIGGER_JOB_REGISTER
  | typeof EVAL_TRIGGER_JOB_DEREGISTER
  | typeof EVAL_TRIGGER_PERIODIC_JOB
  | typeof EVAL_TRIGGER_NODE_DRAIN
  | typeof EVAL_TRIGGER_NODE_UPDATE
  | typeof EVAL_TRIGGER_ALLOC_STOP
  | typeof EVAL_TRIGGER_SCHEDULED
  | typeof EVAL_TRIGGER_ROLLING_UPDATE
  | typeof EVAL_TRIGGER_DEPLOYMENT_WATCHER
  | typeof EVAL_TRIGGER_FAILED_FOLLOW_UP
  | typeof EVAL_TRIGGER_MAX_PLANS
  | typeof EVAL_TRIGGER_RETRY_FAILED_ALLOC
  | typeof EVAL_TRIGGER_QUEUED_ALLOCS
  | typeof EVAL_TRIGGER_PREEMPTION
  | typeof EVAL_TRIGGER_SCALING
  | typeof EVAL_TRIGGER_MAX_DISCONNECT_TIMEOUT
  | typeof EVAL_TRIGGER_RECONNECT
  | typeof EVAL_TRIGGER_ALLOC_RESCHEDULE;

/** An evaluation. Times in ns. */
export interface Evaluation {
  id: string;
  namespace: string;
  priority: number;
  /** The scheduler type: the job type, or `_core` for GC work. */
  type: string;
  triggeredBy: EvalTrigger;
  jobId: string;
  jobModifyIndex: number;
  nodeId: string;
  nodeModifyIndex: number;
  deploymentId: string;
  status: EvalStatus;
  statusDescription: string;
  /** Relative wait before processing (ns). */
  wait: number;
  /** Absolute time (ns since epoch) before which it must not run; 0 = now. */
  waitUntil: number;
  nextEval: string;
  previousEval: string;
  blockedEval: string;
  /** Task group -> why its placements failed. */
  failedTGAllocs: Record<string, AllocMetric>;
  /** Computed node class -> eligible. */
  classEligibility: Record<string, boolean>;
  quotaLimitReached: string;
  escapedComputedClass: boolean;
  /** Non-node resources the placements lacked (`csi-volume:<namespace>:<id>`); their creation unblocks. */
  missingNonNodeResources?: string[] | undefined;
  annotatePlan: boolean;
  planAnnotations?: PlanAnnotations | undefined;
  /** Task group -> allocations still to place. */
  queuedAllocations: Record<string, number>;
  leaderACL: string;
  snapshotIndex: number;
  createIndex: number;
  modifyIndex: number;
  createTime: number;
  modifyTime: number;
}

/** What {@link newEvaluation} needs; every other field starts empty. */
export interface NewEvaluationOptions {
  id: string;
  namespace: string;
  jobId: string;
  priority: number;
  /** The scheduler type (the job type). */
  type: string;
  triggeredBy: EvalTrigger;
  /** Creation time (ns since the epoch). */
  now: number;
  /** Default `pending`. */
  status?: EvalStatus | undefined;
  statusDescription?: string | undefined;
  nodeId?: string | undefined;
  deploymentId?: string | undefined;
  jobModifyIndex?: number | undefined;
  /** Absolute time before which it must not run (ns); 0 = now. */
  waitUntil?: number | undefined;
  /** Relative wait (ns) from when the broker receives it. */
  wait?: number | undefined;
  previousEval?: string | undefined;
}

/**
 * The one constructor of an Evaluation: every field set, so no code path builds a partial one
 * (a missing `queuedAllocations` once made the reducer refuse whole follow-up writes). Pure.
 * @example
 * const e = newEvaluation({ id, namespace: 'default', jobId: 'web', priority: 50,
 *   type: 'service', triggeredBy: 'job-register', now: clock.now() });
 */
export function newEvaluation(o: NewEvaluationOptions): Evaluation {
  return {
    id: o.id,
    namespace: o.namespace,
    priority: o.priority,
    type: o.type,
    triggeredBy: o.triggeredBy,
    jobId: o.jobId,
    jobModifyIndex: o.jobModifyIndex ?? 0,
    nodeId: o.nodeId ?? '',
    nodeModifyIndex: 0,
    deploymentId: o.deploymentId ?? '',
    status: o.status ?? EVAL_STATUS_PENDING,
    statusDescription: o.statusDescription ?? '',
    wait: o.wait ?? 0,
    waitUntil: o.waitUntil ?? 0,
    nextEval: '',
    previousEval: o.previousEval ?? '',
    blockedEval: '',
    failedTGAllocs: {},
    classEligibility: {},
    quotaLimitReached: '',
    escapedComputedClass: false,
    annotatePlan: false,
    queuedAllocations: {},
    leaderACL: '',
    snapshotIndex: 0,
    createIndex: 0,
    modifyIndex: 0,
    createTime: o.now,
    modifyTime: o.now,
  };
}

/**
 * Why an evaluation record cannot be stored (a field missing or of the wrong kind), or ''
 * when it is whole. The reducer refuses a command carrying such a record. Pure.
 */
export function evaluationProblem(e: unknown): string {
  if (typeof e !== 'object' || e === null) return 'not an object';
  const r = e as Record<string, unknown>;
  for (const k of ['id', 'namespace', 'jobId', 'type', 'triggeredBy', 'status'] as const)
    if (typeof r[k] !== 'string') return `${k} must be a string`;
  if (r['id'] === '') return 'id must not be empty';
  for (const k of ['priority', 'waitUntil', 'wait', 'createTime', 'modifyTime'] as const)
    if (typeof r[k] !== 'number' || !Number.isFinite(r[k])) return `${k} must be a finite number`;
  for (const k of ['queuedAllocations', 'failedTGAllocs', 'classEligibility'] as const)
    if (typeof r[k] !== 'object' || r[k] === null) return `${k} must be an object`;
  return '';
}
