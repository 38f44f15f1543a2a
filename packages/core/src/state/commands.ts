/**
 * Every change to the replicated state is one of these commands, proposed to the Consensus and
 * applied by {@link applyCommand} with its Raft index. Commands are plain data: IDs and times
 * are chosen by the proposer so that every member applies the same thing.
 */
import type { Job } from '../jobspec/types.js';
import type {
  Allocation,
  AllocDeploymentStatus,
  DesiredTransition,
  TaskState,
} from '../structs/allocation.js';
import type { CSIVolume, CSIVolumeClaim } from '../structs/csiVolume.js';
import type { Deployment, DeploymentStatusUpdate } from '../structs/deployment.js';
import type { Evaluation } from '../structs/evaluation.js';
import type { DrainStrategy, Node } from '../structs/node.js';
import type { SchedulerConfiguration } from '../structs/schedulerConfiguration.js';
import type { ScalingEvent } from '../structs/scalingEvent.js';

/** Register or update a job; stores a new version when the spec changed. */
export interface JobRegisterCommand {
  readonly type: 'JobRegister';
  readonly job: Job;
  /** Evaluation created with the registration (absent for periodic/parameterized parents). */
  readonly evaluation?: Evaluation | undefined;
  /** Check-and-set: refuse unless the job's current modify index equals `jobModifyIndex` (0: must not exist). */
  readonly enforceIndex?: boolean | undefined;
  readonly jobModifyIndex?: number | undefined;
  readonly now: number;
}

/** Stop a job (or purge it with its versions and summary). */
export interface JobDeregisterCommand {
  readonly type: 'JobDeregister';
  readonly namespace: string;
  readonly jobId: string;
  readonly purge: boolean;
  readonly evaluation?: Evaluation | undefined;
  readonly now: number;
}

/** Mark a job version stable (the deployment watcher does it on success). */
export interface JobStabilityCommand {
  readonly type: 'JobStability';
  readonly namespace: string;
  readonly jobId: string;
  readonly version: number;
  readonly stable: boolean;
}

/** Register or re-register a client node. */
export interface NodeRegisterCommand {
  readonly type: 'NodeRegister';
  readonly node: Node;
  readonly evaluations?: readonly Evaluation[] | undefined;
  readonly now: number;
}

/** Remove nodes. */
export interface NodeDeregisterCommand {
  readonly type: 'NodeDeregister';
  readonly nodeIds: readonly string[];
  readonly evaluations?: readonly Evaluation[] | undefined;
}

/** A node's status changes (heartbeat missed: down; back: ready). */
export interface NodeStatusUpdateCommand {
  readonly type: 'NodeStatusUpdate';
  readonly nodeId: string;
  readonly status: string;
  readonly evaluations?: readonly Evaluation[] | undefined;
  readonly now: number;
}

/** Start (strategy set) or stop (strategy absent) draining a node. */
export interface NodeDrainCommand {
  readonly type: 'NodeDrain';
  readonly nodeId: string;
  readonly drainStrategy?: DrainStrategy | undefined;
  /** On drain stop/completion: make the node eligible again. */
  readonly markEligible: boolean;
  readonly evaluations?: readonly Evaluation[] | undefined;
  readonly now: number;
}

/** Set a node's scheduling eligibility. */
export interface NodeEligibilityCommand {
  readonly type: 'NodeEligibility';
  readonly nodeId: string;
  readonly eligibility: string;
  readonly evaluations?: readonly Evaluation[] | undefined;
  readonly now: number;
}

/** What a client reports about one of its allocations. */
export interface ClientAllocUpdate {
  readonly id: string;
  readonly clientStatus: string;
  readonly clientDescription?: string | undefined;
  readonly taskStates?: Readonly<Record<string, TaskState>> | undefined;
  readonly deploymentStatus?: AllocDeploymentStatus | undefined;
}

/** Client-side allocation updates (status, task states, deployment health). */
export interface AllocClientUpdateCommand {
  readonly type: 'AllocClientUpdate';
  readonly allocs: readonly ClientAllocUpdate[];
  readonly evaluations?: readonly Evaluation[] | undefined;
  readonly now: number;
}

/** Server-side transitions requested on allocations (migrate for drains, reschedule). */
export interface AllocDesiredTransitionCommand {
  readonly type: 'AllocDesiredTransition';
  readonly transitions: Readonly<Record<string, DesiredTransition>>;
  readonly evaluations?: readonly Evaluation[] | undefined;
}

/** The verified part of a plan, committed by the plan applier. */
export interface PlanApplyCommand {
  readonly type: 'PlanApply';
  readonly evalId: string;
  readonly job?: Job | undefined;
  /** Allocations to place or update, every one with its node. */
  readonly allocsUpdated: readonly Allocation[];
  /** Allocations to stop (desired status stop/evict with description). */
  readonly allocsStopped: readonly Allocation[];
  readonly allocsPreempted: readonly Allocation[];
  readonly deployment?: Deployment | undefined;
  readonly deploymentUpdates: readonly DeploymentStatusUpdate[];
  /** Evaluations created by preemption. */
  readonly preemptionEvals?: readonly Evaluation[] | undefined;
  readonly now: number;
}

/** Insert or update evaluations (worker results, blocked, canceled). */
export interface EvalUpdateCommand {
  readonly type: 'EvalUpdate';
  readonly evals: readonly Evaluation[];
}

/** Delete evaluations and allocations (core GC). */
export interface EvalDeleteCommand {
  readonly type: 'EvalDelete';
  readonly evalIds: readonly string[];
  readonly allocIds: readonly string[];
}

/** Change a deployment's status; optionally register a job (auto-revert) with an evaluation. */
export interface DeploymentStatusUpdateCommand {
  readonly type: 'DeploymentStatusUpdate';
  readonly update: DeploymentStatusUpdate;
  readonly job?: Job | undefined;
  readonly evaluation?: Evaluation | undefined;
  readonly now: number;
}

/** Promote canaries of some (or all) task groups. */
export interface DeploymentPromoteCommand {
  readonly type: 'DeploymentPromote';
  readonly deploymentId: string;
  /** Empty: all groups. */
  readonly groups: readonly string[];
  readonly evaluation?: Evaluation | undefined;
  readonly now: number;
}

/** Allocation health decided by the deployment watcher (or set manually). */
export interface DeploymentAllocHealthCommand {
  readonly type: 'DeploymentAllocHealth';
  readonly deploymentId: string;
  readonly healthyAllocIds: readonly string[];
  readonly unhealthyAllocIds: readonly string[];
  readonly deploymentUpdate?: DeploymentStatusUpdate | undefined;
  readonly job?: Job | undefined;
  readonly evaluation?: Evaluation | undefined;
  readonly now: number;
}

/** Delete deployments (GC). */
export interface DeploymentDeleteCommand {
  readonly type: 'DeploymentDelete';
  readonly deploymentIds: readonly string[];
}

/** Record a periodic launch. */
export interface PeriodicLaunchCommand {
  readonly type: 'PeriodicLaunch';
  readonly namespace: string;
  readonly jobId: string;
  readonly launch: number;
}

/** Record a scaling event of a task group. */
export interface ScalingEventCommand {
  readonly type: 'ScalingEvent';
  readonly namespace: string;
  readonly jobId: string;
  readonly taskGroup: string;
  readonly event: Omit<ScalingEvent, 'createIndex'>;
}

/** Delete old versions of a job (GC). */
export interface JobVersionsDeleteCommand {
  readonly type: 'JobVersionsDelete';
  readonly namespace: string;
  readonly jobId: string;
  readonly versions: readonly number[];
}

/** Replace the scheduler configuration. */
export interface SchedulerConfigCommand {
  readonly type: 'SchedulerConfig';
  readonly config: SchedulerConfiguration;
}

/** Upsert or delete an object in a generic table (variables, namespaces, ACL). */
export interface ObjectUpsertCommand {
  readonly type: 'ObjectUpsert';
  readonly table: 'variables' | 'namespaces' | 'aclPolicies' | 'aclTokens';
  readonly key: string;
  /** `undefined` deletes. */
  readonly value: unknown;
}

/** Create or update namespaces (`nomad namespace apply`); refused whole when one is invalid. */
export interface NamespaceUpsertCommand {
  readonly type: 'NamespaceUpsert';
  readonly namespaces: readonly {
    readonly name: string;
    readonly description?: string | undefined;
    readonly meta?: Readonly<Record<string, string>> | undefined;
  }[];
}

/** Delete namespaces (`nomad namespace delete`); refused whole, as Nomad refuses it. */
export interface NamespaceDeleteCommand {
  readonly type: 'NamespaceDelete';
  readonly names: readonly string[];
}

/** Register or update CSI volumes (refused whole when one is invalid or changes identity). */
export interface CSIVolumeRegisterCommand {
  readonly type: 'CSIVolumeRegister';
  readonly volumes: readonly CSIVolume[];
  readonly now: number;
}

/** Remove CSI volumes; claimed ones only with `force` and when every claimer is terminal. */
export interface CSIVolumeDeregisterCommand {
  readonly type: 'CSIVolumeDeregister';
  readonly namespace: string;
  readonly volumeIds: readonly string[];
  readonly force: boolean;
}

/** Take or release one allocation's claim on a CSI volume. */
export interface CSIVolumeClaimCommand {
  readonly type: 'CSIVolumeClaim';
  readonly namespace: string;
  readonly volumeId: string;
  readonly claim: CSIVolumeClaim;
  readonly now: number;
}

/** Every state command. */
export type Command =
  | JobRegisterCommand
  | JobDeregisterCommand
  | JobStabilityCommand
  | JobVersionsDeleteCommand
  | NodeRegisterCommand
  | NodeDeregisterCommand
  | NodeStatusUpdateCommand
  | NodeDrainCommand
  | NodeEligibilityCommand
  | AllocClientUpdateCommand
  | AllocDesiredTransitionCommand
  | PlanApplyCommand
  | EvalUpdateCommand
  | EvalDeleteCommand
  | DeploymentStatusUpdateCommand
  | DeploymentPromoteCommand
  | DeploymentAllocHealthCommand
  | DeploymentDeleteCommand
  | PeriodicLaunchCommand
  | ScalingEventCommand
  | SchedulerConfigCommand
  | ObjectUpsertCommand
  | NamespaceUpsertCommand
  | NamespaceDeleteCommand
  | CSIVolumeRegisterCommand
  | CSIVolumeDeregisterCommand
  | CSIVolumeClaimCommand;
