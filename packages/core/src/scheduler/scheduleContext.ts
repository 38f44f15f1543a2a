/**
 * The context of one `schedule()` call: the evaluation context that owns the plan, plus what
 * the schedulers record beside it (follow-up evaluations, failed placement metrics, queued
 * counts, desired updates) and the placement engine.
 */
import type { Job } from '../jobspec/types.js';
import type { AllocMetric } from '../structs/allocMetric.js';
import type { Evaluation } from '../structs/evaluation.js';
import type { DesiredUpdates } from '../structs/plan.js';
import { uuid, type Rng } from '../util/rng.js';
import { EvalContext, emptyPlan, type PlacementConfig } from './context.js';
import type { ClassEligibilityReport, Placer } from './placement.js';
import type { SchedulerSnapshot } from './snapshot.js';
import type { SchedulerConfiguration } from '../structs/schedulerConfiguration.js';

/** Placement settings for a job type from the cluster's scheduler configuration. Pure. */
export function placementConfigFor(
  config: SchedulerConfiguration,
  jobType: string | undefined,
): PlacementConfig {
  const p = config.preemptionConfig;
  const preemption =
    jobType === 'system'
      ? p.systemSchedulerEnabled
      : jobType === 'sysbatch'
        ? p.sysBatchSchedulerEnabled
        : jobType === 'batch'
          ? p.batchSchedulerEnabled
          : p.serviceSchedulerEnabled;
  return {
    algorithm: config.schedulerAlgorithm,
    preemption,
    memoryOversubscription: config.memoryOversubscriptionEnabled,
    nodeLimitForFeasibility: 100,
  };
}

/** Builds the placer of one evaluation; `ctx` owns the plan the placements go into. */
export type PlacerFactory = (ctx: SchedulerContext, job: Job) => Placer;

/** The evaluation context of `schedule()`, with the scheduler's own records. */
export class SchedulerContext extends EvalContext {
  readonly followupEvals: Evaluation[] = [];
  readonly failedTGAllocs: Record<string, AllocMetric> = {};
  readonly queued: Record<string, number> = {};
  desiredTGUpdates: Record<string, DesiredUpdates> = {};
  private placerOf: Placer | undefined;

  constructor(
    snapshot: SchedulerSnapshot,
    readonly evaluation: Evaluation,
    readonly now: number,
    rng: Rng,
    readonly config: SchedulerConfiguration,
    private readonly placerFactory: PlacerFactory,
  ) {
    const job = snapshot.jobById(evaluation.namespace, evaluation.jobId);
    const plan = emptyPlan(evaluation.id, job, snapshot.latestIndex());
    plan.priority = evaluation.priority;
    super(snapshot, job, plan, rng, placementConfigFor(config, job?.type));
  }

  /** A fresh UUID (v4 layout) from the evaluation's seeded RNG. */
  newId(): string {
    return uuid(this.rng);
  }

  /** The evaluation's placement engine (one per evaluation, built on first use). */
  placer(job: Job): Placer {
    return (this.placerOf ??= this.placerFactory(this, job));
  }

  /** Class eligibility found by the placer (empty when nothing was placed). */
  classEligibility(): ClassEligibilityReport {
    const e = this.placerOf?.classEligibility?.();
    return {
      classes: e?.classes ?? {},
      escaped: e?.escaped ?? false,
      missing: [...new Set(e?.missing ?? [])].sort(),
    };
  }
}
