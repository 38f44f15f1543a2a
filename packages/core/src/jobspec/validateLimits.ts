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
const FREE_FORM = new Set([
  'config',
  'options',
  'getterOptions',
  'getterHeaders',
  'meta',
  'env',
  'policy',
  // Consul Connect is kept as data (its proxy `config` is free-form in Nomad too).
  'connect',
]);

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
 * Recursion stops at that depth, so a hostile depth cannot overflow the stack. The walk keeps
 * the path as raw segments and builds its text only for a failure: this runs over every value
 * of every submitted job, and building each path eagerly was most of validation's cost. Pure.
 */
export function checkNumbersAndDepth(job: Job, add: Add): void {
  new NumberWalk(add).walk(job, 0, false);
}

class NumberWalk {
  // Path segments from the job down: an array index, or an object key with whether its parent
  // is free-form (written `["key"]`) or not (written `.ApiName`).
  private readonly keys: (string | number)[] = [];
  private readonly freeKeys: boolean[] = [];
  private tooDeep = false;
  constructor(private readonly add: Add) {}

  private path(): string {
    let p = 'Job';
    for (let i = 0; i < this.keys.length; i++) {
      const k = this.keys[i]!;
      if (typeof k === 'number') p += `[${k}]`;
      else p += this.freeKeys[i] ? `[${JSON.stringify(k)}]` : `.${apiName(k)}`;
    }
    return p;
  }

  walk(v: unknown, depth: number, free: boolean): void {
    if (typeof v === 'number') {
      if (Number.isInteger(v) && v < INT64_MAX && v > -INT64_MAX) return;
      if (free && Number.isFinite(v)) return;
      const path = this.path();
      const field = fieldName(path);
      if (!Number.isFinite(v)) this.add(path, `${field} must be a finite number; got ${v}`);
      else if (!Number.isInteger(v)) this.add(path, `${field} must be an integer; got ${v}`);
      else this.add(path, `${field} is out of range for a 64-bit integer; got ${v}`);
      return;
    }
    if (typeof v !== 'object' || v === null) return;
    if (depth >= JOB_MAX_DEPTH) {
      if (!this.tooDeep) this.add(this.path(), `nesting is deeper than ${JOB_MAX_DEPTH} levels`);
      this.tooDeep = true;
      return;
    }
    const keys = this.keys;
    const n = keys.length;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        keys[n] = i;
        this.freeKeys[n] = false;
        this.walk(v[i], depth + 1, free);
        keys.pop();
      }
      return;
    }
    // Keys and values as two arrays: one builtin call each, not a keyed load per field.
    const own = Object.keys(v);
    const vals = Object.values(v);
    for (let i = 0; i < own.length; i++) {
      const k = own[i]!;
      keys[n] = k;
      this.freeKeys[n] = free;
      this.walk(vals[i], depth + 1, free || FREE_FORM.has(k));
      keys.pop();
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
