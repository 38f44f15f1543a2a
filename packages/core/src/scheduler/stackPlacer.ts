import type { Job } from '../jobspec/types.js';
import { EvalContext, type PlacementConfig } from './context.js';
import type { PlacerFactory, SchedulerContext } from './scheduleContext.js';
import { createStack, type StackKind } from './stack.js';

/** Placement settings for a job from the cluster's scheduler configuration. Pure. */
export function placementConfigFor(ctx: SchedulerContext, job: Job): PlacementConfig {
  const p = ctx.config.preemptionConfig;
  const preemption =
    job.type === 'system'
      ? p.systemSchedulerEnabled
      : job.type === 'sysbatch'
        ? p.sysBatchSchedulerEnabled
        : job.type === 'batch'
          ? p.batchSchedulerEnabled
          : p.serviceSchedulerEnabled;
  return {
    algorithm: ctx.config.schedulerAlgorithm,
    preemption,
    memoryOversubscription: ctx.config.memoryOversubscriptionEnabled,
    nodeLimitForFeasibility: 100,
  };
}

/**
 * `schedule()`'s placement seam backed by the full stack: feasibility, ranking, selection,
 * preemption and metrics. The scheduler may write the plan directly; the stack catches up
 * with it before each placement.
 * @example schedule(snapshot, evaluation, { now, placer: createStackPlacer })
 */
export const createStackPlacer: PlacerFactory = (ctx, job) => {
  const evalCtx = new EvalContext(ctx.snapshot, job, ctx.plan, ctx.rng, placementConfigFor(ctx, job));
  const kind = (
    ['service', 'batch', 'system', 'sysbatch'].includes(job.type) ? job.type : 'service'
  ) as StackKind;
  const stack = createStack(evalCtx, kind);
  return {
    select(group, request) {
      const preferred = request.preferredNodeId ? ctx.snapshot.nodeById(request.preferredNodeId) : undefined;
      const sel = stack.select(group, {
        penaltyNodeIds: request.penaltyNodeIds,
        preferredNodes: preferred ? [preferred] : undefined,
        onlyNodeIds: request.nodeIds,
        allocName: request.allocName,
      });
      return {
        node: sel.node,
        allocatedResources: sel.resources,
        preemptedAllocs: sel.preemptedAllocs,
        metrics: sel.metric,
        exhausted: !sel.node && sel.metric.nodesExhausted > 0,
      };
    },
    classEligibility: () => stack.classEligibility(),
  };
};
