/**
 * Tainted nodes (draining, down, disconnected or gone) and the allocations on them that the
 * server already stopped: shared by the generic and the system scheduler.
 */
import type { Allocation } from '../structs/allocation.js';
import type { Node } from '../structs/node.js';
import { ALLOC_STATUS } from './reconcile/reconcileCluster.js';
import type { SchedulerContext } from './scheduleContext.js';

/** Draining, down and vanished nodes of these allocations (`null` when the node is gone). Pure. */
export function taintedNodes(ctx: SchedulerContext, allocs: readonly Allocation[]): Map<string, Node | null> {
  const out = new Map<string, Node | null>();
  for (const a of allocs) {
    if (out.has(a.nodeId)) continue;
    const node = ctx.snapshot.nodeById(a.nodeId);
    if (!node) out.set(a.nodeId, null);
    else if (node.status === 'down' || node.status === 'disconnected' || node.drainStrategy)
      out.set(a.nodeId, node);
  }
  return out;
}

/**
 * Marks lost the allocations the server already stopped on a node that went down (or is gone)
 * while their client still reported them running. Effects: stops in `ctx`'s plan.
 */
export function markLostStopped(
  ctx: SchedulerContext,
  allocs: readonly Allocation[],
  tainted: ReadonlyMap<string, Node | null>,
): void {
  for (const a of allocs) {
    if (!tainted.has(a.nodeId)) continue;
    const node = tainted.get(a.nodeId) ?? null;
    if (node !== null && node.status !== 'down') continue;
    if (
      (a.desiredStatus === 'stop' || a.desiredStatus === 'evict') &&
      (a.clientStatus === 'running' || a.clientStatus === 'pending')
    ) {
      ctx.appendStopped(a, ALLOC_STATUS.lost, 'lost');
    }
  }
}
