/**
 * The deployment watcher, as a pure step over the state: reads client-reported allocation
 * health (the client decides healthy after `min_healthy_time`, unhealthy after
 * `healthy_deadline`) and returns the commands Nomad's watcher would issue: fail on an unhealthy
 * allocation or a missed `progress_deadline` (reverting to the latest stable version when
 * `auto_revert`), promote canaries when `auto_promote` and they are healthy, mark the deployment
 * successful and its job version stable, and ask for a new evaluation whenever health progressed
 * so a rolling update continues.
 */
import type { Job } from '../jobspec/types.js';
import type { Deployment } from '../structs/deployment.js';
import type { Command } from '../state/commands.js';
import { deploymentActive } from '../state/reducer.js';
import type { StateSnapshot } from '../state/stateSnapshot.js';
import { newEvaluation, type EvalTrigger } from '../structs/evaluation.js';

/** Nomad's status descriptions. */
export const DEPLOYMENT_DESCRIPTIONS = {
  successful: 'Deployment completed successfully',
  failedAllocations: 'Failed due to unhealthy allocations',
  progressDeadline: 'Failed due to progress deadline',
  failedByUser: 'Deployment marked as failed',
  promoted: 'Deployment is running',
} as const;

/** Memory the watcher keeps between steps (healthy counts seen per deployment). */
export type DeploymentWatcherMemory = Map<string, number>;

/** The latest stable version of a job older than `version`, if any. */
export function latestStableBefore(
  state: StateSnapshot,
  namespace: string,
  jobId: string,
  version: number,
): Job | undefined {
  return state.jobVersions(namespace, jobId).find((j) => j.stable && j.version < version);
}

/** Commands failing a deployment, with the auto-revert job when asked and one exists. Pure. */
export function failDeployment(
  state: StateSnapshot,
  d: Deployment,
  description: string,
  revert: boolean,
  newId: () => string,
  now: number,
): Command {
  const job = state.jobById(d.namespace, d.jobId);
  let statusDescription = description;
  let revertJob: Job | undefined;
  if (revert && job) {
    const stable = latestStableBefore(state, d.namespace, d.jobId, d.jobVersion);
    if (stable) {
      statusDescription = `${description} - rolling back to job version ${stable.version}`;
      revertJob = { ...stable, stop: false };
    } else statusDescription = `${description} - no stable job version to auto revert to`;
  }
  return {
    type: 'DeploymentStatusUpdate',
    update: { deploymentId: d.id, status: 'failed', statusDescription },
    job: revertJob,
    evaluation: job
      ? newEvaluation({
          id: newId(),
          namespace: d.namespace,
          jobId: d.jobId,
          priority: job.priority,
          type: job.type,
          triggeredBy: 'deployment-watcher',
          deploymentId: d.id,
          now,
        })
      : undefined,
    now,
  };
}

/**
 * One watcher step over every active deployment. Deterministic (deployments in id order).
 * @example
 * for (const cmd of watchDeployments(state, clock.now(), newId, memory)) await propose(cmd);
 */
export function watchDeployments(
  state: StateSnapshot,
  now: number,
  newId: () => string,
  memory: DeploymentWatcherMemory,
): Command[] {
  const out: Command[] = [];
  for (const d of state.tables.deployments.values()) {
    if (!deploymentActive(d) || d.status === 'paused') {
      memory.delete(d.id);
      continue;
    }
    const job = state.jobById(d.namespace, d.jobId);
    if (!job) continue;
    const groups = Object.entries(d.taskGroups).sort(([a], [b]) => (a < b ? -1 : 1));
    const evalFor = (triggeredBy: EvalTrigger) =>
      newEvaluation({
        id: newId(),
        namespace: d.namespace,
        jobId: d.jobId,
        priority: job.priority,
        type: job.type,
        triggeredBy,
        deploymentId: d.id,
        now,
      });

    const unhealthy = groups.find(([, s]) => s.unhealthyAllocs > 0);
    if (unhealthy) {
      out.push(
        failDeployment(
          state,
          d,
          DEPLOYMENT_DESCRIPTIONS.failedAllocations,
          unhealthy[1].autoRevert,
          newId,
          now,
        ),
      );
      continue;
    }
    const late = groups.find(([, s]) => {
      if (s.progressDeadline <= 0) return false;
      const done = s.healthyAllocs >= s.desiredTotal && (s.desiredCanaries === 0 || s.promoted);
      const by = s.requireProgressBy || d.createTime + s.progressDeadline;
      return !done && now > by;
    });
    if (late) {
      out.push(
        failDeployment(state, d, DEPLOYMENT_DESCRIPTIONS.progressDeadline, late[1].autoRevert, newId, now),
      );
      continue;
    }
    const needsPromotion = groups.filter(([, s]) => s.desiredCanaries > 0 && !s.promoted);
    if (needsPromotion.length > 0) {
      const ready = needsPromotion.every(([, s]) => {
        const healthy = s.placedCanaries.filter(
          (id) => state.allocById(id)?.deploymentStatus?.healthy === true,
        );
        return healthy.length >= s.desiredCanaries;
      });
      // Nomad auto-promotes only when every canary group asks for it.
      if (ready && needsPromotion.every(([, s]) => s.autoPromote)) {
        out.push({
          type: 'DeploymentPromote',
          deploymentId: d.id,
          groups: [],
          evaluation: evalFor('deployment-watcher'),
          now,
        });
        continue;
      }
    } else if (groups.every(([, s]) => s.healthyAllocs >= s.desiredTotal)) {
      out.push({
        type: 'DeploymentStatusUpdate',
        update: {
          deploymentId: d.id,
          status: 'successful',
          statusDescription: DEPLOYMENT_DESCRIPTIONS.successful,
        },
        now,
      });
      out.push({
        type: 'JobStability',
        namespace: d.namespace,
        jobId: d.jobId,
        version: d.jobVersion,
        stable: true,
      });
      memory.delete(d.id);
      continue;
    }
    // Health progressed: the scheduler places the next batch of the rolling update.
    const healthy = groups.reduce((n, [, s]) => n + s.healthyAllocs, 0);
    if (healthy > (memory.get(d.id) ?? 0)) {
      memory.set(d.id, healthy);
      out.push({ type: 'EvalUpdate', evals: [evalFor('deployment-watcher')] });
    }
  }
  return out;
}
