/**
 * `@tsnomad/core/structs`: Nomad's shared facts — jobspec types and defaults, Node, Allocation,
 * Evaluation, Deployment, Plan, resources, CSI volumes, their status constants and rules — the
 * Nomad API JSON codecs, the seeded RNG and Go durations.
 */
export { VERSION } from '../version.js';
export { JOB_TYPE_BATCH, JOB_TYPE_SERVICE, JOB_TYPE_SYSBATCH, JOB_TYPE_SYSTEM } from '../jobspec/types.js';
export type {
  ConsulConfig,
  JobUIConfig,
  ServiceWeights,
  TaskAction,
  TaskSchedule,
  TaskSecret,
  WorkloadIdentity,
} from '../jobspec/types.js';
export { canonicalizeJob } from '../jobspec/canonicalize.js';
export { validateJob } from '../jobspec/validate.js';
export type { ValidationProblem } from '../jobspec/validate.js';
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
} from '../jobspec/defaults.js';
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
} from '../jobspec/types.js';
export {
  NODE_POOL_ALL,
  NODE_POOL_DEFAULT,
  NODE_SCHEDULING_ELIGIBLE,
  NODE_SCHEDULING_INELIGIBLE,
  NODE_STATUS_DISCONNECTED,
  NODE_STATUS_DOWN,
  NODE_STATUS_INIT,
  NODE_STATUS_READY,
} from '../structs/node.js';
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
} from '../structs/node.js';
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
} from '../structs/allocation.js';
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
} from '../structs/allocation.js';
export { emptyAllocMetric } from '../structs/allocMetric.js';
export type { AllocMetric, NodeScoreMeta } from '../structs/allocMetric.js';
export { emptyComparableResources } from '../structs/resources.js';
export { allocsFit } from '../structs/allocsFit.js';
export type { AllocsFitOptions, AllocsFitResult } from '../structs/allocsFit.js';
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
} from '../structs/resources.js';
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
} from '../structs/evaluation.js';
export type { EvalStatus, EvalTrigger, Evaluation, NewEvaluationOptions } from '../structs/evaluation.js';
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
} from '../structs/deployment.js';
export type {
  Deployment,
  DeploymentState,
  DeploymentStatus,
  DeploymentStatusUpdate,
} from '../structs/deployment.js';
export { emptyDesiredUpdates } from '../structs/plan.js';
export type { DesiredUpdates, Plan, PlanAnnotations } from '../structs/plan.js';
export { createRng, seedFromString, uuid } from '../util/rng.js';
export type { Rng, Seed } from '../util/rng.js';
export { ManualClock } from '../util/clock.js';
export type { Clock } from '../util/clock.js';
export {
  formatGoDuration,
  HOUR,
  MICROSECOND,
  MILLISECOND,
  MINUTE,
  NANOSECOND,
  parseGoDuration,
  SECOND,
} from '../util/duration.js';
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
} from '../api/codec.js';
export type { DecodeResult } from '../api/codec.js';
export type { DecodeError } from '../api/wire.js';
export { DEFAULT_SCHEDULER_CONFIGURATION } from '../structs/schedulerConfiguration.js';
export type { SchedulerConfiguration } from '../structs/schedulerConfiguration.js';
export type { JobSummary, TaskGroupSummary } from '../structs/jobSummary.js';
export type { JobScalingEvents, ScalingEvent } from '../structs/scalingEvent.js';
export type { Namespace } from '../structs/namespace.js';
export { allocUsage, isClientTerminal, isServerTerminal, isTerminal } from '../structs/allocation.js';
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
} from '../structs/csiVolume.js';
export type {
  CSITopology,
  CSITopologyRequest,
  CSIVolume,
  CSIVolumeCapability,
  CSIVolumeClaim,
} from '../structs/csiVolume.js';
