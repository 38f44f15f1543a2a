/** Collection functions of jobspec2's library (cty stdlib): chunklist … zipmap. */

import type { HclObject, HclValue } from '../values.js';
import { convertValue, isObject, setOwn } from '../types/convert.js';
import { t } from '../types/hclType.js';
import { graphemeCount } from './strings.js';
import { FunctionError, type FunctionContext, type HclFunction } from './types.js';
import { checkCollectionLength } from '../eval/budget.js';
import { fn, int, list, obj, str, variadic } from './args.js';

/** Structural equality of two values, as cty's Equals on known values. Pure. */
export function valuesEqual(x: HclValue, y: HclValue): boolean {
  if (x === y) return true;
  if (Array.isArray(x) && Array.isArray(y)) {
    return x.length === y.length && x.every((v, i) => valuesEqual(v, y[i] as HclValue));
  }
  if (isObject(x) && isObject(y)) {
    const kx = Object.keys(x);
    return (
      kx.length === Object.keys(y).length &&
      kx.every((k) => k in y && valuesEqual(x[k] ?? null, y[k] ?? null))
    );
  }
  return false;
}

/**
 * `values` without repeats, first occurrence kept. Primitives are found by key in linear time;
 * collections are compared pairwise, which `ctx.charge` pays for.
 */
function distinct(values: HclValue[], ctx: FunctionContext): HclValue[] {
  const out: HclValue[] = [];
  const seen = new Set<string>();
  const composite: HclValue[] = [];
  for (const v of values) {
    if (v !== null && typeof v === 'object') {
      ctx.charge?.(composite.length >> 4);
      if (composite.some((o) => valuesEqual(o, v))) continue;
      composite.push(v);
      out.push(v);
      continue;
    }
    const key = typeof v === 'string' ? 's' + v : String(v);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(v);
  }
  return out;
}

/** cty orders sets of primitives: numbers ascending, strings lexically. */
function setOrder(values: HclValue[], ctx: FunctionContext): HclValue[] {
  const d = distinct(values, ctx);
  if (d.every((v) => typeof v === 'number')) return (d as number[]).sort((a, b) => a - b);
  if (d.every((v) => typeof v === 'string')) return (d as string[]).sort();
  return d;
}

function flatten(values: HclValue[]): HclValue[] {
  return values.flatMap((v) => (Array.isArray(v) ? flatten(v) : [v]));
}

function sortedKeys(o: HclObject): string[] {
  return Object.keys(o).sort();
}

/** Collection functions keyed by name. */
export const collectionFunctions: Record<string, HclFunction> = {
  chunklist: fn(2, (a) => {
    const l = list(a, 0);
    const size = int(a, 1);
    if (size < 0) throw new FunctionError('the size argument must be positive', 1);
    if (size === 0) return [l];
    const out: HclValue[] = [];
    for (let i = 0; i < l.length; i += size) out.push(l.slice(i, i + size));
    return out;
  }),
  coalesce: variadic(1, (a) => {
    for (const v of a) if (v !== null && v !== '') return v;
    throw new FunctionError('no non-null, non-empty-string arguments');
  }),
  coalescelist: variadic(1, (a) => {
    if (a.length === 0) throw new FunctionError('at least one argument is required');
    for (let i = 0; i < a.length; i++) {
      if (a[i] === null) continue;
      if (list(a, i).length > 0) return a[i] as HclValue;
    }
    throw new FunctionError('no non-null arguments');
  }),
  compact: fn(1, (a) =>
    list(a, 0)
      .filter((v) => v !== null)
      .map((v) => convertValue(v, t.string) as string)
      .filter((v) => v !== ''),
  ),
  concat: variadic(1, (a) => {
    if (a.length === 0) throw new FunctionError('at least one argument is required');
    let length = 0;
    for (let i = 0; i < a.length; i++) length += list(a, i).length;
    checkCollectionLength(length);
    return a.flatMap((_, i) => list(a, i));
  }),
  contains: fn(2, (a) => list(a, 0).some((v) => valuesEqual(v, a[1] ?? null))),
  distinct: fn(1, (a, ctx) => distinct(list(a, 0), ctx)),
  element: fn(2, (a) => {
    const l = list(a, 0);
    const i = int(a, 1);
    if (i < 0) throw new FunctionError('cannot use element function with a negative index', 1);
    if (l.length === 0) throw new FunctionError('cannot use element function with an empty list', 0);
    return l[i % l.length] as HclValue;
  }),
  flatten: fn(1, (a) => {
    const out = flatten(list(a, 0));
    checkCollectionLength(out.length);
    return out;
  }),
  index: fn(2, (a) => {
    const i = list(a, 0).findIndex((v) => valuesEqual(v, a[1] ?? null));
    if (i < 0) throw new FunctionError('item not found', 1);
    return i;
  }),
  keys: fn(1, (a) => sortedKeys(obj(a, 0))),
  values: fn(1, (a) => {
    const o = obj(a, 0);
    return sortedKeys(o).map((k) => o[k] as HclValue);
  }),
  length: fn(1, (a, ctx) => {
    const v = a[0] ?? null;
    if (v === null) throw new FunctionError('argument must not be null', 0);
    if (Array.isArray(v)) return v.length;
    if (isObject(v)) return Object.keys(v).length;
    return graphemeCount(str(a, 0), ctx);
  }),
  lookup: variadic(3, (a) => {
    const m = obj(a, 0);
    const k = str(a, 1);
    if (Object.prototype.hasOwnProperty.call(m, k)) return m[k] as HclValue;
    if (a.length > 3) throw new FunctionError('lookup() takes no more than one default argument');
    if (a.length === 3) return a[2] as HclValue;
    throw new FunctionError(`lookup failed to find key ${JSON.stringify(k)}`, 1);
  }),
  merge: variadic(1, (a) => {
    const out: HclObject = {};
    a.forEach((v, i) => {
      if (v === null) return;
      for (const [k, v] of Object.entries(obj(a, i))) setOwn(out, k, v);
    });
    return out;
  }),
  range: variadic(1, (a) => {
    if (a.length < 1 || a.length > 3) throw new FunctionError('must have one, two, or three arguments');
    const nums = a.map((_, i) => convertValue(a[i] ?? null, t.number) as number);
    const [start, limit] =
      nums.length === 1 ? [0, nums[0] as number] : [nums[0] as number, nums[1] as number];
    const step = nums.length === 3 ? (nums[2] as number) : start > limit ? -1 : 1;
    if (step === 0) throw new FunctionError('step must not be zero', 2);
    if (start < limit && step < 0)
      throw new FunctionError('step must be positive when start is less than limit', 2);
    if (start > limit && step > 0)
      throw new FunctionError('step must be negative when start is greater than limit', 2);
    const out: number[] = [];
    for (let v = start; step > 0 ? v < limit : v > limit; v += step) {
      if (out.length >= 1024) {
        throw new FunctionError(
          'more than 1024 values were generated; either decrease the difference between start and end or use a smaller step',
        );
      }
      out.push(v);
    }
    return out;
  }),
  setintersection: variadic(2, (a, ctx) => {
    const sets = a.map((_, i) => list(a, i));
    const [first = [], ...others] = sets;
    // Pairwise comparison: first × each other set.
    for (const o of others) ctx.charge?.((first.length * o.length) >> 4);
    return setOrder(
      first.filter((v) => others.every((s) => s.some((o) => valuesEqual(o, v)))),
      ctx,
    );
  }),
  setunion: variadic(2, (a, ctx) => {
    let length = 0;
    for (let i = 0; i < a.length; i++) length += list(a, i).length;
    checkCollectionLength(length);
    return setOrder(
      a.flatMap((_, i) => list(a, i)),
      ctx,
    );
  }),
  setproduct: variadic(1, (a, ctx) => {
    if (a.length < 2) throw new FunctionError('at least two arguments are required');
    // Count before building: the product of a few short lists is already too big to hold.
    let count = 1;
    for (let i = 0; i < a.length; i++) {
      count *= list(a, i).length;
      checkCollectionLength(count);
    }
    checkCollectionLength(count * a.length);
    ctx.charge?.(count);
    let acc: HclValue[][] = [[]];
    for (let i = 0; i < a.length; i++) {
      const s = list(a, i);
      acc = acc.flatMap((prefix) => s.map((v) => [...prefix, v]));
    }
    return acc;
  }),
  slice: fn(3, (a) => {
    const l = list(a, 0);
    const start = int(a, 1);
    const end = int(a, 2);
    if (start < 0) throw new FunctionError('the starting index must not be negative', 1);
    if (end > l.length)
      throw new FunctionError('end index must not be greater than the length of the list', 2);
    if (start > end) throw new FunctionError('the start index cannot be greater than the end index', 1);
    return l.slice(start, end);
  }),
  sort: fn(1, (a) =>
    list(a, 0)
      .map((v, i) => {
        if (v === null)
          throw new FunctionError(`given list element ${i} is null; a null string cannot be sorted`, 0);
        return convertValue(v, t.string) as string;
      })
      .sort(),
  ),
  zipmap: fn(2, (a) => {
    const ks = list(a, 0);
    const vs = list(a, 1);
    if (ks.length !== vs.length) {
      throw new FunctionError(`number of keys (${ks.length}) does not match number of values (${vs.length})`);
    }
    const out: HclObject = {};
    ks.forEach((k, i) => {
      setOwn(out, convertValue(k, t.string) as string, vs[i] as HclValue);
    });
    return out;
  }),
};
