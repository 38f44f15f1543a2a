/**
 * A scheduling worker: dequeues an evaluation, takes a snapshot at least as new as the
 * evaluation, runs `schedule`, submits the plan to the applier, and on a partial commit
 * refreshes the snapshot and schedules again (Nomad's plan retry), then writes the evaluation's
 * outcome (status, follow-ups, blocked evaluation) and acks.
 */
import { schedule, type ScheduleOptions, type ScheduleResult } from '../scheduler/schedule.js';
import type { Evaluation } from '../structs/evaluation.js';
import type { Plan } from '../structs/plan.js';
import type { EvalUpdateCommand } from '../state/commands.js';
import type { StateSnapshot } from '../state/stateSnapshot.js';
import type { EvalBroker } from './evalBroker.js';
import type { PlanApplier } from './planApplier.js';

/** Scheduler types a worker takes by default (`_core` is the GC's). */
export const DEFAULT_SCHEDULERS = ['service', 'batch', 'system', 'sysbatch'] as const;

/** Plan attempts before an evaluation gives up (Nomad: 5 for service, 2 for batch). */
export const MAX_SERVICE_SCHEDULE_ATTEMPTS = 5;
export const MAX_BATCH_SCHEDULE_ATTEMPTS = 2;

/** What a worker needs from the server. */
export interface WorkerHost {
  readonly broker: EvalBroker<Evaluation>;
  readonly applier: PlanApplier;
  state(): StateSnapshot;
  now(): number;
  /** Proposes the outcome; an answer `{ ok: false, error }` means it was refused. */
  propose(command: EvalUpdateCommand): Promise<unknown>;
  /** Extra options for `schedule` (placer, scheduler configuration). */
  scheduleOptions?: Partial<ScheduleOptions> | undefined;
}

/** What one worker step did. */
export interface WorkerStep {
  readonly evaluation: Evaluation;
  readonly result: ScheduleResult | undefined;
  readonly attempts: number;
  readonly placed: number;
  /** Why the evaluation's outcome could not be written (it was nacked for a retry). */
  readonly refused?: string | undefined;
}

/** The reason a proposal was refused, when the host's answer says so (`{ ok: false, error }`). */
function refusal(answer: unknown): string | undefined {
  if (typeof answer !== 'object' || answer === null) return undefined;
  const a = answer as { ok?: unknown; error?: unknown };
  return a.ok === false ? String(a.error ?? 'refused') : undefined;
}

function planHasWork(p: Plan): boolean {
  const any = (r: Record<string, readonly unknown[]>) => Object.values(r).some((l) => l.length > 0);
  return (
    any(p.nodeAllocation) ||
    any(p.nodeUpdate) ||
    any(p.nodePreemptions) ||
    !!p.deployment ||
    p.deploymentUpdates.length > 0
  );
}

/**
 * Processes one evaluation, if one is ready. Deterministic for a given state, evaluation and seed.
 * @example
 * while (await runWorkerOnce(host)) {}
 */
export async function runWorkerOnce(
  host: WorkerHost,
  schedulers: readonly string[] = DEFAULT_SCHEDULERS,
): Promise<WorkerStep | undefined> {
  const delivery = host.broker.dequeue(schedulers, host.now());
  if (!delivery) return undefined;
  const { evaluation, token } = delivery;
  const maxAttempts =
    evaluation.type === 'batch' ? MAX_BATCH_SCHEDULE_ATTEMPTS : MAX_SERVICE_SCHEDULE_ATTEMPTS;
  let snapshot = host.state();
  let result: ScheduleResult | undefined;
  let attempts = 0;
  let placed = 0;
  try {
    for (;;) {
      attempts++;
      result = schedule(snapshot, evaluation, { now: host.now(), ...host.scheduleOptions });
      if (!planHasWork(result.plan)) break;
      const plan: Plan = { ...result.plan, evalToken: token, priority: evaluation.priority };
      const applied = await host.applier.submit(plan);
      if (applied.error) {
        // Stale token, lost leadership or a refused PlanApply: the broker redelivers after its
        // nack delay (and fails the evaluation at its delivery limit).
        host.broker.nack(evaluation.id, token, host.now());
        return { evaluation, result, attempts, placed, refused: applied.error };
      }
      for (const l of Object.values(applied.nodeAllocation)) placed += l.length;
      if (applied.refreshIndex === 0) break;
      if (attempts >= maxAttempts) {
        // Out of attempts: what was placed stays, the rest waits as a blocked evaluation.
        result = {
          ...result,
          evaluation: {
            ...result.evaluation,
            status: 'failed',
            statusDescription: `maximum attempts reached (${maxAttempts})`,
          },
        };
        break;
      }
      snapshot = host.state();
    }
    const evals: Evaluation[] = [
      { ...result.evaluation, snapshotIndex: snapshot.index, modifyTime: host.now() },
    ];
    evals.push(...result.followupEvals);
    if (result.blockedEval) evals.push(result.blockedEval);
    const refused = refusal(await host.propose({ type: 'EvalUpdate', evals }));
    if (refused !== undefined) {
      // The outcome was not recorded: hand the evaluation back. The broker redelivers it and,
      // past its delivery limit, moves it to the failed queue, which the leader records.
      host.broker.nack(evaluation.id, token, host.now());
      return { evaluation, result, attempts, placed, refused };
    }
    host.broker.ack(evaluation.id, token);
  } catch (e) {
    // Our own invariant broke; hand the evaluation back before surfacing the error.
    host.broker.nack(evaluation.id, token, host.now());
    throw e;
  }
  return { evaluation, result, attempts, placed };
}
