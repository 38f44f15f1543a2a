/**
 * Job operations that derive a new job from an existing one: parameterized dispatch and
 * scaling. Pure; mistakes come back as strings.
 */
import type { Job } from '../jobspec/types.js';

/**
 * The child job of a parameterized job dispatch, or the reason it is refused: meta keys must
 * cover `meta_required` and stay within required + optional; the payload must respect
 * `payload = required | optional | forbidden`. Child id: `<parent>/dispatch-<unix s>-<8 hex>`.
 */
export function dispatchChild(
  parent: Job,
  meta: Readonly<Record<string, string>>,
  payload: string,
  now: number,
  randomId: string,
): Job | string {
  const p = parent.parameterizedJob;
  if (!p) return `Specified job "${parent.id}" is not a parameterized job`;
  if (parent.stop) return `Specified job "${parent.id}" is stopped`;
  if (p.payload === 'required' && payload === '')
    return 'Payload is not provided but required by parameterized job';
  if (p.payload === 'forbidden' && payload !== '')
    return 'Payload provided but forbidden by parameterized job';
  const missing = p.metaRequired.filter((k) => !(k in meta));
  if (missing.length > 0)
    return `Dispatch did not provide required meta keys: ${JSON.stringify(missing.sort())}`;
  const allowed = new Set([...p.metaRequired, ...p.metaOptional]);
  const unpermitted = Object.keys(meta).filter((k) => !allowed.has(k));
  if (unpermitted.length > 0)
    return `Dispatch provided unpermitted meta keys: ${JSON.stringify(unpermitted.sort())}`;
  const id = `${parent.id}/dispatch-${Math.floor(now / 1_000_000_000)}-${randomId.replace(/-/g, '').slice(0, 8)}`;
  return {
    ...parent,
    id,
    name: id,
    parentId: parent.id,
    parameterizedJob: undefined,
    dispatched: true,
    payload,
    meta: { ...parent.meta, ...meta },
    status: 'pending',
    statusDescription: '',
    stable: false,
    version: 0,
    createIndex: 0,
    modifyIndex: 0,
    jobModifyIndex: 0,
  };
}

/** The job with one group's count changed, or the reason it is refused (scaling policy bounds). */
export function scaledJob(job: Job, group: string, count: number): Job | string {
  if (!Number.isInteger(count) || count < 0) return `scaling action count can't be negative: ${count}`;
  const tg = job.taskGroups.find((g) => g.name === group);
  if (!tg) return `task group ${JSON.stringify(group)} not found`;
  const s = tg.scaling;
  if (s && s.enabled !== false) {
    if (count < s.min) return `group count was less than scaling policy minimum: ${count} < ${s.min}`;
    if (s.max > 0 && count > s.max)
      return `group count was greater than scaling policy maximum: ${count} > ${s.max}`;
  }
  return { ...job, taskGroups: job.taskGroups.map((g) => (g.name === group ? { ...g, count } : g)) };
}
