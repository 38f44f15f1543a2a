import type { Job, TaskGroup } from '../jobspec/types.js';
import { createRng, type Rng } from '../util/rng.js';
import { EvalContext, emptyPlan, type PlacementConfig } from './context.js';
import type { Placement } from './placement.js';
import { placementConfigFor } from './scheduleContext.js';
import type { SchedulerSnapshot } from './snapshot.js';
import { createStack, stackKindOf } from './stack.js';

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
): Placement {
  const config: PlacementConfig = {
    ...placementConfigFor(snapshot.schedulerConfiguration(), job.type),
    ...options.config,
  };
  const rng =
    options.rng ?? createRng(options.seed ?? `${job.namespace}/${job.id}:${snapshot.latestIndex()}`);
  const ctx = new EvalContext(snapshot, job, emptyPlan('', job, snapshot.latestIndex()), rng, config);
  return createStack(ctx, stackKindOf(job.type)).select(group, { penaltyNodeIds: options.penaltyNodeIds });
}
