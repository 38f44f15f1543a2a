/**
 * `@tsnomad/core/scheduler`: the scheduler's building blocks — the evaluation context and the
 * stack, feasibility checkers, rank scorers, limit and max-score selection, preemption, the
 * reconcilers, reschedule rules, constraint and version matching — for embedders who compose
 * their own placement. Most callers need only `schedule` / `selectNode` from the root.
 */
export { createSnapshot } from '../scheduler/snapshot.js';
export type { SchedulerSnapshot, SnapshotInput } from '../scheduler/snapshot.js';
export { EvalContext, emptyPlan } from '../scheduler/context.js';
export type { PlacementConfig } from '../scheduler/context.js';
export { createStack, createStackPlacer, Stack } from '../scheduler/stack.js';
export { readyNodesInDCsAndPool } from '../scheduler/feasible/readyNodes.js';
export type { StackKind } from '../scheduler/stack.js';
export { placementConfigFor } from '../scheduler/scheduleContext.js';
export { selectNode } from '../scheduler/selectNode.js';
export type { SelectNodeOptions } from '../scheduler/selectNode.js';
export { checkConstraint } from '../scheduler/feasible/checkConstraint.js';
export type { ConstraintOperator } from '../scheduler/feasible/checkConstraint.js';
export { resolveTarget } from '../scheduler/feasible/resolveTarget.js';
export { versionMatches } from '../scheduler/feasible/version.js';
export { scoreFit, fitScore } from '../scheduler/rank/fitScore.js';
export type { SchedulerAlgorithm, UsedResources } from '../scheduler/rank/fitScore.js';
export { preemptForTaskGroup, basicResourceDistance } from '../scheduler/preempt/preemptForTaskGroup.js';
export type { PreemptionCandidate, ResourceVector } from '../scheduler/preempt/preemptForTaskGroup.js';
export { schedule } from '../scheduler/schedule.js';
export type { ScheduleOptions, ScheduleResult } from '../scheduler/schedule.js';
export type { Placement, PlacementRequest, Placer } from '../scheduler/placement.js';
export type { PlacerFactory } from '../scheduler/scheduleContext.js';
export type { SchedulerContext } from '../scheduler/scheduleContext.js';
export {
  reconcileCluster,
  computePlacements,
  ALLOC_STATUS,
  DEPLOYMENT_DESC,
} from '../scheduler/reconcile/reconcileCluster.js';
export type {
  ClusterReconcileInput,
  ClusterReconcileResult,
  PlaceRequest,
  StopRequest,
  AllocUpdateDecision,
  AllocUpdateFn,
} from '../scheduler/reconcile/reconcileCluster.js';
export { reconcileNodes, materializeSystemTaskGroups } from '../scheduler/reconcile/reconcileNode.js';
export type {
  NodeReconcileInput,
  NodeReconcileResult,
  AllocTuple,
} from '../scheduler/reconcile/reconcileNode.js';
export { tasksUpdated } from '../scheduler/reconcile/tasksUpdated.js';
export { AllocNameIndex, allocName, allocIndexFromName } from '../scheduler/reconcile/allocNameIndex.js';
export { nextDelay, rescheduleInfo, nextRescheduleTimeFrom } from '../scheduler/reconcile/reschedule.js';
export {
  nextRescheduleTime,
  classifyAllocs,
  filterByRescheduleable,
} from '../scheduler/reconcile/allocFilters.js';
export { carriedRescheduleEvents } from '../scheduler/generic.js';
export {
  taskGroupUpdates,
  formatTaskGroupUpdates,
  annotateCountChange,
  annotateTask,
  UPDATE_TYPE,
  ANNOTATION,
} from '../scheduler/annotate.js';
export { CSIVolumeChecker, csiFilter } from '../scheduler/feasible/csiVolumes.js';
export { deviceAffinityScore, deviceOffer } from '../scheduler/rank/deviceOffer.js';
export type { DeviceOffer } from '../scheduler/rank/deviceOffer.js';
