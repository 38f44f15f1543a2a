/**
 * `schedule()`: given a snapshot of the cluster and an evaluation, return the plan Nomad would
 * make, with follow-up and blocked evaluations, failed placement metrics and annotations.
 */
import type { AllocMetric } from '../structs/allocMetric.js';
import { newEvaluation, type EvalStatus, type Evaluation } from '../structs/evaluation.js';
import type { Plan, PlanAnnotations } from '../structs/plan.js';
import { createRng, type Rng } from '../util/rng.js';
import { scheduleGeneric } from './generic.js';
import { SchedulerContext, type PlacerFactory } from './scheduleContext.js';
import { createStackPlacer } from './stack.js';
import type { SchedulerSnapshot } from './snapshot.js';
import { scheduleSystem } from './system.js';
import type { SchedulerConfiguration } from '../structs/schedulerConfiguration.js';

/** Options of {@link schedule}. */
export interface ScheduleOptions {
  /** The current time, ns since the epoch (reschedule delays, follow-up wait-until). */
  now: number;
  /** Seed of the evaluation's RNG; defaults to `${evaluation.id}:${snapshot index}`. */
  seed?: number | string | undefined;
  /** An RNG to use instead of seeding one (takes precedence over `seed`). */
  rng?: Rng | undefined;
  /**
   * Scheduler configuration (algorithm binpack/spread, preemption per scheduler type, memory
   * oversubscription); defaults to the snapshot's.
   */
  schedulerConfig?: SchedulerConfiguration | undefined;
  /** Replaces the placement engine (for embedders and tests); defaults to the built-in stack. */
  placer?: PlacerFactory | undefined;
}

/** Everything one evaluation decided, as data; nothing has been applied. */
export interface ScheduleResult {
  /** Allocations to place, stop, update in place and preempt per node; deployment changes. */
  plan: Plan;
  /** Evaluations to create: delayed reschedules (with `waitUntil`) and rolling-update follow-ups. */
  followupEvals: Evaluation[];
  /** An evaluation blocked until capacity changes, for what could not be placed. */
  blockedEval?: Evaluation | undefined;
  /** Per task group, the metrics of the first failed placement (later ones are coalesced). */
  failedTGAllocs: Record<string, AllocMetric>;
  /** Per task group counts (place, stop, migrate, in-place, destructive, canary, ignore …). */
  annotations: PlanAnnotations;
  /** Per task group, placements that remain queued once this plan is committed in full. */
  queuedAllocations: Record<string, number>;
  /** The evaluation with its final status, description and links to follow-up/blocked evals. */
  evaluation: Evaluation;
}

/** Triggers the generic and system schedulers accept (Nomad's list). */
const HANDLED_TRIGGERS = new Set([
  'job-register',
  'job-deregister',
  'node-drain',
  'node-update',
  'alloc-stop',
  'alloc-reschedule',
  'rolling-update',
  'queued-allocs',
  'periodic-job',
  'max-plan-attempts',
  'deployment-watcher',
  'alloc-failure',
  'failed-follow-up',
  'preemption',
  'job-scaling',
  'max-disconnect-timeout',
  'reconnect',
  'scheduled',
]);

/**
 * Runs the scheduler for the evaluation's job type against a snapshot. Pure and deterministic:
 * the same snapshot, evaluation and seed give the same result.
 * @example
 * const snap = createSnapshot({ nodes, jobs: [job], index: 7 });
 * const { plan, evaluation } = schedule(snap, evaluation, { now: 1_700_000_000e9 });
 */
export function schedule(
  snapshot: SchedulerSnapshot,
  evaluation: Evaluation,
  options: ScheduleOptions,
): ScheduleResult {
  const rng = options.rng ?? createRng(options.seed ?? `${evaluation.id}:${snapshot.latestIndex()}`);
  const config = options.schedulerConfig ?? snapshot.schedulerConfiguration();
  const ctx = new SchedulerContext(
    snapshot,
    evaluation,
    options.now,
    rng,
    config,
    options.placer ?? createStackPlacer,
  );

  if (!HANDLED_TRIGGERS.has(evaluation.triggeredBy)) {
    return finish(ctx, 'failed', `scheduler cannot handle '${evaluation.triggeredBy}' evaluation reason`);
  }
  switch (evaluation.type) {
    case 'service':
      scheduleGeneric(ctx, false);
      break;
    case 'batch':
      scheduleGeneric(ctx, true);
      break;
    case 'system':
    case 'sysbatch':
      scheduleSystem(ctx);
      break;
    default:
      return finish(ctx, 'failed', `unknown scheduler type '${evaluation.type}'`);
  }
  return finish(ctx, 'complete', '');
}

function finish(ctx: SchedulerContext, status: EvalStatus, description: string): ScheduleResult {
  const ev: Evaluation = { ...ctx.evaluation };
  const failed = Object.keys(ctx.failedTGAllocs).length > 0;
  const annotations: PlanAnnotations = {
    desiredTGUpdates: ctx.desiredTGUpdates,
    preemptedAllocs: ctx.preempted,
  };
  let blockedEval: Evaluation | undefined;
  const followups = ctx.followupEvals.map((f) => ({ ...f }));

  if (status === 'complete' && failed) {
    const eligibility = ctx.classEligibility();
    if (ctx.evaluation.status === 'blocked') {
      // A blocked evaluation that still cannot place goes back to waiting, with fresh eligibility.
      status = 'blocked';
      ev.classEligibility = eligibility.classes;
      ev.escapedComputedClass = eligibility.escaped;
      ev.missingNonNodeResources = eligibility.missing.length > 0 ? eligibility.missing : undefined;
    } else if (followups.length === 0 || ctx.now > ctx.evaluation.waitUntil) {
      const e = ctx.evaluation;
      blockedEval = {
        ...newEvaluation({
          id: ctx.newId(),
          namespace: e.namespace,
          jobId: e.jobId,
          priority: e.priority,
          type: e.type,
          triggeredBy: e.triggeredBy,
          now: ctx.now,
          status: 'blocked',
          statusDescription: 'created to place remaining allocations',
          nodeId: e.nodeId,
          deploymentId: e.deploymentId,
          jobModifyIndex: e.jobModifyIndex,
          previousEval: e.id,
        }),
        nodeModifyIndex: e.nodeModifyIndex,
        quotaLimitReached: e.quotaLimitReached,
        leaderACL: e.leaderACL,
        annotatePlan: e.annotatePlan,
        classEligibility: eligibility.escaped ? {} : eligibility.classes,
        escapedComputedClass: eligibility.escaped,
        missingNonNodeResources: eligibility.missing.length > 0 ? eligibility.missing : undefined,
        failedTGAllocs: ctx.failedTGAllocs,
        snapshotIndex: ctx.snapshot.latestIndex(),
      };
      ev.blockedEval = blockedEval.id;
    }
  }

  // Delayed-reschedule follow-ups are created only by an evaluation that is not itself a
  // delayed one; a rolling update's next batch always is (else a system job's rolling update
  // stops after its second batch, the first follow-up being delayed by the stagger).
  const created =
    ctx.evaluation.waitUntil === 0 ? followups : followups.filter((f) => f.triggeredBy === 'rolling-update');
  for (const f of created) {
    f.previousEval = ctx.evaluation.id;
    ev.nextEval = f.id;
  }

  const plan = ctx.plan;
  if (ctx.evaluation.annotatePlan) plan.annotations = annotations;
  const queued = { ...ctx.queued };
  for (const [g, m] of Object.entries(ctx.failedTGAllocs)) queued[g] = 1 + m.coalescedFailures;
  for (const g of Object.keys(queued)) if (!ctx.failedTGAllocs[g]) queued[g] = 0;

  ev.status = status;
  ev.statusDescription = description;
  ev.failedTGAllocs = ctx.failedTGAllocs;
  ev.queuedAllocations = queued;
  ev.deploymentId = plan.deployment?.id ?? ctx.evaluation.deploymentId;
  ev.snapshotIndex = ctx.snapshot.latestIndex();
  if (ctx.evaluation.annotatePlan) ev.planAnnotations = annotations;
  return {
    plan,
    followupEvals: created,
    blockedEval,
    failedTGAllocs: ctx.failedTGAllocs,
    annotations,
    queuedAllocations: queued,
    evaluation: ev,
  };
}
