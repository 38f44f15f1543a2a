import type { Job } from '../jobspec/types.js';
import type { Allocation } from '../structs/allocation.js';
import type { CSIVolume } from '../structs/csiVolume.js';
import type { Deployment } from '../structs/deployment.js';
import type { Evaluation } from '../structs/evaluation.js';
import type { Node } from '../structs/node.js';
import {
  commitWriters,
  emptyTables,
  openWriters,
  StateSnapshot,
  type KeyedObject,
  type PeriodicLaunch,
} from './stateSnapshot.js';
import { UsageDeltas } from './nodeUsage.js';
import { isTerminal } from '../structs/allocation.js';
import type { SchedulerConfiguration } from '../structs/schedulerConfiguration.js';
import type { JobSummary } from '../structs/jobSummary.js';
import type { JobScalingEvents } from '../structs/scalingEvent.js';

/** The whole state as plain JSON-serialisable data (Raft snapshots, `operator snapshot save`). */
export interface SerializedState {
  readonly format: 'tsnomad-state/1';
  readonly index: number;
  readonly schedulerConfig: SchedulerConfiguration;
  readonly jobs: Job[];
  readonly jobVersions: Job[];
  readonly jobSummaries: JobSummary[];
  readonly nodes: Node[];
  readonly allocs: Allocation[];
  readonly evals: Evaluation[];
  readonly deployments: Deployment[];
  readonly periodicLaunches: PeriodicLaunch[];
  readonly scalingEvents: JobScalingEvents[];
  readonly variables: KeyedObject[];
  readonly namespaces: KeyedObject[];
  readonly aclPolicies: KeyedObject[];
  readonly aclTokens: KeyedObject[];
  /** Absent in snapshots written before CSI volumes were tracked. */
  readonly csiVolumes?: CSIVolume[];
  /** Per-table modify indexes, so blocking queries keep working after a restore. */
  readonly tableIndexes: Record<string, number>;
}

const TABLES = [
  'jobs',
  'jobVersions',
  'jobSummaries',
  'nodes',
  'allocs',
  'evals',
  'deployments',
  'periodicLaunches',
  'scalingEvents',
  'variables',
  'namespaces',
  'aclPolicies',
  'aclTokens',
  'csiVolumes',
] as const;

/**
 * Writes a state version out as plain data. O(n); reads an immutable snapshot, so it may run
 * while new commits land. Pure.
 */
export function serializeState(s: StateSnapshot): SerializedState {
  const t = s.tables;
  const tableIndexes: Record<string, number> = {};
  for (const name of TABLES) tableIndexes[name] = t[name].modifyIndex;
  return {
    format: 'tsnomad-state/1',
    index: s.index,
    schedulerConfig: s.schedulerConfig,
    jobs: [...t.jobs.values()],
    jobVersions: [...t.jobVersions.values()],
    jobSummaries: [...t.jobSummaries.values()],
    nodes: [...t.nodes.values()],
    allocs: [...t.allocs.values()],
    evals: [...t.evals.values()],
    deployments: [...t.deployments.values()],
    periodicLaunches: [...t.periodicLaunches.values()],
    scalingEvents: [...t.scalingEvents.values()],
    variables: [...t.variables.values()],
    namespaces: [...t.namespaces.values()],
    aclPolicies: [...t.aclPolicies.values()],
    aclTokens: [...t.aclTokens.values()],
    csiVolumes: [...t.csiVolumes.values()],
    tableIndexes,
  };
}

/** Rebuilds a state version from {@link serializeState}'s output. Pure. */
export function restoreState(d: SerializedState): StateSnapshot {
  if (d.format !== 'tsnomad-state/1') throw new Error(`unknown state snapshot format ${String(d.format)}`);
  const w = openWriters(emptyTables());
  for (const r of d.jobs) w.jobs.put(r);
  for (const r of d.jobVersions) w.jobVersions.put(r);
  for (const r of d.jobSummaries) w.jobSummaries.put(r);
  for (const r of d.nodes) w.nodes.put(r);
  const usage = new UsageDeltas();
  for (const r of d.allocs) {
    w.allocs.put(r);
    if (!isTerminal(r)) usage.add(r, 1);
  }
  usage.flush(w.nodeUsage);
  for (const r of d.evals) w.evals.put(r);
  for (const r of d.deployments) w.deployments.put(r);
  for (const r of d.periodicLaunches) w.periodicLaunches.put(r);
  for (const r of d.scalingEvents) w.scalingEvents.put(r);
  for (const r of d.variables) w.variables.put(r);
  for (const r of d.namespaces) w.namespaces.put(r);
  for (const r of d.aclPolicies) w.aclPolicies.put(r);
  for (const r of d.aclTokens) w.aclTokens.put(r);
  for (const r of d.csiVolumes ?? []) w.csiVolumes.put(r);
  const committed = commitWriters(w, d.index);
  // Each table gets back its own modify index, not the snapshot's.
  const tables = {
    ...(Object.fromEntries(
      TABLES.map((name) => [name, committed[name].withModifyIndex(d.tableIndexes[name] ?? 0)]),
    ) as unknown as typeof committed),
    // Derived from the allocations: it changes whenever they do.
    nodeUsage: committed.nodeUsage.withModifyIndex(d.tableIndexes['allocs'] ?? 0),
  };
  return new StateSnapshot(tables, d.index, d.schedulerConfig);
}
