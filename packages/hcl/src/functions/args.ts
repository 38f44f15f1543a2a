/**
 * Argument helpers for the function library: each converts an argument with HCL's rules
 * (so `upper(5)` works as in cty) or throws a FunctionError naming the argument.
 */

import type { HclObject, HclValue } from '../values.js';
import { ConversionError, convertValue, isObject } from '../types/convert.js';
import { t } from '../types/hclType.js';
import { FunctionError, type HclFunction } from './types.js';

/** The argument at `i` as a string. */
export function str(args: HclValue[], i: number): string {
  return conv(args, i, 'string') as string;
}

/** The argument at `i` as a number. */
export function num(args: HclValue[], i: number): number {
  return conv(args, i, 'number') as number;
}

/** The argument at `i` as a whole number. */
export function int(args: HclValue[], i: number): number {
  const n = num(args, i);
  if (!Number.isInteger(n)) throw new FunctionError(`invalid value: must be a whole number, got ${n}`, i);
  return n;
}

/** The argument at `i` as a bool. */
export function bool(args: HclValue[], i: number): boolean {
  return conv(args, i, 'bool') as boolean;
}

/** The argument at `i` as a list, tuple or set. */
export function list(args: HclValue[], i: number): HclValue[] {
  const v = args[i];
  if (v === null || v === undefined) throw new FunctionError('argument must not be null', i);
  if (!Array.isArray(v)) throw new FunctionError('list, tuple or set required', i);
  return v;
}

/** The argument at `i` as a map or object. */
export function obj(args: HclValue[], i: number): HclObject {
  const v = args[i];
  if (v === null || v === undefined) throw new FunctionError('argument must not be null', i);
  if (!isObject(v)) throw new FunctionError('map or object required', i);
  return v;
}

/** The arguments from `i` on (a variadic parameter). */
export function rest(args: HclValue[], i: number): HclValue[] {
  return args.slice(i);
}

/** A function of fixed arity. */
export function fn(params: number, call: HclFunction['call']): HclFunction {
  return { params, call };
}

/**
 * A function whose last parameter collects the remaining arguments. The evaluator passes
 * those packed in one array (the HclFunction contract); `call` sees them flat, so argument
 * indexes in its FunctionErrors match the source arguments.
 */
export function variadic(params: number, call: HclFunction['call']): HclFunction {
  const fixed = params - 1;
  return {
    params,
    variadic: true,
    call: (args, ctx) => {
      const rest = args[fixed];
      if (args.length !== params || !Array.isArray(rest)) {
        throw new Error('invariant: variadic arguments must arrive packed in the last parameter');
      }
      return call([...args.slice(0, fixed), ...rest], ctx);
    },
  };
}

/** Packs flat arguments the way the evaluator passes them to `f`. Pure. */
export function packArgs(f: HclFunction, args: HclValue[]): HclValue[] {
  return f.variadic ? [...args.slice(0, f.params - 1), args.slice(f.params - 1)] : args;
}

function conv(args: HclValue[], i: number, kind: 'string' | 'number' | 'bool'): HclValue {
  const v = args[i];
  if (v === null || v === undefined) throw new FunctionError('argument must not be null', i);
  try {
    return convertValue(v, t[kind]);
  } catch (e) {
    if (e instanceof ConversionError) throw new FunctionError(e.message, i);
    throw e;
  }
}
