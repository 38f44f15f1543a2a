import type { Job } from '../jobspec/types.js';
import type { Allocation } from '../structs/allocation.js';
import type { CSIVolume } from '../structs/csiVolume.js';
import type { Deployment } from '../structs/deployment.js';
import type { Node } from '../structs/node.js';
import { UsageDeltas, type NodeUsage } from '../state/nodeUsage.js';
import { isTerminal } from '../structs/allocation.js';
import {
  DEFAULT_SCHEDULER_CONFIGURATION,
  type SchedulerConfiguration,
} from '../structs/schedulerConfiguration.js';

/**
 * The read-only view of cluster state a scheduler needs for one evaluation. The replicated
 * state implements it over its tables; `createSnapshot` builds one from plain arrays.
 * Implementations must return the same objects for the same rows during an evaluation, and
 * must not mutate what they return.
 */
export interface SchedulerSnapshot {
  /** Every node, in a stable order (by ID). */
  nodes(): readonly Node[];
  nodeById(id: string): Node | undefined;
  /** All allocations placed on a node, terminal ones included. */
  allocsByNode(nodeId: string): readonly Allocation[];
  /** All allocations of a job, terminal ones included. */
  allocsByJob(namespace: string, jobId: string): readonly Allocation[];
  allocById(id: string): Allocation | undefined;
  jobById(namespace: string, jobId: string): Job | undefined;
  /** Deployments of a job, newest (highest create index) first. */
  deploymentsByJob(namespace: string, jobId: string): readonly Deployment[];
  /** The cluster's scheduler configuration (Nomad's defaults when never set). */
  schedulerConfiguration(): SchedulerConfiguration;
  /** The state index this snapshot was taken at. */
  latestIndex(): number;
  /**
   * Optional: what the live (not terminal) allocations on a node hold, summed. When present
   * the scheduler reads it instead of summing `allocsByNode` per visited node; it must agree
   * with `allocsByNode`.
   */
  nodeUsage?(nodeId: string): NodeUsage | undefined;
  /**
   * Optional, with `nodeUsage`: calls `fn` for every node's usage row (nodes without live
   * allocations may be skipped). Lets an evaluation that visits many nodes read them in one pass.
   */
  forEachNodeUsage?(fn: (usage: NodeUsage) => void): void;
  /** A CSI volume by namespace and ID; snapshots without it know no CSI volumes. */
  csiVolumeById?(namespace: string, id: string): CSIVolume | undefined;
}

/** Plain inputs for `createSnapshot`. */
export interface SnapshotInput {
  nodes?: readonly Node[];
  allocations?: readonly Allocation[];
  jobs?: readonly Job[];
  deployments?: readonly Deployment[];
  schedulerConfig?: SchedulerConfiguration;
  csiVolumes?: readonly CSIVolume[];
  index?: number;
}

const EMPTY: readonly never[] = [];

function push<T>(m: Map<string, T[]>, k: string, v: T): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/**
 * Builds a `SchedulerSnapshot` from plain arrays (for tests and embedders without a state
 * store). Indexes are built once; the inputs are not copied or modified.
 * Pure.
 * @example
 * const snap = createSnapshot({ nodes, allocations, jobs: [job], index: 10 });
 * snap.allocsByNode(nodes[0].id);
 */
export function createSnapshot(input: SnapshotInput): SchedulerSnapshot {
  const nodes = [...(input.nodes ?? [])].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const nodeIndex = new Map(nodes.map((n) => [n.id, n]));
  const byNode = new Map<string, Allocation[]>();
  const byJob = new Map<string, Allocation[]>();
  const byId = new Map<string, Allocation>();
  for (const a of input.allocations ?? []) {
    push(byNode, a.nodeId, a);
    push(byJob, `${a.namespace}\u0000${a.jobId}`, a);
    byId.set(a.id, a);
  }
  const jobs = new Map((input.jobs ?? []).map((j) => [`${j.namespace}\u0000${j.id}`, j]));
  const deployments = new Map<string, Deployment[]>();
  for (const d of input.deployments ?? []) push(deployments, `${d.namespace}\u0000${d.jobId}`, d);
  for (const list of deployments.values()) list.sort((a, b) => b.createIndex - a.createIndex);
  const csiVolumes = new Map((input.csiVolumes ?? []).map((v) => [`${v.namespace}\u0000${v.id}`, v]));
  const index = input.index ?? 0;
  const usage = new Map<string, NodeUsage>();
  for (const [nodeId, list] of byNode) {
    const rows = new UsageDeltas();
    for (const a of list) if (!isTerminal(a)) rows.add(a, 1);
    rows.flush({ get: () => undefined, put: (u) => usage.set(nodeId, u), delete: () => false });
  }
  return {
    nodes: () => nodes,
    nodeById: (id) => nodeIndex.get(id),
    allocsByNode: (id) => byNode.get(id) ?? EMPTY,
    allocsByJob: (ns, id) => byJob.get(`${ns}\u0000${id}`) ?? EMPTY,
    allocById: (id) => byId.get(id),
    jobById: (ns, id) => jobs.get(`${ns}\u0000${id}`),
    deploymentsByJob: (ns, id) => deployments.get(`${ns}\u0000${id}`) ?? EMPTY,
    schedulerConfiguration: () => input.schedulerConfig ?? DEFAULT_SCHEDULER_CONFIGURATION,
    latestIndex: () => index,
    nodeUsage: (id) => usage.get(id),
    forEachNodeUsage: (fn) => usage.forEach((u) => fn(u)),
    csiVolumeById: (ns, id) => csiVolumes.get(`${ns}\u0000${id}`),
  };
}
