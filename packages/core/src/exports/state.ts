/**
 * `@tsnomad/core/state`: the replicated state — tables with O(1) snapshots, the commands, the
 * pure reducer `applyCommand`, per-node usage sums, persistence.
 */
export { Table, TableWriter } from '../state/table.js';
export type { IndexDef } from '../state/table.js';
export type { NodeUsage } from '../state/nodeUsage.js';
export { StateSnapshot, emptyTables, nsKey } from '../state/stateSnapshot.js';
export type { KeyedObject, PeriodicLaunch, StateTables, TableName } from '../state/stateSnapshot.js';
export type * as StateCommands from '../state/commands.js';
export type { Command, ClientAllocUpdate } from '../state/commands.js';
export { namespaceValidationError } from '../state/namespaces.js';
export {
  applyCommand,
  deploymentActive,
  JOB_TRACKED_VERSIONS,
  JOB_TRACKED_SCALING_EVENTS,
} from '../state/reducer.js';
export type { ApplyResult, Effects } from '../state/reducer.js';
export { serializeState, restoreState } from '../state/persist.js';
export type { SerializedState } from '../state/persist.js';
