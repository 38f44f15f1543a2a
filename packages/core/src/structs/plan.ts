/**
 * A plan: what one scheduler run wants to change — allocations to stop or update per node,
 * new allocations per node, preemptions, and deployment changes — plus annotations for
 * `job plan`.
 */
import type { Job } from '../jobspec/types.js';
import type { Allocation } from './allocation.js';
import type { Deployment, DeploymentStatusUpdate } from './deployment.js';

/** What the reconciler decided for one task group, counted (for `nomad job plan`). */
export interface DesiredUpdates {
  ignore: number;
  place: number;
  migrate: number;
  stop: number;
  inPlaceUpdate: number;
  destructiveUpdate: number;
  canary: number;
  preemptions: number;
  disconnect: number;
  reconnect: number;
  rescheduleNow: number;
  rescheduleLater: number;
}

/** What `nomad job plan` shows: per-group counts and the allocations that would be preempted. */
export interface PlanAnnotations {
  desiredTGUpdates: Record<string, DesiredUpdates>;
  preemptedAllocs: Allocation[];
}

/** A plan submitted to the plan applier. */
export interface Plan {
  evalId: string;
  evalToken: string;
  priority: number;
  allAtOnce: boolean;
  job?: Job | undefined;
  /** Node ID -> allocations to stop / evict / mark lost. */
  nodeUpdate: Record<string, Allocation[]>;
  /** Node ID -> allocations to place or update in place. */
  nodeAllocation: Record<string, Allocation[]>;
  /** Node ID -> allocations evicted to make room. */
  nodePreemptions: Record<string, Allocation[]>;
  annotations?: PlanAnnotations | undefined;
  /** A deployment created or updated by this plan. */
  deployment?: Deployment | undefined;
  deploymentUpdates: DeploymentStatusUpdate[];
  snapshotIndex: number;
}

/** An empty DesiredUpdates. Pure. */
export function emptyDesiredUpdates(): DesiredUpdates {
  return {
    ignore: 0,
    place: 0,
    migrate: 0,
    stop: 0,
    inPlaceUpdate: 0,
    destructiveUpdate: 0,
    canary: 0,
    preemptions: 0,
    disconnect: 0,
    reconnect: 0,
    rescheduleNow: 0,
    rescheduleLater: 0,
  };
}
