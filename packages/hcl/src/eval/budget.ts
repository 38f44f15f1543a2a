/**
 * The evaluation budget of one file: every expression of a jobspec (variable defaults, `-var`
 * values, var files, locals, the job body) draws on one pool of steps and one pool of bytes, so
 * that neither many expressions near a limit nor one function with a huge result can hang or
 * exhaust the process. Running out is a diagnostic at the expression that ran out.
 */

import { isDeferred, type HclValue } from '../values.js';

/** Expression nodes plus function work units one file may spend (about 1 µs each). */
export const MAX_EVAL_STEPS = 1_000_000;

/** Approximate bytes of values one file may create (strings count 2 bytes a character). */
export const MAX_EVAL_BYTES = 64 * 1024 * 1024;

/** Longest string one operation may produce, in UTF-16 code units (16 MiB of text). */
export const MAX_STRING_LENGTH = 8 * 1024 * 1024;

/** Most elements one list, tuple, set or object may hold. */
export const MAX_COLLECTION_LENGTH = 200_000;

/** Deepest nesting of a value (lists in lists, objects in objects, from jsondecode or YAML). */
export const MAX_VALUE_DEPTH = 200;

/** What is left of a file's budget; both numbers count down. */
export interface EvalBudget {
  steps: number;
  bytes: number;
  /** Sizes of the file's collections already measured (see sizeOf). */
  readonly sizes: Map<object, number>;
}

/** A fresh budget for one file. */
export function createEvalBudget(): EvalBudget {
  return { steps: MAX_EVAL_STEPS, bytes: MAX_EVAL_BYTES, sizes: new Map() };
}

/**
 * A limit was reached. Functions throw it (through `FunctionContext.charge` or a size check);
 * the evaluator turns it into an `Evaluation too expensive` diagnostic that `try` and `can` do
 * not swallow.
 */
export class LimitExceeded extends Error {}

/** Charges `n` steps; throws LimitExceeded when the budget runs out. */
export function chargeSteps(budget: EvalBudget, n: number): void {
  budget.steps -= n;
  if (budget.steps < 0) {
    throw new LimitExceeded(`the file's evaluation budget of ${MAX_EVAL_STEPS} steps is used up`);
  }
}

/** Charges the size of a value created by an operation; throws LimitExceeded when too big. */
export function chargeValue(budget: EvalBudget, v: HclValue): void {
  budget.bytes -= sizeOf(v, budget.sizes);
  if (budget.bytes < 0) {
    throw new LimitExceeded(
      `the values of this file would take more than ${MAX_EVAL_BYTES / 1024 / 1024} MiB`,
    );
  }
}

/** Throws LimitExceeded when a string of `length` code units would be too long. */
export function checkStringLength(length: number): void {
  if (length > MAX_STRING_LENGTH) {
    throw new LimitExceeded(
      `the result would be a string of ${length} characters; the limit is ${MAX_STRING_LENGTH}`,
    );
  }
}

/** Throws LimitExceeded when a collection of `length` elements would be too long. */
export function checkCollectionLength(length: number): void {
  if (length > MAX_COLLECTION_LENGTH) {
    throw new LimitExceeded(
      `the result would have ${length} elements; the limit is ${MAX_COLLECTION_LENGTH}`,
    );
  }
}

/**
 * Approximate bytes of `v` counting shared parts once per reference (its size when written out),
 * capped a little above MAX_EVAL_BYTES. Throws LimitExceeded for values nested deeper than
 * MAX_VALUE_DEPTH, so later recursive walks over a charged value cannot overflow the stack.
 *
 * Values share structure (`[local.a, local.a]`): `cache` remembers the sizes of collections that
 * hold collections (or many elements), which keeps sizing linear in the physical size. A plain
 * Map, kept per file: a WeakMap entry costs microseconds of garbage collection.
 */
export function sizeOf(v: HclValue, cache: Map<object, number> = new Map()): number {
  return sizeAt(v, 0, cache);
}

const CAP = MAX_EVAL_BYTES + 1;

function sizeAt(v: HclValue, depth: number, cache: Map<object, number>): number {
  if (typeof v === 'string') return 16 + 2 * v.length;
  if (v === null || typeof v !== 'object') return 8;
  if (isDeferred(v)) return 16 + 2 * v.source.length;
  const known = cache.get(v);
  if (known !== undefined) return known;
  if (depth >= MAX_VALUE_DEPTH) {
    throw new LimitExceeded(`a value is nested more than ${MAX_VALUE_DEPTH} levels deep`);
  }
  let n = 16;
  let inner = false;
  let count = 0;
  if (Array.isArray(v)) {
    checkCollectionLength(v.length);
    count = v.length;
    for (let i = 0; i < v.length && n < CAP; i++) {
      const x = v[i]!;
      if (x !== null && typeof x === 'object') inner = true;
      n += 8 + sizeAt(x, depth + 1, cache);
    }
  } else {
    for (const k in v) {
      if (n >= CAP) break;
      const x = v[k]!;
      if (x !== null && typeof x === 'object') inner = true;
      count++;
      n += 24 + 2 * k.length + sizeAt(x, depth + 1, cache);
    }
  }
  if (n > CAP) n = CAP;
  if (inner || count > 32) cache.set(v, n);
  return n;
}
