import type { Job } from '../jobspec/types.js';
import type { JobSummary } from '../structs/jobSummary.js';
import {
  DEFAULT_SCHEDULER_CONFIGURATION,
  type SchedulerConfiguration,
} from '../structs/schedulerConfiguration.js';
import type { JobScalingEvents } from '../structs/scalingEvent.js';
import type { Allocation } from '../structs/allocation.js';
import type { CSIVolume } from '../structs/csiVolume.js';
import type { Deployment } from '../structs/deployment.js';
import type { Evaluation } from '../structs/evaluation.js';
import type { Node } from '../structs/node.js';
import type { NodeUsage } from './nodeUsage.js';
import { Table, type TableWriter } from './table.js';
import { BUILTIN_DEFAULT_NAMESPACE, type Namespace, namespaceOf } from '../structs/namespace.js';

/** Key of a namespaced object. */
export const nsKey = (namespace: string, id: string): string => `${namespace}\u0000${id}`;

// Versions sort numerically inside a job's prefix.
const versionKey = (namespace: string, id: string, version: number): string =>
  `${nsKey(namespace, id)}\u0000${String(version).padStart(10, '0')}`;

/** The last launch of a periodic job (`prohibit_overlap` and restart catch-up read it). */
export interface PeriodicLaunch {
  readonly namespace: string;
  readonly jobId: string;
  /** ns since epoch. */
  readonly launch: number;
  readonly createIndex: number;
  readonly modifyIndex: number;
}

/** A generic keyed object for tables the control plane stores but does not interpret yet. */
export interface KeyedObject {
  readonly key: string;
  readonly value: unknown;
  readonly modifyIndex: number;
}

/** All tables of the state, as immutable values. */
export interface StateTables {
  readonly jobs: Table<Job>;
  readonly jobVersions: Table<Job>;
  readonly jobSummaries: Table<JobSummary>;
  readonly nodes: Table<Node>;
  readonly allocs: Table<Allocation>;
  readonly evals: Table<Evaluation>;
  readonly deployments: Table<Deployment>;
  readonly periodicLaunches: Table<PeriodicLaunch>;
  readonly scalingEvents: Table<JobScalingEvents>;
  readonly variables: Table<KeyedObject>;
  readonly namespaces: Table<KeyedObject>;
  readonly aclPolicies: Table<KeyedObject>;
  readonly aclTokens: Table<KeyedObject>;
  /**
   * Derived, not serialised: what the live allocations of each node hold (the reducer keeps it
   * in step with `allocs`; a restore recomputes it).
   */
  readonly nodeUsage: Table<NodeUsage>;
  readonly csiVolumes: Table<CSIVolume>;
}

/** Table names, for blocking queries on a table's modify index. */
export type TableName = keyof StateTables;

/** Builds the empty tables with their indexes. */
export function emptyTables(): StateTables {
  const keyed = (name: string) => Table.empty<KeyedObject>(name, (r) => r.key);
  return {
    jobs: Table.empty<Job>('jobs', (j) => nsKey(j.namespace, j.id), [
      { name: 'parent', key: (j) => (j.parentId ? nsKey(j.namespace, j.parentId) : undefined) },
    ]),
    jobVersions: Table.empty<Job>('job_version', (j) => versionKey(j.namespace, j.id, j.version)),
    jobSummaries: Table.empty<JobSummary>('job_summary', (s) => nsKey(s.namespace, s.jobId)),
    nodes: Table.empty<Node>('nodes', (n) => n.id),
    allocs: Table.empty<Allocation>('allocs', (a) => a.id, [
      { name: 'job', key: (a) => nsKey(a.namespace, a.jobId) },
      { name: 'node', key: (a) => a.nodeId || undefined },
      { name: 'deployment', key: (a) => a.deploymentId || undefined },
    ]),
    evals: Table.empty<Evaluation>('evals', (e) => e.id, [
      { name: 'job', key: (e) => nsKey(e.namespace, e.jobId) },
    ]),
    deployments: Table.empty<Deployment>('deployment', (d) => d.id, [
      { name: 'job', key: (d) => nsKey(d.namespace, d.jobId) },
    ]),
    periodicLaunches: Table.empty<PeriodicLaunch>('periodic_launch', (p) => nsKey(p.namespace, p.jobId)),
    scalingEvents: Table.empty<JobScalingEvents>('scaling_event', (s) => nsKey(s.namespace, s.jobId)),
    variables: keyed('variables'),
    namespaces: keyed('namespaces'),
    aclPolicies: keyed('acl_policy'),
    aclTokens: keyed('acl_token'),
    nodeUsage: Table.empty<NodeUsage>('node_usage', (u) => u.nodeId),
    csiVolumes: Table.empty<CSIVolume>('csi_volumes', (v) => nsKey(v.namespace, v.id)),
  };
}

/** Mutable writers over every table, used inside one reducer step. */
export type StateWriters = {
  -readonly [K in keyof StateTables]: StateTables[K] extends Table<infer V> ? TableWriter<V> : never;
};

// Most commits change allocations, not nodes: the node list of an unchanged nodes table is
// reused, so the scheduler's per-node-list caches (ready nodes, feasibility classes) hit.
const nodeLists = new WeakMap<Table<Node>, readonly Node[]>();

/**
 * One immutable version of the whole state at a Raft index. Taking it costs O(1); holding it
 * keeps it unchanged while later commits build new versions beside it.
 */
export class StateSnapshot {
  constructor(
    readonly tables: StateTables,
    /** The Raft index this version reflects. */
    readonly index: number,
    readonly schedulerConfig: SchedulerConfiguration = DEFAULT_SCHEDULER_CONFIGURATION,
  ) {}

  /** The empty state at index 0. */
  static empty(): StateSnapshot {
    return new StateSnapshot(emptyTables(), 0);
  }

  /** Modify index of one table (blocking queries wait for it to pass a value). */
  tableIndex(name: TableName): number {
    return this.tables[name].modifyIndex;
  }

  // --- SchedulerSnapshot reads ---

  /** Latest index. */
  latestIndex(): number {
    return this.index;
  }
  /** Every node, in id order (built once per nodes-table version, shared by later snapshots; do not mutate). */
  nodes(): readonly Node[] {
    let list = nodeLists.get(this.tables.nodes);
    if (!list) nodeLists.set(this.tables.nodes, (list = [...this.tables.nodes.values()]));
    return list;
  }
  /** What the live allocations on a node hold (undefined when it holds none). */
  nodeUsage(nodeId: string): NodeUsage | undefined {
    return this.tables.nodeUsage.get(nodeId);
  }
  /** Every node's usage row, in node ID order. */
  forEachNodeUsage(fn: (usage: NodeUsage) => void): void {
    for (const u of this.tables.nodeUsage.values()) fn(u);
  }
  /** A node by id. */
  nodeById(id: string): Node | undefined {
    return this.tables.nodes.get(id);
  }
  /** A job by namespace and id. */
  jobById(namespace: string, id: string): Job | undefined {
    return this.tables.jobs.get(nsKey(namespace, id));
  }
  /** A job at one version. */
  jobByVersion(namespace: string, id: string, version: number): Job | undefined {
    return this.tables.jobVersions.get(versionKey(namespace, id, version));
  }
  /** Every stored version of a job, newest first. */
  jobVersions(namespace: string, id: string): Job[] {
    return this.tables.jobVersions.byPrefix(nsKey(namespace, id) + '\u0000').reverse();
  }
  /** Every job, in namespace/id order. */
  jobs(): Job[] {
    return [...this.tables.jobs.values()];
  }
  /** An allocation by id. */
  allocById(id: string): Allocation | undefined {
    return this.tables.allocs.get(id);
  }
  /** Allocations placed on a node. */
  allocsByNode(nodeId: string): Allocation[] {
    return this.tables.allocs.lookup('node', nodeId);
  }
  /** Allocations of a job. */
  allocsByJob(namespace: string, jobId: string): Allocation[] {
    return this.tables.allocs.lookup('job', nsKey(namespace, jobId));
  }
  /** Allocations of a deployment. */
  allocsByDeployment(deploymentId: string): Allocation[] {
    return this.tables.allocs.lookup('deployment', deploymentId);
  }
  /**
   * Allocations created by an evaluation (found through its job: an index of its own would cost
   * every allocation another key and another tree write, for a lookup only GC and the API make).
   */
  allocsByEval(evalId: string): Allocation[] {
    const e = this.tables.evals.get(evalId);
    if (!e) return [];
    return this.tables.allocs.lookup('job', nsKey(e.namespace, e.jobId)).filter((a) => a.evalId === evalId);
  }
  /** An evaluation by id. */
  evalById(id: string): Evaluation | undefined {
    return this.tables.evals.get(id);
  }
  /** Evaluations of a job. */
  evalsByJob(namespace: string, jobId: string): Evaluation[] {
    return this.tables.evals.lookup('job', nsKey(namespace, jobId));
  }
  /** A deployment by id. */
  deploymentById(id: string): Deployment | undefined {
    return this.tables.deployments.get(id);
  }
  /** Deployments of a job, newest (highest create index) first. */
  deploymentsByJob(namespace: string, jobId: string): Deployment[] {
    return this.tables.deployments
      .lookup('job', nsKey(namespace, jobId))
      .sort((a, b) => b.createIndex - a.createIndex);
  }
  /** The newest deployment of a job. */
  latestDeploymentByJob(namespace: string, jobId: string): Deployment | undefined {
    return this.deploymentsByJob(namespace, jobId)[0];
  }
  /** Allocation counts of a job. */
  jobSummary(namespace: string, jobId: string): JobSummary | undefined {
    return this.tables.jobSummaries.get(nsKey(namespace, jobId));
  }
  /** The last periodic launch of a job. */
  periodicLaunch(namespace: string, jobId: string): PeriodicLaunch | undefined {
    return this.tables.periodicLaunches.get(nsKey(namespace, jobId));
  }
  /** Children of a periodic or parameterized job. */
  childJobs(namespace: string, parentId: string): Job[] {
    return this.tables.jobs.lookup('parent', nsKey(namespace, parentId));
  }
  /** Scaling events of a job. */
  scalingEvents(namespace: string, jobId: string): JobScalingEvents | undefined {
    return this.tables.scalingEvents.get(nsKey(namespace, jobId));
  }
  /** A CSI volume by namespace and ID. */
  csiVolumeById(namespace: string, id: string): CSIVolume | undefined {
    return this.tables.csiVolumes.get(nsKey(namespace, id));
  }
  /** A namespace by name (`default` always exists). */
  namespaceByName(name: string): Namespace | undefined {
    return namespaceOf(this.tables.namespaces, name);
  }
  /** Every namespace, `default` included, by name. */
  namespaces(): Namespace[] {
    const out = [...this.tables.namespaces.values()].map((r) => r.value as Namespace);
    if (!this.tables.namespaces.get(BUILTIN_DEFAULT_NAMESPACE.name)) out.push(BUILTIN_DEFAULT_NAMESPACE);
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
  /** Scheduler configuration. */
  schedulerConfiguration(): SchedulerConfiguration {
    return this.schedulerConfig;
  }
}

/** Opens writers on every table (O(1) each). */
export function openWriters(t: StateTables): StateWriters {
  return {
    jobs: t.jobs.edit(),
    jobVersions: t.jobVersions.edit(),
    jobSummaries: t.jobSummaries.edit(),
    nodes: t.nodes.edit(),
    allocs: t.allocs.edit(),
    evals: t.evals.edit(),
    deployments: t.deployments.edit(),
    periodicLaunches: t.periodicLaunches.edit(),
    scalingEvents: t.scalingEvents.edit(),
    variables: t.variables.edit(),
    namespaces: t.namespaces.edit(),
    aclPolicies: t.aclPolicies.edit(),
    aclTokens: t.aclTokens.edit(),
    nodeUsage: t.nodeUsage.edit(),
    csiVolumes: t.csiVolumes.edit(),
  };
}

/** Commits every writer at `index`; unchanged tables keep their version. */
export function commitWriters(w: StateWriters, index: number): StateTables {
  return {
    jobs: w.jobs.commit(index),
    jobVersions: w.jobVersions.commit(index),
    jobSummaries: w.jobSummaries.commit(index),
    nodes: w.nodes.commit(index),
    allocs: w.allocs.commit(index),
    evals: w.evals.commit(index),
    deployments: w.deployments.commit(index),
    periodicLaunches: w.periodicLaunches.commit(index),
    scalingEvents: w.scalingEvents.commit(index),
    variables: w.variables.commit(index),
    namespaces: w.namespaces.commit(index),
    aclPolicies: w.aclPolicies.commit(index),
    aclTokens: w.aclTokens.commit(index),
    nodeUsage: w.nodeUsage.commit(index),
    csiVolumes: w.csiVolumes.commit(index),
  };
}
