/**
 * The service and batch scheduler: reconcile the job with its allocations, then place what the
 * reconciler asks for through the placement stack, and describe it all as a plan.
 */
import type { Job, TaskGroup } from '../jobspec/types.js';
import {
  markNewAllocation,
  newAllocation,
  type Allocation,
  type RescheduleEvent,
  isTerminal,
} from '../structs/allocation.js';
import { nodeInDCsAndPool, nodeReady } from './feasible/readyNodes.js';
import { allocIndexFromName } from './reconcile/allocNameIndex.js';
import { allocTaskGroup, lastEventTime } from './reconcile/allocFilters.js';
import { nextDelay } from './reconcile/reschedule.js';
import { ALLOC_STATUS, reconcileCluster, type PlaceRequest } from './reconcile/reconcileCluster.js';
import { tasksUpdated } from './reconcile/tasksUpdated.js';
import type { Placer } from './placement.js';
import type { SchedulerContext } from './scheduleContext.js';
import { markLostStopped, taintedNodes } from './tainted.js';

/** Keep at most this many past reschedule events when rescheduling is unlimited. */
const MAX_PAST_RESCHEDULE_EVENTS = 5;

/**
 * Runs the generic (service / batch) scheduler for one evaluation into `ctx`. Effects: only on
 * `ctx` (plan, follow-ups, metrics), which the caller owns.
 */
export function scheduleGeneric(ctx: SchedulerContext, isBatch: boolean): void {
  const { snapshot, evaluation } = ctx;
  const job = snapshot.jobById(evaluation.namespace, evaluation.jobId);
  const allocs = snapshot.allocsByJob(evaluation.namespace, evaluation.jobId);
  const tainted = taintedNodes(ctx, allocs);

  markLostStopped(ctx, allocs, tainted);

  // One placement engine per evaluation, shared by in-place checks and placements.
  let placer: Placer | undefined;
  const deployment = isBatch
    ? undefined
    : snapshot.deploymentsByJob(evaluation.namespace, evaluation.jobId)[0];
  const liveJob = job && !job.stop ? job : undefined;
  const result = reconcileCluster({
    job,
    jobId: evaluation.jobId,
    namespace: evaluation.namespace,
    isBatch,
    deployment,
    allocs,
    taintedNodes: tainted,
    now: ctx.now,
    evalId: evaluation.id,
    evalPriority: evaluation.priority,
    allocUpdateFn: (existing, newJob, tg) =>
      allocUpdate(ctx, existing, newJob, tg, () => (placer ??= ctx.placer(newJob))),
    newId: () => ctx.newId(),
  });

  ctx.desiredTGUpdates = result.desiredTGUpdates;
  if (result.deployment) ctx.plan.deployment = result.deployment;
  ctx.plan.deploymentUpdates.push(...result.deploymentUpdates);
  ctx.followupEvals.push(...result.followupEvals);
  const activeDeployment =
    result.deployment ??
    (deployment &&
    deployment.jobVersion === job?.version &&
    ['running', 'paused', 'pending'].includes(deployment.status)
      ? deployment
      : undefined);

  for (const s of result.stop)
    ctx.appendStopped(s.alloc, s.statusDescription, s.clientStatus, s.followupEvalId);
  for (const u of result.inplaceUpdate) {
    const id = activeDeployment?.id ?? '';
    const updated: Allocation =
      u.deploymentId !== id ? { ...u, deploymentId: id, deploymentStatus: undefined } : u;
    ctx.appendAlloc(updated);
  }
  for (const u of result.attributeUpdates) ctx.appendAlloc(u);
  for (const u of result.disconnectUpdates) ctx.appendAlloc(u);

  if (!liveJob) return;
  for (const tg of liveJob.taskGroups) ctx.queued[tg.name] = 0;
  const all = [...result.destructiveUpdate, ...result.place];
  for (const p of all) ctx.queued[p.taskGroup.name] = (ctx.queued[p.taskGroup.name] ?? 0) + 1;
  if (all.length === 0) return;

  placer ??= ctx.placer(liveJob);
  for (const p of all)
    placeOne(ctx, liveJob, p, activeDeployment?.id ?? '', result.nameIndexes.get(p.taskGroup.name), placer);
}

/** Nomad's allocUpdateFn: ignore unchanged, destructive when tasks changed or the node no longer fits. */
function allocUpdate(
  ctx: SchedulerContext,
  existing: Allocation,
  job: Job,
  tg: TaskGroup,
  placer: () => Placer,
): { kind: 'ignore' } | { kind: 'destructive' } | { kind: 'inplace'; alloc: Allocation } {
  if (!existing.job || existing.job.jobModifyIndex === job.jobModifyIndex) return { kind: 'ignore' };
  if (tasksUpdated(job, existing.job, tg.name).modified) return { kind: 'destructive' };
  if (isTerminal(existing)) return { kind: 'ignore' };
  const node = ctx.snapshot.nodeById(existing.nodeId);
  if (!node) return { kind: 'destructive' };
  if (!nodeInDCsAndPool(node, job)) return { kind: 'destructive' };
  // The node must still pass the new version's checks with the allocation's own resources
  // freed (Nomad runs the stack on that one node). Draining or ineligible nodes keep theirs.
  if (nodeReady(node)) {
    ctx.appendStopped(existing, ALLOC_STATUS.inPlace);
    const option = placer().select(tg, {
      allocName: existing.name,
      penaltyNodeIds: new Set(),
      nodeIds: [node.id],
    });
    ctx.popStopped(existing);
    if (option.node?.id !== node.id) return { kind: 'destructive' };
  }
  // Resources are unchanged (tasksUpdated compares them), so the allocation keeps its
  // resources and only picks up the new job version.
  return { kind: 'inplace', alloc: { ...existing, evalId: ctx.evaluation.id, job: undefined } as Allocation };
}

const NO_PENALTIES: ReadonlySet<string> = new Set();

function placeOne(
  ctx: SchedulerContext,
  job: Job,
  p: PlaceRequest,
  deploymentId: string,
  nameIndex:
    { isDuplicate(i: number): boolean; next(n: number): string[]; unsetIndex(i: number): void } | undefined,
  placer: Placer,
): void {
  const tg = p.taskGroup;
  // Once a group failed, further placements only add to its coalesced failures.
  const failed = ctx.failedTGAllocs[tg.name];
  if (failed) {
    failed.coalescedFailures += 1;
    return;
  }
  const prev = p.previousAlloc;
  if (prev && p.stopPrevious) ctx.appendStopped(prev, p.stopPrevious);

  // Only replacements carry penalties: most placements share one empty set.
  let penaltyNodeIds: ReadonlySet<string> = NO_PENALTIES;
  if (prev) {
    const nodes = new Set<string>();
    if (prev.clientStatus === 'failed') nodes.add(prev.nodeId);
    for (const e of prev.rescheduleTracker?.events ?? []) nodes.add(e.prevNodeId);
    penaltyNodeIds = nodes;
  }
  let preferredNodeId: string | undefined;
  if (prev && (tg.ephemeralDisk?.sticky || tg.ephemeralDisk?.migrate)) {
    const n = ctx.snapshot.nodeById(prev.nodeId);
    if (n && n.status === 'ready' && prev.job?.nodePool === job.nodePool) preferredNodeId = n.id;
  }

  const option = placer.select(tg, { allocName: p.name, penaltyNodeIds, preferredNodeId });
  if (!option.node) {
    ctx.failedTGAllocs[tg.name] = option.metric;
    if (prev && p.stopPrevious) ctx.popStopped(prev);
    if (prev && p.reschedule) {
      ctx.appendAlloc({
        ...prev,
        rescheduleTracker: { events: prev.rescheduleTracker?.events ?? [], lastReschedule: 'no placement' },
      });
    }
    return;
  }

  let name = p.name;
  const idx = allocIndexFromName(name, job.id, tg.name);
  if (nameIndex?.isDuplicate(idx)) {
    name = nameIndex.next(1)[0] ?? name;
    nameIndex.unsetIndex(idx);
  }

  const alloc: Allocation = markNewAllocation(
    newAllocation({
      id: ctx.newId(),
      namespace: job.namespace,
      evalId: ctx.evaluation.id,
      name,
      jobId: job.id,
      taskGroup: tg.name,
      nodeId: option.node.id,
      nodeName: option.node.name,
      deploymentId,
      allocatedResources: option.resources,
      metrics: option.metric,
      now: ctx.now,
    }),
  );

  if (prev) {
    alloc.previousAllocation = prev.id;
    if (p.reschedule) {
      alloc.rescheduleTracker = { events: carriedRescheduleEvents(prev, ctx.now), lastReschedule: 'ok' };
      ctx.replaceStopped(prev, {
        ...prev,
        rescheduleTracker: { events: prev.rescheduleTracker?.events ?? [], lastReschedule: 'ok' },
      });
    }
  }
  if (p.canary && deploymentId) alloc.deploymentStatus = { canary: true, timestamp: 0, modifyIndex: 0 };
  if (option.preemptedAllocs.length > 0) {
    alloc.preemptedAllocations = option.preemptedAllocs.map((a) => a.id);
    for (const v of option.preemptedAllocs) ctx.appendPreempted(v, alloc.id);
    const d = ctx.desiredTGUpdates[tg.name];
    if (d) d.preemptions += option.preemptedAllocs.length;
  }
  ctx.appendAlloc(alloc);
}

/**
 * The reschedule tracker a replacement inherits: past events within the interval (or the last
 * five when unlimited) plus this reschedule, with the delay it waited. Pure.
 */
export function carriedRescheduleEvents(prev: Allocation, now: number): RescheduleEvent[] {
  const policy = allocTaskGroup(prev)?.reschedulePolicy;
  const past = prev.rescheduleTracker?.events ?? [];
  let kept: RescheduleEvent[];
  if (policy && policy.attempts > 0) {
    kept = policy.interval > 0 ? past.filter((e) => now - e.rescheduleTime <= policy.interval) : [];
  } else {
    kept = past.slice(Math.max(0, past.length - MAX_PAST_RESCHEDULE_EVENTS));
  }
  const delay = nextDelay(policy, past, lastEventTime(prev));
  return [
    ...kept.map((e) => ({ ...e })),
    { rescheduleTime: now, prevAllocId: prev.id, prevNodeId: prev.nodeId, delay },
  ];
}
