/**
 * What a node holds once a plan applies (Nomad's ProposedAllocs): the one rule the scheduler
 * and the plan applier share. The scheduler's per-node usage columns and the applier's check
 * from the state's usage sums are fast paths of this rule (a property test keeps them equal).
 */
import { allocUsage, isTerminal, type Allocation } from './allocation.js';

/** The plan's entries on nodes: stops, preemptions, placements and in-place updates. */
export interface PlanEntries {
  readonly nodeUpdate: Readonly<Record<string, readonly Allocation[]>>;
  readonly nodePreemptions: Readonly<Record<string, readonly Allocation[]>>;
  readonly nodeAllocation: Readonly<Record<string, readonly Allocation[]>>;
}

/**
 * The allocation whose resources a plan entry holds: none when the entry is terminal, the
 * replaced allocation when an update carries no resources (in-place updates keep theirs). Pure.
 */
export function heldBy(entry: Allocation, replaced: Allocation | undefined): Allocation | undefined {
  if (isTerminal(entry)) return undefined;
  return entry.allocatedResources || !replaced ? entry : replaced;
}

/**
 * The allocations that hold resources on `nodeId` once `plan` applies: the node's live
 * `existing` allocations minus those the plan stops, preempts or replaces, plus what the plan
 * places or updates there. Pure.
 * @example allocsFit(node, proposedAllocs(state.allocsByNode(node.id), plan, node.id))
 */
export function proposedAllocs(
  existing: readonly Allocation[],
  plan: PlanEntries,
  nodeId: string,
): Allocation[] {
  const placing = plan.nodeAllocation[nodeId] ?? [];
  const removed = new Set<string>();
  for (const a of plan.nodeUpdate[nodeId] ?? []) removed.add(a.id);
  for (const a of plan.nodePreemptions[nodeId] ?? []) removed.add(a.id);
  for (const a of placing) removed.add(a.id);
  const out: Allocation[] = [];
  const live = new Map<string, Allocation>();
  for (const a of existing) {
    if (isTerminal(a)) continue;
    live.set(a.id, a);
    if (!removed.has(a.id)) out.push(a);
  }
  for (const a of placing) {
    const held = heldBy(a, live.get(a.id));
    if (held) out.push(held);
  }
  return out;
}

/** Summed cpu (MHz), memory (MB) and disk (MB) of some allocations, and how many. Pure. */
export function sumUsage(allocs: readonly Allocation[]): {
  cpu: number;
  memoryMB: number;
  diskMB: number;
  allocs: number;
} {
  let cpu = 0;
  let memoryMB = 0;
  let diskMB = 0;
  for (const a of allocs) {
    const u = allocUsage(a);
    cpu += u.cpu;
    memoryMB += u.memoryMB;
    diskMB += u.diskMB;
  }
  return { cpu, memoryMB, diskMB, allocs: allocs.length };
}
