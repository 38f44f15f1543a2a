/**
 * @tsnomad/core — Nomad's scheduling semantics as pure, deterministic functions.
 *
 * Exports are listed by name, module by module; nothing internal leaks through `export *`.
 */
export { VERSION } from './version.js';

// --- jobspec: Job, TaskGroup, Task types, canonicalizeJob, validateJob ---

// --- structs: Node, Allocation, Evaluation, Deployment, Plan, resources ---

// --- api: Nomad API JSON codecs ---

// --- scheduler: feasibility, ranking, selection, preemption ---

// --- scheduler: reconcile and schedule() ---

// --- state, server, raft: the control plane ---
export { Table, TableWriter } from './state/table.js';
export type { IndexDef } from './state/table.js';
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
export type {
  Committed,
  Consensus,
  Leadership,
  LogEntry,
  SingleNodeConsensus,
  SingleNodeOptions,
  StateMachine,
} from './raft/consensus.js';
