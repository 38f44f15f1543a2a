/**
 * @tsnomad/core — Nomad's scheduling semantics as pure, deterministic functions.
 *
 * Exports are listed by name, module by module; nothing internal leaks through `export *`.
 */
export { VERSION } from './version.js';

// --- jobspec: Job, TaskGroup, Task types, canonicalizeJob, validateJob ---
export { JOB_TYPE_BATCH, JOB_TYPE_SERVICE, JOB_TYPE_SYSBATCH, JOB_TYPE_SYSTEM } from './jobspec/types.js';
export { canonicalizeJob } from './jobspec/canonicalize.js';
export { validateJob } from './jobspec/validate.js';
export type { ValidationProblem } from './jobspec/validate.js';
export {
  DEFAULT_AFFINITY_WEIGHT,
  DEFAULT_CPU_MHZ,
  DEFAULT_KILL_TIMEOUT,
  DEFAULT_MEMORY_MB,
  DEFAULT_NAMESPACE,
  DEFAULT_NODE_POOL,
  DEFAULT_PRIORITY,
  DEFAULT_REGION,
  DEFAULT_SPREAD_WEIGHT,
  defaultEphemeralDisk,
  defaultLogConfig,
  defaultMigrateStrategy,
  defaultReschedulePolicy,
  defaultRestartPolicy,
  defaultUpdateStrategy,
} from './jobspec/defaults.js';
export type {
  Affinity,
  ChangeScript,
  CheckRestart,
  CNIConfig,
  Constraint,
  ConsulConnect,
  CSIMountOptions,
  DeepPartial,
  DisconnectStrategy,
  DispatchPayloadConfig,
  DNSConfig,
  EphemeralDisk,
  Job,
  JobInput,
  JobStatus,
  JobType,
  LogConfig,
  MigrateStrategy,
  Multiregion,
  MultiregionRegion,
  MultiregionStrategy,
  NetworkResource,
  NUMAResource,
  ParameterizedJobConfig,
  PeriodicConfig,
  Port,
  RequestedDevice,
  ReschedulePolicy,
  Resources,
  RestartPolicy,
  ScalingPolicy,
  Service,
  ServiceCheck,
  Spread,
  SpreadTarget,
  Task,
  TaskArtifact,
  TaskCSIPluginConfig,
  TaskGroup,
  TaskGroupInput,
  TaskInput,
  TaskLifecycle,
  Template,
  UpdateStrategy,
  Vault,
  VolumeMount,
  VolumeRequest,
  WaitConfig,
} from './jobspec/types.js';
export type {
  ConsulConfig,
  JobUIConfig,
  ServiceWeights,
  TaskAction,
  TaskSchedule,
  TaskSecret,
  WorkloadIdentity,
} from './jobspec/types.js';

// --- structs: Node, Allocation, Evaluation, Deployment, Plan, resources ---
export {
  NODE_POOL_ALL,
  NODE_POOL_DEFAULT,
  NODE_SCHEDULING_ELIGIBLE,
  NODE_SCHEDULING_INELIGIBLE,
  NODE_STATUS_DISCONNECTED,
  NODE_STATUS_DOWN,
  NODE_STATUS_INIT,
  NODE_STATUS_READY,
} from './structs/node.js';
export type {
  ClientHostVolumeConfig,
  CSIControllerInfo,
  CSIInfo,
  CSINodeInfo,
  DeviceAttribute,
  DrainStrategy,
  DriverInfo,
  Node,
  NodeDevice,
  NodeDeviceResource,
  NodeNetworkAddress,
  NodeNetworkResource,
  NodeReservedResources,
  NodeResources,
  NodeSchedulingEligibility,
  NodeStatus,
} from './structs/node.js';
export {
  ALLOC_CLIENT_STATUS_COMPLETE,
  ALLOC_CLIENT_STATUS_FAILED,
  ALLOC_CLIENT_STATUS_LOST,
  ALLOC_CLIENT_STATUS_PENDING,
  ALLOC_CLIENT_STATUS_RUNNING,
  ALLOC_CLIENT_STATUS_UNKNOWN,
  ALLOC_DESIRED_STATUS_EVICT,
  ALLOC_DESIRED_STATUS_RUN,
  ALLOC_DESIRED_STATUS_STOP,
  TASK_STATE_DEAD,
  TASK_STATE_PENDING,
  TASK_STATE_RUNNING,
  emptyAllocation,
  newAllocation,
} from './structs/allocation.js';
export type {
  NewAllocationFields,
  AllocClientStatus,
  AllocDeploymentStatus,
  AllocDesiredStatus,
  Allocation,
  DesiredTransition,
  RescheduleEvent,
  RescheduleTracker,
  TaskEvent,
  TaskState,
  TaskStateValue,
} from './structs/allocation.js';
export { emptyAllocMetric } from './structs/allocMetric.js';
export type { AllocMetric, NodeScoreMeta } from './structs/allocMetric.js';
export { emptyComparableResources } from './structs/resources.js';
export { allocsFit } from './structs/allocsFit.js';
export type { AllocsFitOptions, AllocsFitResult } from './structs/allocsFit.js';
export type {
  AllocatedCpuResources,
  AllocatedDeviceResource,
  AllocatedMemoryResources,
  AllocatedPortMapping,
  AllocatedResources,
  AllocatedSharedResources,
  AllocatedTaskResources,
  ComparableResources,
  TaskLifecycleConfig,
} from './structs/resources.js';
export {
  EVAL_STATUS_BLOCKED,
  EVAL_STATUS_CANCELLED,
  EVAL_STATUS_COMPLETE,
  EVAL_STATUS_FAILED,
  EVAL_STATUS_PENDING,
  EVAL_TRIGGER_ALLOC_RESCHEDULE,
  EVAL_TRIGGER_ALLOC_STOP,
  EVAL_TRIGGER_DEPLOYMENT_WATCHER,
  EVAL_TRIGGER_FAILED_FOLLOW_UP,
  EVAL_TRIGGER_JOB_DEREGISTER,
  EVAL_TRIGGER_JOB_REGISTER,
  EVAL_TRIGGER_MAX_DISCONNECT_TIMEOUT,
  EVAL_TRIGGER_MAX_PLANS,
  EVAL_TRIGGER_NODE_DRAIN,
  EVAL_TRIGGER_NODE_UPDATE,
  EVAL_TRIGGER_PERIODIC_JOB,
  EVAL_TRIGGER_PREEMPTION,
  EVAL_TRIGGER_QUEUED_ALLOCS,
  EVAL_TRIGGER_RECONNECT,
  EVAL_TRIGGER_RETRY_FAILED_ALLOC,
  EVAL_TRIGGER_ROLLING_UPDATE,
  EVAL_TRIGGER_SCALING,
  EVAL_TRIGGER_SCHEDULED,
  newEvaluation,
} from './structs/evaluation.js';
export type { EvalStatus, EvalTrigger, Evaluation, NewEvaluationOptions } from './structs/evaluation.js';
export {
  DEPLOYMENT_STATUS_BLOCKED,
  DEPLOYMENT_STATUS_CANCELLED,
  DEPLOYMENT_STATUS_FAILED,
  DEPLOYMENT_STATUS_INITIALIZING,
  DEPLOYMENT_STATUS_PAUSED,
  DEPLOYMENT_STATUS_PENDING,
  DEPLOYMENT_STATUS_RUNNING,
  DEPLOYMENT_STATUS_SUCCESSFUL,
  DEPLOYMENT_STATUS_UNBLOCKING,
} from './structs/deployment.js';
export type {
  Deployment,
  DeploymentState,
  DeploymentStatus,
  DeploymentStatusUpdate,
} from './structs/deployment.js';
export { emptyDesiredUpdates } from './structs/plan.js';
export type { DesiredUpdates, Plan, PlanAnnotations } from './structs/plan.js';

// --- util: seeded RNG, clock, Go durations ---
export { createRng, seedFromString, uuid } from './util/rng.js';
export type { Rng, Seed } from './util/rng.js';
export { ManualClock } from './util/clock.js';
export type { Clock } from './util/clock.js';
export {
  formatGoDuration,
  HOUR,
  MICROSECOND,
  MILLISECOND,
  MINUTE,
  NANOSECOND,
  parseGoDuration,
  SECOND,
} from './util/duration.js';

// --- api: Nomad API JSON codecs ---
export {
  decodeAllocation,
  decodeDeployment,
  decodeEvaluation,
  decodeJob,
  decodeNode,
  decodeStoredJob,
  encodeAllocation,
  encodeDeployment,
  encodeEvaluation,
  encodeJob,
  encodeNode,
} from './api/codec.js';
export type { DecodeResult } from './api/codec.js';
export type { DecodeError } from './api/wire.js';

// --- scheduler: feasibility, ranking, selection, preemption ---
export { createSnapshot } from './scheduler/snapshot.js';
export type { SchedulerSnapshot, SnapshotInput } from './scheduler/snapshot.js';
export { EvalContext, emptyPlan, notePlanWrite, trackPlanWrites } from './scheduler/context.js';
export type { PlacementConfig } from './scheduler/context.js';
export { createStack, readyNodesForJob, Stack } from './scheduler/stack.js';
export type { Selection, SelectOptions, StackKind } from './scheduler/stack.js';
export { createStackPlacer, placementConfigFor } from './scheduler/stackPlacer.js';
export { selectNode } from './scheduler/selectNode.js';
export type { NodeChoice, SelectNodeOptions } from './scheduler/selectNode.js';
export { checkConstraint } from './scheduler/feasible/checkConstraint.js';
export type { ConstraintOperator } from './scheduler/feasible/checkConstraint.js';
export { resolveTarget } from './scheduler/feasible/resolveTarget.js';
export { versionMatches } from './scheduler/feasible/version.js';
export { scoreFit, fitScore } from './scheduler/rank/fitScore.js';
export type { SchedulerAlgorithm, UsedResources } from './scheduler/rank/fitScore.js';
export { preemptForTaskGroup, basicResourceDistance } from './scheduler/preempt/preemptForTaskGroup.js';
export type { PreemptionCandidate, ResourceVector } from './scheduler/preempt/preemptForTaskGroup.js';

// --- scheduler: reconcile and schedule() ---
export { schedule } from './scheduler/schedule.js';
export type { ScheduleOptions, ScheduleResult } from './scheduler/schedule.js';
export type {
  Placer,
  PlacerFactory,
  PlacementOption,
  PlacementRequest,
  SchedulerContext,
} from './scheduler/scheduleContext.js';
export {
  reconcileCluster,
  computePlacements,
  ALLOC_STATUS,
  DEPLOYMENT_DESC,
} from './scheduler/reconcile/reconcileCluster.js';
export type {
  ClusterReconcileInput,
  ClusterReconcileResult,
  PlaceRequest,
  StopRequest,
  AllocUpdateDecision,
  AllocUpdateFn,
} from './scheduler/reconcile/reconcileCluster.js';
export { reconcileNodes, materializeSystemTaskGroups } from './scheduler/reconcile/reconcileNode.js';
export type {
  NodeReconcileInput,
  NodeReconcileResult,
  AllocTuple,
} from './scheduler/reconcile/reconcileNode.js';
export { tasksUpdated } from './scheduler/reconcile/tasksUpdated.js';
export { AllocNameIndex, allocName, allocIndexFromName } from './scheduler/reconcile/allocNameIndex.js';
export { nextDelay, rescheduleInfo, nextRescheduleTimeFrom } from './scheduler/reconcile/reschedule.js';
export {
  nextRescheduleTime,
  classifyAllocs,
  filterByRescheduleable,
} from './scheduler/reconcile/allocFilters.js';
export { carriedRescheduleEvents } from './scheduler/generic.js';
export {
  taskGroupUpdates,
  formatTaskGroupUpdates,
  annotateCountChange,
  annotateTask,
  UPDATE_TYPE,
  ANNOTATION,
} from './scheduler/annotate.js';

// --- state, server, raft: the control plane ---
export { Table, TableWriter } from './state/table.js';
export type { IndexDef } from './state/table.js';
export type { NodeUsage } from './state/nodeUsage.js';
export { StateSnapshot, DEFAULT_SCHEDULER_CONFIGURATION, emptyTables, nsKey } from './state/stateSnapshot.js';
export type {
  JobScalingEvents,
  JobSummary,
  KeyedObject,
  PeriodicLaunch,
  ScalingEvent,
  SchedulerConfiguration,
  StateTables,
  TableName,
  TaskGroupSummary,
} from './state/stateSnapshot.js';
export type * as StateCommands from './state/commands.js';
export type { Command, ClientAllocUpdate } from './state/commands.js';
export { namespaceValidationError } from './state/namespaces.js';
export type { Namespace } from './state/namespaces.js';
export {
  applyCommand,
  allocTerminal,
  clientTerminal,
  deploymentActive,
  JOB_TRACKED_VERSIONS,
  JOB_TRACKED_SCALING_EVENTS,
} from './state/reducer.js';
export type { ApplyResult, Effects } from './state/reducer.js';
export { serializeState, restoreState } from './state/persist.js';
export type { SerializedState } from './state/persist.js';
export { mockAlloc, mockEval, mockJob, mockNode, mockTask, mockTaskGroup } from './simulate/mock.js';
export type { MockNodeOptions } from './simulate/mock.js';
export { createSingleNodeConsensus } from './raft/consensus.js';
export { createEvalBroker, DEFAULT_EVAL_BROKER_CONFIG, FAILED_QUEUE } from './server/evalBroker.js';
export type {
  BrokerError,
  BrokerEval,
  BrokerStats,
  Delivery,
  EvalBroker,
  EvalBrokerConfig,
} from './server/evalBroker.js';
export { createBlockedEvals } from './server/blockedEvals.js';
export type { BlockableEval, BlockedEvals, BlockedStats } from './server/blockedEvals.js';
export { createPlanApplier, evaluateNodePlan, evaluatePlan } from './server/planApplier.js';
export type { PlanApplier, PlanApplierHost, PlanResult } from './server/planApplier.js';
export {
  runWorkerOnce,
  DEFAULT_SCHEDULERS,
  MAX_BATCH_SCHEDULE_ATTEMPTS,
  MAX_SERVICE_SCHEDULE_ATTEMPTS,
} from './server/worker.js';
export type { WorkerHost, WorkerStep } from './server/worker.js';
export { createHeartbeats, DEFAULT_HEARTBEAT_CONFIG, newEval, nodeUpdateEvals } from './server/heartbeats.js';
export type { HeartbeatConfig, Heartbeats } from './server/heartbeats.js';
export {
  watchDeployments,
  failDeployment,
  latestStableBefore,
  DEPLOYMENT_DESCRIPTIONS,
} from './server/deploymentWatcher.js';
export type { DeploymentWatcherMemory } from './server/deploymentWatcher.js';
export { drainStep, drainDeadlinePassed } from './server/drainer.js';
export {
  periodicStep,
  nextLaunch,
  nextPeriodicDue,
  periodicChild,
  periodicConfigError,
} from './server/periodic.js';
export { gcStep, DEFAULT_GC_CONFIG } from './server/gc.js';
export type { GcConfig } from './server/gc.js';
export { dispatchChild, scaledJob } from './server/jobOps.js';
export { createControlPlane } from './server/controlPlane.js';
export type { ControlPlane, ControlPlaneOptions, WriteResult } from './server/controlPlane.js';
export { createSimulation } from './simulate/simulate.js';
export type { ClientBehavior, Simulation, SimulationOptions } from './simulate/simulate.js';
export type {
  Committed,
  Consensus,
  Leadership,
  LogEntry,
  SingleNodeConsensus,
  SingleNodeOptions,
  StateMachine,
} from './raft/consensus.js';
// --- raft: the replicated Consensus, its step machine and pluggable edges (docs/consensus.md) ---
export { createRaftConsensus } from './raft/raftConsensus.js';
export type { Proposal, RaftConsensus, RaftConsensusOptions, RaftStatus } from './raft/raftConsensus.js';
export { RaftNode, bootstrapState } from './raft/raft.js';
export type { DropReason, RaftConfig, RaftStoredState } from './raft/raft.js';
export { createMemoryLogStore, createMemorySnapshotStore } from './raft/storage.js';
export type { LogStore, SnapshotStore } from './raft/storage.js';
export { createMemoryNetwork } from './raft/transport.js';
export type { MemoryNetwork, Transport as RaftTransport } from './raft/transport.js';
export { createManualScheduler } from './raft/scheduler.js';
export type { ManualScheduler, Scheduler as RaftScheduler } from './raft/scheduler.js';
export type {
  ConfChange as RaftConfChange,
  ConfState as RaftConfState,
  Entry as RaftEntry,
  HardState as RaftHardState,
  Message as RaftMessage,
  Ready as RaftReady,
  ReadState as RaftReadState,
  Snapshot as RaftSnapshot,
} from './raft/messages.js';

// --- placement gaps: CSI volumes (struct, claim rules, checker), device affinity score ---
export {
  CSI_ACCESS_MODE_MULTI_NODE_MULTI_WRITER,
  CSI_ACCESS_MODE_MULTI_NODE_READER,
  CSI_ACCESS_MODE_MULTI_NODE_SINGLE_WRITER,
  CSI_ACCESS_MODE_SINGLE_NODE_READER,
  CSI_ACCESS_MODE_SINGLE_NODE_WRITER,
  CSI_ATTACHMENT_MODE_BLOCK_DEVICE,
  CSI_ATTACHMENT_MODE_FILESYSTEM,
  CSI_CLAIM_GC,
  CSI_CLAIM_READ,
  CSI_CLAIM_STATE_READY_TO_FREE,
  CSI_CLAIM_STATE_TAKEN,
  CSI_CLAIM_WRITE,
  allocSuffix,
  claimCSIVolume,
  csiHasFreeReadClaims,
  csiHasFreeWriteClaims,
  csiReadSchedulable,
  csiTopologyMatchFound,
  csiVolumeInUse,
  csiVolumeValidationError,
  csiWriteSchedulable,
} from './structs/csiVolume.js';
export type {
  CSITopology,
  CSITopologyRequest,
  CSIVolume,
  CSIVolumeCapability,
  CSIVolumeClaim,
} from './structs/csiVolume.js';
export { CSIVolumeChecker, csiFilter } from './scheduler/feasible/csiVolumes.js';
export { deviceAffinityScore, deviceOffer } from './scheduler/rank/deviceOffer.js';
export type { DeviceOffer } from './scheduler/rank/deviceOffer.js';
