/**
 * The system and sysbatch scheduler: one allocation per task group on every eligible node,
 * rolling destructive updates at most `update.max_parallel` at a time.
 */
import { markNewAllocation, newAllocation, type Allocation, isTerminal } from '../structs/allocation.js';
import { ALLOC_STATUS, makeFollowupEval } from './reconcile/reconcileCluster.js';
import { emptyDesiredUpdates } from '../structs/plan.js';
import { reconcileNodes, type AllocTuple } from './reconcile/reconcileNode.js';
import { readyNodesInDCsAndPool } from './feasible/readyNodes.js';
import { tasksUpdated } from './reconcile/tasksUpdated.js';
import { markLostStopped, taintedNodes } from './tainted.js';
import type { SchedulerContext } from './scheduleContext.js';

/** Description of a stop for an allocation on a draining node (Nomad's wording). */
const NODE_TAINTED = 'alloc not needed as node is tainted';

/**
 * Runs the system / sysbatch scheduler for one evaluation into `ctx`. Effects: only on `ctx`.
 */
export function scheduleSystem(ctx: SchedulerContext): void {
  const { snapshot, evaluation } = ctx;
  const job = snapshot.jobById(evaluation.namespace, evaluation.jobId);
  const allocs = snapshot.allocsByJob(evaluation.namespace, evaluation.jobId);
  const tainted = taintedNodes(ctx, allocs);

  markLostStopped(ctx, allocs, tainted);

  const live = allocs.filter((a) => !isTerminal(a));
  if (!job || job.stop) {
    const groups = new Set(live.map((a) => a.taskGroup));
    for (const g of groups) ctx.desiredTGUpdates[g] = emptyDesiredUpdates();
    for (const a of live) {
      const d = ctx.desiredTGUpdates[a.taskGroup];
      if (d) d.stop++;
      ctx.appendStopped(a, ALLOC_STATUS.notNeeded);
    }
    return;
  }

  const { ready, notReady } = readyNodesInDCsAndPool(snapshot.nodes(), job);
  // Nodes in ID order: placements, names and follow-ups do not depend on the table's order.
  ready.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const terminal = new Map<string, Map<string, Allocation>>();
  for (const a of allocs) {
    if (!isTerminal(a)) continue;
    const byName = terminal.get(a.nodeId) ?? new Map<string, Allocation>();
    const prev = byName.get(a.name);
    // Keep the latest terminal allocation per node and name.
    if (!prev || prev.createIndex < a.createIndex || (prev.createIndex === a.createIndex && prev.id < a.id)) {
      byName.set(a.name, a);
    }
    terminal.set(a.nodeId, byName);
  }
  const diff = reconcileNodes({
    job,
    readyNodes: ready,
    notReadyNodes: notReady,
    taintedNodes: tainted,
    live,
    terminal,
  });

  for (const tg of job.taskGroups) {
    ctx.desiredTGUpdates[tg.name] = emptyDesiredUpdates();
    ctx.queued[tg.name] = 0;
  }
  const desired = (t: AllocTuple) => {
    const g = t.taskGroup?.name ?? t.alloc?.taskGroup ?? '';
    let d = ctx.desiredTGUpdates[g];
    if (!d) {
      d = emptyDesiredUpdates();
      ctx.desiredTGUpdates[g] = d;
    }
    return d;
  };

  for (const t of diff.stop) {
    desired(t).stop++;
    if (t.alloc) ctx.appendStopped(t.alloc, ALLOC_STATUS.notNeeded);
  }
  for (const t of diff.migrate) {
    desired(t).migrate++;
    if (t.alloc) ctx.appendStopped(t.alloc, NODE_TAINTED);
  }
  for (const t of diff.lost) {
    desired(t).stop++;
    if (t.alloc) ctx.appendStopped(t.alloc, ALLOC_STATUS.lost, 'lost');
  }
  for (const t of diff.ignore) desired(t).ignore++;
  for (const t of diff.disconnecting) {
    desired(t).disconnect++;
    if (t.alloc) {
      ctx.appendAlloc({
        ...t.alloc,
        clientStatus: 'unknown',
        clientDescription: ALLOC_STATUS.unknown,
        modifyTime: ctx.now,
      });
    }
  }

  // In-place when no task changed; destructive otherwise.
  const destructive: AllocTuple[] = [];
  for (const t of diff.update) {
    const a = t.alloc;
    if (!a || !a.job || !t.taskGroup) continue;
    if (isTerminal(a) || tasksUpdated(job, a.job, t.taskGroup.name).modified) {
      destructive.push(t);
    } else {
      desired(t).inPlaceUpdate++;
      ctx.appendAlloc({ ...a, evalId: evaluation.id, job: undefined } as Allocation);
    }
  }

  // Destructive updates roll `max_parallel` at a time; the rest waits for a follow-up eval.
  // The job's update block (canonicalization also copies it onto each group).
  const update = job.update ?? job.taskGroups.find((g) => g.update)?.update;
  const maxParallel = update?.maxParallel ?? 0;
  const limit = maxParallel > 0 ? maxParallel : destructive.length;
  // Replacements go before fresh placements: they take back the slot their stopped allocation
  // frees (its node, its distinct_property value) before another node can claim it; placed
  // after, a replacement that then fails restores the old allocation beside the newcomer.
  const place: AllocTuple[] = [];
  destructive.forEach((t, i) => {
    if (i >= limit) {
      desired(t).ignore++;
      return;
    }
    desired(t).destructiveUpdate++;
    if (t.alloc && !isTerminal(t.alloc)) ctx.appendStopped(t.alloc, ALLOC_STATUS.updating);
    place.push(t);
  });
  place.push(...diff.place);
  if (destructive.length > limit) {
    ctx.followupEvals.push(
      makeFollowupEval({
        now: ctx.now,
        id: ctx.newId(),
        namespace: job.namespace,
        priority: evaluation.priority,
        type: job.type,
        triggeredBy: 'rolling-update',
        jobId: job.id,
        jobModifyIndex: job.modifyIndex,
        waitUntil: ctx.now + (update?.stagger ?? 0),
        statusDescription: '',
      }),
    );
  }

  for (const t of place)
    if (t.taskGroup) ctx.queued[t.taskGroup.name] = (ctx.queued[t.taskGroup.name] ?? 0) + 1;
  if (place.length === 0) return;
  const byId = new Map(ready.map((n) => [n.id, n]));
  const placer = ctx.placer(job);
  for (const t of place) {
    const tg = t.taskGroup;
    const node = byId.get(t.nodeId);
    if (!tg || !node) continue;
    const option = placer.select(tg, { allocName: t.name, penaltyNodeIds: new Set(), nodeIds: [node.id] });
    if (!option.node || option.node.id !== node.id) {
      // A node the job's constraints exclude is not a failure for system jobs.
      if (option.exhausted) {
        const failed = ctx.failedTGAllocs[tg.name];
        if (failed) failed.coalescedFailures += 1;
        else ctx.failedTGAllocs[tg.name] = option.metric;
      } else {
        ctx.queued[tg.name] = Math.max(0, (ctx.queued[tg.name] ?? 0) - 1);
      }
      if (t.alloc && !isTerminal(t.alloc) && destructive.includes(t)) ctx.popStopped(t.alloc);
      continue;
    }
    const alloc: Allocation = markNewAllocation(
      newAllocation({
        id: ctx.newId(),
        namespace: job.namespace,
        evalId: evaluation.id,
        name: t.name,
        jobId: job.id,
        taskGroup: tg.name,
        nodeId: node.id,
        nodeName: node.name,
        deploymentId: '',
        allocatedResources: option.resources,
        metrics: option.metric,
        now: ctx.now,
      }),
    );

    if (t.alloc?.id && t.alloc.nodeId === node.id) alloc.previousAllocation = t.alloc.id;
    if (option.preemptedAllocs.length > 0) {
      alloc.preemptedAllocations = option.preemptedAllocs.map((a) => a.id);
      for (const v of option.preemptedAllocs) ctx.appendPreempted(v, alloc.id);
      const d = ctx.desiredTGUpdates[tg.name];
      if (d) d.preemptions += option.preemptedAllocs.length;
    }
    desired(t).place++;
    ctx.appendAlloc(alloc);
  }
}
