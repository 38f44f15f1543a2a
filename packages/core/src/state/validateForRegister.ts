import type { Job } from '../jobspec/types.js';

/**
 * TEMPORARY stand-in until `validateJob` from jobspec lands: the few invariants the reducer
 * itself depends on (a job it can key, index and schedule). Returns the first problem with its
 * path, or undefined. Pure.
 */
export function jobValidationError(job: Job): string | undefined {
  if (!job.id) return 'job.id: missing job ID';
  if (/\s/.test(job.id)) return `job.id: job ID contains a space: ${JSON.stringify(job.id)}`;
  if (!job.namespace) return 'job.namespace: missing namespace';
  if (!['service', 'batch', 'system', 'sysbatch'].includes(job.type))
    return `job.type: invalid job type ${JSON.stringify(job.type)}: expected service, batch, system or sysbatch`;
  if (!(job.priority >= 1 && job.priority <= 100))
    return `job.priority: ${job.priority} is not in the range 1 - 100`;
  if (job.taskGroups.length === 0) return 'job.taskGroups: job has no task groups';
  const names = new Set<string>();
  for (const [i, tg] of job.taskGroups.entries()) {
    if (!tg.name) return `job.taskGroups[${i}].name: missing task group name`;
    if (names.has(tg.name))
      return `job.taskGroups[${i}].name: duplicate task group ${JSON.stringify(tg.name)}`;
    names.add(tg.name);
    if (tg.count < 0) return `job.taskGroups[${i}].count: must be >= 0`;
    if (tg.tasks.length === 0) return `job.taskGroups[${i}].tasks: task group has no tasks`;
  }
  return undefined;
}
