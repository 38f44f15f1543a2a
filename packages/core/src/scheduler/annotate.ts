/**
 * The annotations `job plan` shows: per task group, how many allocations each kind of change
 * touches, and per task / count change, whether it forces a create, destroy, in-place or
 * create/destroy update.
 */
import type { Job } from '../jobspec/types.js';
import type { DesiredUpdates } from '../structs/plan.js';
import { tasksUpdated } from './reconcile/tasksUpdated.js';

/** Update kinds keyed as Nomad names them in a plan's task group diff. */
export const UPDATE_TYPE = {
  ignore: 'ignore',
  create: 'create',
  destroy: 'destroy',
  migrate: 'migrate',
  canary: 'canary',
  inPlaceUpdate: 'in-place update',
  destructiveUpdate: 'create/destroy update',
} as const;

/** Field annotations of a job diff (Nomad's wording). */
export const ANNOTATION = {
  forcesCreate: 'forces create',
  forcesDestroy: 'forces destroy',
  forcesInPlaceUpdate: 'forces in-place update',
  forcesDestructiveUpdate: 'forces create/destroy update',
} as const;

/**
 * The non-zero counts of a group's desired updates under their `job plan` names. Pure.
 * Example: `taskGroupUpdates({ ...zero, place: 2, ignore: 1 })` is `{ ignore: 1, create: 2 }`.
 */
export function taskGroupUpdates(d: DesiredUpdates): Record<string, number> {
  const out: Record<string, number> = {};
  const put = (k: string, n: number): void => {
    if (n !== 0) out[k] = n;
  };
  put(UPDATE_TYPE.ignore, d.ignore);
  put(UPDATE_TYPE.create, d.place);
  put(UPDATE_TYPE.migrate, d.migrate);
  put(UPDATE_TYPE.destroy, d.stop);
  put(UPDATE_TYPE.canary, d.canary);
  put(UPDATE_TYPE.inPlaceUpdate, d.inPlaceUpdate);
  put(UPDATE_TYPE.destructiveUpdate, d.destructiveUpdate);
  return out;
}

/** The `job plan` line suffix for a group, e.g. `(2 create, 1 ignore)`; sorted by name. Pure. */
export function formatTaskGroupUpdates(d: DesiredUpdates): string {
  const parts = Object.entries(taskGroupUpdates(d))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, n]) => `${n} ${k}`);
  return parts.length ? `(${parts.join(', ')})` : '';
}

/** A count change forces creates when it grows and destroys when it shrinks. Pure. */
export function annotateCountChange(
  oldCount: number | undefined,
  newCount: number | undefined,
): string | undefined {
  if (oldCount === undefined || newCount === undefined) return undefined;
  if (newCount > oldCount) return ANNOTATION.forcesCreate;
  if (newCount < oldCount) return ANNOTATION.forcesDestroy;
  return undefined;
}

/**
 * What a change of one task between two job versions forces: create (task added), destroy
 * (removed), a create/destroy update when a field that needs a new allocation changed, else an
 * in-place update; undefined when the task did not change. Pure.
 */
export function annotateTask(oldJob: Job, newJob: Job, group: string, task: string): string | undefined {
  const og = oldJob.taskGroups.find((g) => g.name === group);
  const ng = newJob.taskGroups.find((g) => g.name === group);
  const ot = og?.tasks.find((t) => t.name === task);
  const nt = ng?.tasks.find((t) => t.name === task);
  if (!ot && nt) return ANNOTATION.forcesCreate;
  if (ot && !nt) return ANNOTATION.forcesDestroy;
  if (!ot || !nt || !og || !ng) return undefined;
  if (JSON.stringify(ot) === JSON.stringify(nt)) return undefined;
  const only = (j: Job, g: typeof og): Job => ({
    ...j,
    taskGroups: [{ ...g, tasks: g.tasks.filter((t) => t.name === task) }],
  });
  return tasksUpdated(only(oldJob, og), only(newJob, ng), group).modified
    ? ANNOTATION.forcesDestructiveUpdate
    : ANNOTATION.forcesInPlaceUpdate;
}
