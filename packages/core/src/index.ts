/**
 * @tsnomad/core — Nomad's scheduling semantics as pure, deterministic functions.
 *
 * The root lists by name the few dozen names most callers need (a test pins the list); the
 * building blocks live in subpaths: `@tsnomad/core/scheduler`, `/server`, `/state`,
 * `/structs` and `/testing` (src/exports/). Nothing leaks through `export *`.
 */
export { VERSION } from './version.js';

// Intake: Nomad API JSON -> a canonical, validated Job.
export { decodeJob, encodeJob } from './api/codec.js';
export type { DecodeResult } from './api/codec.js';
export type { DecodeError } from './api/wire.js';
export { canonicalizeJob } from './jobspec/canonicalize.js';
export { validateJob } from './jobspec/validate.js';
export type { ValidationProblem } from './jobspec/validate.js';
export type { Job, JobInput, Task, TaskGroup } from './jobspec/types.js';

// The shared facts every caller touches.
export type { Allocation } from './structs/allocation.js';
export type { AllocMetric } from './structs/allocMetric.js';
export type { Deployment } from './structs/deployment.js';
export type { Evaluation } from './structs/evaluation.js';
export type { Node } from './structs/node.js';
export type { Plan } from './structs/plan.js';

// Scheduling as a pure function.
export { createSnapshot } from './scheduler/snapshot.js';
export type { SchedulerSnapshot, SnapshotInput } from './scheduler/snapshot.js';
export { schedule } from './scheduler/schedule.js';
export type { ScheduleOptions, ScheduleResult } from './scheduler/schedule.js';
export { selectNode } from './scheduler/selectNode.js';
export type { SelectNodeOptions } from './scheduler/selectNode.js';
export type { Placement, PlacementRequest, Placer } from './scheduler/placement.js';
export type { PlacerFactory } from './scheduler/scheduleContext.js';

// The replicated state and the control plane on an injected clock and consensus.
export { applyCommand } from './state/reducer.js';
export type { ApplyResult } from './state/reducer.js';
export { StateSnapshot } from './state/stateSnapshot.js';
export type { Command } from './state/commands.js';
export { createControlPlane } from './server/controlPlane.js';
export type { ControlPlane, ControlPlaneOptions } from './server/controlPlane.js';
export { createSingleNodeConsensus } from './raft/consensus.js';
export type { Consensus, LogEntry, StateMachine } from './raft/consensus.js';
export { ManualClock } from './util/clock.js';
export type { Clock } from './util/clock.js';
