/**
 * `@tsnomad/core/server`: the control plane's parts on an injected clock — eval broker, blocked
 * evaluations, plan applier, worker, heartbeats, deployment watcher, drainer, periodic
 * dispatcher, GC — and the Consensus interface with its single-node log.
 */
export { createSingleNodeConsensus } from '../raft/consensus.js';
export { createEvalBroker, DEFAULT_EVAL_BROKER_CONFIG, FAILED_QUEUE } from '../server/evalBroker.js';
export type {
  BrokerError,
  BrokerEval,
  BrokerStats,
  Delivery,
  EvalBroker,
  EvalBrokerConfig,
} from '../server/evalBroker.js';
export { createBlockedEvals } from '../server/blockedEvals.js';
export type { BlockableEval, BlockedEvals, BlockedStats } from '../server/blockedEvals.js';
export { createPlanApplier, evaluateNodePlan, evaluatePlan } from '../server/planApplier.js';
export type { PlanApplier, PlanApplierHost, PlanResult } from '../server/planApplier.js';
export {
  runWorkerOnce,
  DEFAULT_SCHEDULERS,
  MAX_BATCH_SCHEDULE_ATTEMPTS,
  MAX_SERVICE_SCHEDULE_ATTEMPTS,
} from '../server/worker.js';
export type { WorkerHost, WorkerStep } from '../server/worker.js';
export { createHeartbeats, DEFAULT_HEARTBEAT_CONFIG, nodeUpdateEvals } from '../server/heartbeats.js';
export type { HeartbeatConfig, Heartbeats } from '../server/heartbeats.js';
export {
  watchDeployments,
  failDeployment,
  latestStableBefore,
  DEPLOYMENT_DESCRIPTIONS,
} from '../server/deploymentWatcher.js';
export type { DeploymentWatcherMemory } from '../server/deploymentWatcher.js';
export { drainStep, drainDeadlinePassed } from '../server/drainer.js';
export {
  periodicStep,
  nextLaunch,
  nextPeriodicDue,
  periodicChild,
  periodicConfigError,
} from '../server/periodic.js';
export { gcStep, DEFAULT_GC_CONFIG } from '../server/gc.js';
export type { GcConfig } from '../server/gc.js';
export { dispatchChild, scaledJob } from '../server/jobOps.js';
export { createControlPlane } from '../server/controlPlane.js';
export type { ControlPlane, ControlPlaneOptions, WriteResult } from '../server/controlPlane.js';
export type {
  Committed,
  Consensus,
  Leadership,
  LogEntry,
  SingleNodeConsensus,
  SingleNodeOptions,
  StateMachine,
} from '../raft/consensus.js';
// The replicated Consensus: Raft's step machine and its pluggable edges (docs/consensus.md).
export { createRaftConsensus } from '../raft/raftConsensus.js';
export type { Proposal, RaftConsensus, RaftConsensusOptions, RaftStatus } from '../raft/raftConsensus.js';
export { RaftNode, bootstrapState } from '../raft/raft.js';
export type { DropReason, RaftConfig, RaftStoredState } from '../raft/raft.js';
export { createMemoryLogStore, createMemorySnapshotStore } from '../raft/storage.js';
export type { LogStore, SnapshotStore } from '../raft/storage.js';
export { createMemoryNetwork } from '../raft/transport.js';
export type { MemoryNetwork, Transport as RaftTransport } from '../raft/transport.js';
export { createManualScheduler } from '../raft/scheduler.js';
export type { ManualScheduler, Scheduler as RaftScheduler } from '../raft/scheduler.js';
export type {
  ConfChange as RaftConfChange,
  ConfState as RaftConfState,
  Entry as RaftEntry,
  HardState as RaftHardState,
  Message as RaftMessage,
  Ready as RaftReady,
  ReadState as RaftReadState,
  Snapshot as RaftSnapshot,
} from '../raft/messages.js';
