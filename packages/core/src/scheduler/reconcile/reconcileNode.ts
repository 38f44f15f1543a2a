/**
 * The node reconciler for system and sysbatch jobs: one allocation per task group slot on every
 * eligible node. New nodes get placements, tainted nodes lose or migrate theirs, ineligible
 * nodes keep what runs unless the job changed, and sysbatch work that finished is not rerun.
 */
import type { Job, TaskGroup } from '../../jobspec/types.js';
import type { Allocation } from '../../structs/allocation.js';
import type { Node } from '../../structs/node.js';
import { allocName } from './allocNameIndex.js';
import { cmp, ranSuccessfully } from './allocFilters.js';

/** One decision about a (node, allocation name) pair. */
export interface AllocTuple {
  name: string;
  nodeId: string;
  taskGroup: TaskGroup | undefined;
  alloc?: Allocation;
}

/** The node reconciler's buckets, each in (node id, name) order. */
export interface NodeReconcileResult {
  place: AllocTuple[];
  update: AllocTuple[];
  migrate: AllocTuple[];
  stop: AllocTuple[];
  lost: AllocTuple[];
  /** Running allocations of a node that disconnected: they become `unknown`. */
  disconnecting: AllocTuple[];
  ignore: AllocTuple[];
}

/** Inputs of {@link reconcileNodes}. */
export interface NodeReconcileInput {
  job: Job;
  /** Ready, eligible nodes in the job's datacenters and pool. */
  readyNodes: readonly Node[];
  /** Nodes in the job's datacenters that are not ready or not eligible (e.g. draining). */
  notReadyNodes: ReadonlySet<string>;
  /** Node id -> node for draining / down nodes, `null` when the node no longer exists. */
  taintedNodes: ReadonlyMap<string, Node | null>;
  /** Non-terminal allocations of the job. */
  live: readonly Allocation[];
  /** Latest terminal allocation per node id and allocation name. */
  terminal: ReadonlyMap<string, ReadonlyMap<string, Allocation>>;
}

/** The allocation names a system job needs on each node: `job.group[i]` for i < count. Pure. */
export function materializeSystemTaskGroups(job: Job): Map<string, TaskGroup> {
  const out = new Map<string, TaskGroup>();
  if (job.stop) return out;
  for (const tg of job.taskGroups)
    for (let i = 0; i < tg.count; i++) out.set(allocName(job.id, tg.name, i), tg);
  return out;
}

/**
 * Diffs the allocations a system or sysbatch job needs on each node against what exists.
 * Pure. Example: a new ready node with no allocations yields one `place` per group.
 */
export function reconcileNodes(input: NodeReconcileInput): NodeReconcileResult {
  const { job } = input;
  const result: NodeReconcileResult = {
    place: [],
    update: [],
    migrate: [],
    stop: [],
    lost: [],
    disconnecting: [],
    ignore: [],
  };
  const byNode = new Map<string, Allocation[]>();
  for (const a of input.live) {
    const list = byNode.get(a.nodeId) ?? [];
    list.push(a);
    byNode.set(a.nodeId, list);
  }
  const eligible = new Map<string, Node>();
  for (const n of input.readyNodes) {
    eligible.set(n.id, n);
    if (!byNode.has(n.id)) byNode.set(n.id, []);
  }
  const required = materializeSystemTaskGroups(job);
  const isSysbatch = job.type === 'sysbatch';

  for (const nodeId of [...byNode.keys()].sort(cmp)) {
    const allocs = (byNode.get(nodeId) ?? []).sort((a, b) => cmp(a.name, b.name) || cmp(a.id, b.id));
    const existing = new Set<string>();
    for (const alloc of allocs) {
      const name = alloc.name;
      const tg = required.get(name);
      const tuple: AllocTuple = { name, nodeId, taskGroup: tg, alloc };
      // A second live allocation with the same name on a node is surplus.
      if (!tg || existing.has(name)) {
        result.stop.push(tuple);
        continue;
      }
      existing.add(name);
      if (alloc.desiredTransition?.migrate === true) {
        result.migrate.push(tuple);
        continue;
      }
      if (input.taintedNodes.has(nodeId)) {
        const node = input.taintedNodes.get(nodeId) ?? null;
        if (isSysbatch && ranSuccessfully(alloc)) result.ignore.push(tuple);
        else if (node?.status === 'disconnected' && alloc.clientStatus === 'running')
          result.disconnecting.push(tuple);
        else if (node === null || node.status === 'down') result.lost.push(tuple);
        else result.ignore.push(tuple);
        continue;
      }
      if (input.notReadyNodes.has(nodeId)) {
        if (job.jobModifyIndex !== alloc.job?.jobModifyIndex) result.stop.push(tuple);
        else result.ignore.push(tuple);
        continue;
      }
      if (!eligible.has(nodeId)) {
        result.stop.push(tuple);
        continue;
      }
      if (job.jobModifyIndex !== alloc.job?.jobModifyIndex) result.update.push(tuple);
      else result.ignore.push(tuple);
    }

    for (const [name, tg] of required) {
      if (existing.has(name)) continue;
      const term = input.terminal.get(nodeId)?.get(name);
      // sysbatch runs once per node: a finished run of this job version is not repeated.
      if (isSysbatch && term) {
        if (job.jobModifyIndex !== term.job?.jobModifyIndex)
          result.update.push({ name, nodeId, taskGroup: tg, alloc: term });
        else result.ignore.push({ name, nodeId, taskGroup: tg, alloc: term });
        continue;
      }
      if (input.taintedNodes.has(nodeId) || !eligible.has(nodeId)) continue;
      const tuple: AllocTuple = { name, nodeId, taskGroup: tg };
      if (term) tuple.alloc = term;
      result.place.push(tuple);
    }
  }
  return result;
}
