import { allocUsage, isNewAllocation, isTerminal, type Allocation } from '../structs/allocation.js';
import { heldBy, type PlanEntries } from '../structs/proposedAllocs.js';

/**
 * What the live (not terminal) allocations of one node hold, kept by the reducer beside the
 * allocations table. The plan applier and the scheduler read it instead of summing every
 * allocation on the node: at a million allocations a node holds hundreds, and both would
 * otherwise rescan them on every plan and every placement.
 */
export interface NodeUsage {
  readonly nodeId: string;
  /** Summed cpu shares (MHz), memory (MB) and disk (MB). */
  readonly cpu: number;
  readonly memoryMB: number;
  readonly diskMB: number;
  /** How many live allocations the node holds. */
  readonly allocs: number;
  /**
   * How many of them claim ports, reserved cores or device instances: those need the full
   * per-allocation check (collisions), the sums alone cannot tell.
   */
  readonly complex: number;
}

/** Whether an allocation claims something a sum cannot check: ports, reserved cores, devices. Pure. */
export function allocClaimsIdentities(a: Allocation): boolean {
  const r = a.allocatedResources;
  if (!r) return false;
  if ((r.shared.ports?.length ?? 0) > 0) return true;
  for (const n of r.shared.networks ?? []) {
    if ((n.reservedPorts?.length ?? 0) > 0 || (n.dynamicPorts?.length ?? 0) > 0) return true;
  }
  for (const name in r.tasks) {
    const t = r.tasks[name]!;
    if ((t.cpu.reservedCores?.length ?? 0) > 0) return true;
    if ((t.devices?.length ?? 0) > 0) return true;
    const net = t.networks?.[0];
    if (net && ((net.reservedPorts?.length ?? 0) > 0 || (net.dynamicPorts?.length ?? 0) > 0)) return true;
  }
  return false;
}

/** Mutable per-node deltas collected during one reducer step, written once per node at its end. */
export class UsageDeltas {
  private readonly byNode = new Map<
    string,
    { cpu: number; memoryMB: number; diskMB: number; allocs: number; complex: number }
  >();

  /** Adds (`sign` 1) or removes (−1) what `alloc` holds on its node. */
  add(alloc: Allocation, sign: 1 | -1): void {
    if (!alloc.nodeId) return;
    let d = this.byNode.get(alloc.nodeId);
    if (!d) this.byNode.set(alloc.nodeId, (d = { cpu: 0, memoryMB: 0, diskMB: 0, allocs: 0, complex: 0 }));
    const u = allocUsage(alloc);
    d.cpu += sign * u.cpu;
    d.memoryMB += sign * u.memoryMB;
    d.diskMB += sign * u.diskMB;
    d.allocs += sign;
    if (allocClaimsIdentities(alloc)) d.complex += sign;
  }

  /** Folds the deltas into the usage rows (rows reaching zero allocations are removed). */
  flush(w: {
    get(id: string): NodeUsage | undefined;
    put(row: NodeUsage): void;
    delete(id: string): boolean;
  }): void {
    for (const [nodeId, d] of this.byNode) {
      if (d.allocs === 0 && d.cpu === 0 && d.memoryMB === 0 && d.diskMB === 0 && d.complex === 0) continue;
      const old = w.get(nodeId);
      const allocs = (old?.allocs ?? 0) + d.allocs;
      if (allocs === 0) {
        w.delete(nodeId);
        continue;
      }
      w.put({
        nodeId,
        cpu: (old?.cpu ?? 0) + d.cpu,
        memoryMB: (old?.memoryMB ?? 0) + d.memoryMB,
        diskMB: (old?.diskMB ?? 0) + d.diskMB,
        allocs,
        complex: (old?.complex ?? 0) + d.complex,
      });
    }
    this.byNode.clear();
  }
}

/** What `proposedUsageBySums` reads: the usage rows and the allocations by ID. */
export interface UsageView {
  nodeUsage?(nodeId: string): NodeUsage | undefined;
  allocById(id: string): Allocation | undefined;
}

/**
 * The sums of `proposedAllocs` on a node from its usage row, corrected by the plan's entries,
 * without visiting the node's allocations: undefined when an allocation involved claims ports,
 * cores or devices (then only the full check can tell collisions) or `view` keeps no rows. Pure.
 */
export function proposedUsageBySums(
  view: UsageView,
  plan: PlanEntries,
  nodeId: string,
): { cpu: number; memoryMB: number; diskMB: number; allocs: number } | undefined {
  if (!view.nodeUsage) return undefined;
  const usage = view.nodeUsage(nodeId);
  let cpu = usage?.cpu ?? 0;
  let memoryMB = usage?.memoryMB ?? 0;
  let diskMB = usage?.diskMB ?? 0;
  let allocs = usage?.allocs ?? 0;
  let complex = usage?.complex ?? 0;
  const live = (a: Allocation): Allocation | undefined => {
    const e = isNewAllocation(a) ? undefined : view.allocById(a.id);
    return e && e.nodeId === nodeId && !isTerminal(e) ? e : undefined;
  };
  const dropped = new Set<string>();
  const drop = (list: readonly Allocation[] | undefined): void => {
    for (const a of list ?? []) {
      if (dropped.has(a.id)) continue;
      dropped.add(a.id);
      const e = live(a);
      if (!e) continue;
      const u = allocUsage(e);
      cpu -= u.cpu;
      memoryMB -= u.memoryMB;
      diskMB -= u.diskMB;
      allocs--;
      if (allocClaimsIdentities(e)) complex--;
    }
  };
  const placing = plan.nodeAllocation[nodeId];
  drop(plan.nodeUpdate[nodeId]);
  drop(plan.nodePreemptions[nodeId]);
  drop(placing);
  for (const a of placing ?? []) {
    const held = heldBy(a, live(a));
    if (!held) continue;
    if (allocClaimsIdentities(held)) return undefined;
    const u = allocUsage(held);
    cpu += u.cpu;
    memoryMB += u.memoryMB;
    diskMB += u.diskMB;
    allocs++;
  }
  if (complex > 0) return undefined;
  return { cpu, memoryMB, diskMB, allocs };
}
