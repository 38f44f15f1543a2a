/**
 * Which nodes a job may use at all (Nomad's readyNodesInDCsAndPool): the one datacenter and
 * node pool rule of every scheduler (service, batch, system, sysbatch, in-place checks).
 */
import type { Node } from '../../structs/node.js';

/** The job fields the rule reads. */
export interface DCsAndPool {
  /** Datacenter names or `*` globs; empty means every datacenter. */
  readonly datacenters?: readonly string[] | undefined;
  /** Node pool; `all` means any, empty means `default`. */
  readonly nodePool?: string | undefined;
}

/** Nodes in the job's datacenters and pool, split into ready ones and the IDs of the rest. */
export interface ReadyNodes {
  /** Ready, eligible, not draining, in snapshot order. */
  readonly ready: Node[];
  /** In the datacenters and pool but down, ineligible or draining. */
  readonly notReady: Set<string>;
  /** Ready nodes per datacenter (the metric's nodesAvailable). */
  readonly byDatacenter: Record<string, number>;
}

/** Datacenter match with `*` globs, as in a job's `datacenters`. Pure. */
export function datacenterMatches(patterns: readonly string[], dc: string): boolean {
  for (const p of patterns) {
    if (p === dc || p === '*') return true;
    if (p.includes('*')) {
      const re = new RegExp('^' + p.split('*').map(escapeRe).join('.*') + '$');
      if (re.test(dc)) return true;
    }
  }
  return false;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Whether the node is in one of the job's datacenters and in its node pool. Pure. */
export function nodeInDCsAndPool(node: Node, job: DCsAndPool): boolean {
  const pool = job.nodePool || 'default';
  if (pool !== 'all' && (node.nodePool || 'default') !== pool) return false;
  return datacenterMatches(job.datacenters?.length ? job.datacenters : ['*'], node.datacenter);
}

/** Whether the node takes new placements: ready, eligible and not draining. Pure. */
export function nodeReady(node: Node): boolean {
  return node.status === 'ready' && node.schedulingEligibility !== 'ineligible' && !node.drainStrategy;
}

/**
 * The nodes in the job's datacenters (with `*` globs) and node pool, split by readiness. Pure.
 * @example const { ready, notReady } = readyNodesInDCsAndPool(snapshot.nodes(), job);
 */
export function readyNodesInDCsAndPool(nodes: readonly Node[], job: DCsAndPool): ReadyNodes {
  const ready: Node[] = [];
  const notReady = new Set<string>();
  const byDatacenter: Record<string, number> = {};
  const pool = job.nodePool || 'default';
  const dcs = job.datacenters?.length ? job.datacenters : ['*'];
  for (const n of nodes) {
    if (pool !== 'all' && (n.nodePool || 'default') !== pool) continue;
    if (!datacenterMatches(dcs, n.datacenter)) continue;
    if (!nodeReady(n)) {
      notReady.add(n.id);
      continue;
    }
    ready.push(n);
    byDatacenter[n.datacenter] = (byDatacenter[n.datacenter] ?? 0) + 1;
  }
  return { ready, notReady, byDatacenter };
}
