/**
 * A deployment: the rollout of one job version, with per-group progress (canaries, healthy
 * and unhealthy counts, promotion, progress deadline).
 */

/** Deployment status strings. */
export type DeploymentStatus =
  | 'running'
  | 'paused'
  | 'failed'
  | 'successful'
  | 'cancelled'
  | 'initializing'
  | 'pending'
  | 'blocked'
  | 'unblocking';
export const DEPLOYMENT_STATUS_RUNNING = 'running';
export const DEPLOYMENT_STATUS_PAUSED = 'paused';
export const DEPLOYMENT_STATUS_FAILED = 'failed';
export const DEPLOYMENT_STATUS_SUCCESSFUL = 'successful';
export const DEPLOYMENT_STATUS_CANCELLED = 'cancelled';
export const DEPLOYMENT_STATUS_INITIALIZING = 'initializing';
export const DEPLOYMENT_STATUS_PENDING = 'pending';
export const DEPLOYMENT_STATUS_BLOCKED = 'blocked';
export const DEPLOYMENT_STATUS_UNBLOCKING = 'unblocking';

/** Progress of one task group within a deployment. Durations / times in ns. */
export interface DeploymentState {
  autoRevert: boolean;
  autoPromote: boolean;
  progressDeadline: number;
  /** Absolute time (ns since epoch) by which a new healthy allocation is needed; 0 = unset. */
  requireProgressBy: number;
  promoted: boolean;
  placedCanaries: string[];
  desiredCanaries: number;
  desiredTotal: number;
  placedAllocs: number;
  healthyAllocs: number;
  unhealthyAllocs: number;
}

/** A deployment. */
export interface Deployment {
  id: string;
  namespace: string;
  jobId: string;
  jobVersion: number;
  jobModifyIndex: number;
  jobSpecModifyIndex: number;
  jobCreateIndex: number;
  isMultiregion: boolean;
  taskGroups: Record<string, DeploymentState>;
  status: DeploymentStatus | string;
  statusDescription: string;
  evalPriority: number;
  createIndex: number;
  modifyIndex: number;
  createTime: number;
  modifyTime: number;
}

/** A status change of a deployment carried in a plan. */
export interface DeploymentStatusUpdate {
  deploymentId: string;
  status: string;
  statusDescription: string;
}
