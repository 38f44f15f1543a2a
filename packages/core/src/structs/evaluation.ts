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
  triggeredBy: EvalTrigger | string;
  jobId: string;
  jobModifyIndex: number;
  nodeId: string;
  nodeModifyIndex: number;
  deploymentId: string;
  status: EvalStatus | string;
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
