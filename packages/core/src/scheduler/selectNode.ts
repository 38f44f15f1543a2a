import type { Job, TaskGroup } from '../jobspec/types.js';
import type { AllocMetric } from '../structs/allocMetric.js';
import type { Allocation } from '../structs/allocation.js';
import type { Node } from '../structs/node.js';
import type { AllocatedResources } from '../structs/resources.js';
import { createRng, type Rng } from '../util/rng.js';
import { EvalContext, emptyPlan, type PlacementConfig } from './context.js';
import type { SchedulerSnapshot } from './snapshot.js';
import { createStack, type StackKind } from './stack.js';

/** Options of `selectNode`. */
export interface SelectNodeOptions {
  /** Seed or RNG for the node order (default: seeded from the job ID and snapshot index). */
  seed?: number | string | undefined;
  rng?: Rng | undefined;
  /** Scheduler settings; defaults to the snapshot's scheduler configuration for the job type. */
  config?: Partial<PlacementConfig> | undefined;
  /** Nodes where a previous attempt failed (scored −1). */
  penaltyNodeIds?: ReadonlySet<string> | undefined;
}

/** The result of `selectNode`. */
export interface NodeChoice {
  node: Node | undefined;
  score: number;
  resources: AllocatedResources | undefined;
  preemptedAllocs: Allocation[];
  metric: AllocMetric;
}

/**
 * Chooses a node for one allocation of `group` against a snapshot, with Nomad's feasibility,
 * ranking, selection and (when enabled) preemption. Pure: the same snapshot, job and seed give
 * the same answer; nothing is modified.
 * @example
 * const { node, metric } = selectNode(createSnapshot({ nodes }), job, job.taskGroups[0], { seed: 1 });
 */
export function selectNode(
  snapshot: SchedulerSnapshot,
  job: Job,
  group: TaskGroup,
  options: SelectNodeOptions = {},
): NodeChoice {
  const sc = snapshot.schedulerConfiguration();
  const p = sc.preemptionConfig;
  const preemption =
    job.type === 'system'
      ? p.systemSchedulerEnabled
      : job.type === 'sysbatch'
        ? p.sysBatchSchedulerEnabled
        : job.type === 'batch'
          ? p.batchSchedulerEnabled
          : p.serviceSchedulerEnabled;
  const config: PlacementConfig = {
    algorithm: sc.schedulerAlgorithm,
    preemption,
    memoryOversubscription: sc.memoryOversubscriptionEnabled,
    nodeLimitForFeasibility: 100,
    ...options.config,
  };
  const rng =
    options.rng ?? createRng(options.seed ?? `${job.namespace}/${job.id}:${snapshot.latestIndex()}`);
  const ctx = new EvalContext(snapshot, job, emptyPlan('', job, snapshot.latestIndex()), rng, config, false);
  const kind = (
    ['service', 'batch', 'system', 'sysbatch'].includes(job.type) ? job.type : 'service'
  ) as StackKind;
  const sel = createStack(ctx, kind).select(group, { penaltyNodeIds: options.penaltyNodeIds });
  return {
    node: sel.node,
    score: sel.score,
    resources: sel.resources,
    preemptedAllocs: sel.preemptedAllocs,
    metric: sel.metric,
  };
}
