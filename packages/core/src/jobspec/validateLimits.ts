/**
 * Checks every number of a job against the Go type Nomad gives it, and bounds what a hostile
 * job could otherwise make unbounded: total count, nesting depth of free-form maps (driver
 * `config`), and paths that would escape the allocation directory. Part of `validateJob`.
 */
import type { Job } from './types.js';

/** Nomad's JobDefaultMaxCount: the most instances (summed group counts) one job may ask for. */
export const JOB_MAX_COUNT = 50_000;
/** Deepest nesting of objects and arrays accepted anywhere in a job (driver config included). */
export const JOB_MAX_DEPTH = 64;
/** Go's int64 range, as the nearest doubles (every job number is an integer in Go). */
const INT64_MAX = 2 ** 63;

type Add = (path: string, message: string) => void;

// Free-form maps: Go holds them as map[string]interface{} (any JSON number is fine, floats
// included), so only finiteness and depth are checked there.
const FREE_FORM = new Set(['config', 'options', 'getterOptions', 'getterHeaders', 'meta', 'env']);

// API names where the camelCase key does not map by capitalising its first letter.
const API_NAMES: Record<string, string> = {
  id: 'ID',
  cpu: 'CPU',
  iops: 'IOPS',
  mbits: 'MBits',
  parentId: 'ParentID',
  ltarget: 'LTarget',
  rtarget: 'RTarget',
};

function apiName(key: string): string {
  return API_NAMES[key] ?? key.charAt(0).toUpperCase() + key.slice(1);
}

/** The last name of a path (`Job.TaskGroups[0].Count` -> `Count`, `…Ports[2]` -> `Ports[2]`). */
function fieldName(path: string): string {
  const dot = path.lastIndexOf('.');
  return dot < 0 ? path : path.slice(dot + 1);
}

/**
 * Every number in the job is finite (a JSON snapshot cannot carry NaN or Infinity) and, outside
 * free-form maps, an integer in Go's int64 range; nesting is at most {@link JOB_MAX_DEPTH}.
 * Iterative, so a hostile depth cannot overflow the stack. Pure.
 */
export function checkNumbersAndDepth(job: Job, add: Add): void {
  const stack: { v: unknown; path: string; depth: number; free: boolean }[] = [
    { v: job, path: 'Job', depth: 0, free: false },
  ];
  let tooDeep = false;
  while (stack.length > 0) {
    const { v, path, depth, free } = stack.pop()!;
    if (typeof v === 'number') {
      const field = fieldName(path);
      if (!Number.isFinite(v)) add(path, `${field} must be a finite number; got ${v}`);
      else if (!free && !Number.isInteger(v)) add(path, `${field} must be an integer; got ${v}`);
      else if (!free && Math.abs(v) >= INT64_MAX)
        add(path, `${field} is out of range for a 64-bit integer; got ${v}`);
      continue;
    }
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= JOB_MAX_DEPTH) {
      if (!tooDeep) add(path, `nesting is deeper than ${JOB_MAX_DEPTH} levels`);
      tooDeep = true;
      continue;
    }
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--)
        stack.push({ v: v[i], path: `${path}[${i}]`, depth: depth + 1, free });
      continue;
    }
    const keys = Object.keys(v);
    for (let i = keys.length - 1; i >= 0; i--) {
      const k = keys[i]!;
      const child = (v as Record<string, unknown>)[k];
      const name = free ? `${path}[${JSON.stringify(k)}]` : `${path}.${apiName(k)}`;
      stack.push({ v: child, path: name, depth: depth + 1, free: free || FREE_FORM.has(k) });
    }
  }
}

/**
 * Go's `filepath.Join` + `Clean` of `/alloc-dir/alloc-id/<prefix>/<path>` relative to the
 * allocation: true when it climbs out (Nomad's PathEscapesAllocViaRelative). Pure.
 */
export function pathEscapesAllocDir(prefix: string, path: string): boolean {
  const parts: string[] = [];
  for (const seg of `${prefix}/${path}`.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length === 0) return true;
      parts.pop();
    } else parts.push(seg);
  }
  // Nomad tests the relative path's prefix: a first segment starting with ".." counts too.
  return parts.length > 0 && parts[0]!.startsWith('..');
}

/** Total count, and destinations that escape the allocation directory (Nomad's wording). */
export function checkLimits(job: Job, add: Add): void {
  let total = 0;
  for (const tg of job.taskGroups) if (Number.isFinite(tg.count)) total += tg.count;
  if (total > JOB_MAX_COUNT)
    add(
      'Job.TaskGroups',
      `total count was greater than configured job_max_count: ${total} > ${JOB_MAX_COUNT}`,
    );
  const escapes = 'destination escapes allocation directory';
  job.taskGroups.forEach((tg, gi) =>
    tg.tasks.forEach((t, ti) => {
      const tp = `Job.TaskGroups[${gi}].Tasks[${ti}]`;
      t.templates.forEach((tm, i) => {
        if (pathEscapesAllocDir('task', tm.destPath)) add(`${tp}.Templates[${i}].DestPath`, escapes);
      });
      t.artifacts.forEach((a, i) => {
        if (pathEscapesAllocDir('task', a.relativeDest)) add(`${tp}.Artifacts[${i}].RelativeDest`, escapes);
      });
      if (t.dispatchPayload && pathEscapesAllocDir('task/local/', t.dispatchPayload.file))
        add(`${tp}.DispatchPayload.File`, escapes);
    }),
  );
}
