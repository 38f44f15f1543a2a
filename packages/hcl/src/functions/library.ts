/**
 * jobspec2's function library by name, as the evaluator sees it. `try`, `can` and `convert`
 * are not here: they need unevaluated arguments, so the evaluator implements them.
 */

import { FunctionError, type HclFunction } from './types.js';
import { numericFunctions } from './numeric.js';
import { stringFunctions } from './strings.js';
import { formatFunctions } from './format.js';
import { collectionFunctions } from './collections.js';
import { encodingFunctions } from './encoding.js';
import { cryptoFunctions } from './crypto.js';
import { cidrFunctions } from './cidr.js';
import { datetimeFunctions } from './datetime.js';
import { filesystemFunctions } from './filesystem.js';

/**
 * Every function of jobspec2's library. File-system functions are always listed; they refuse
 * at call time unless the FunctionContext carries `fs`. Pure.
 * @example jobspecFunctions()['upper']?.call(['x'], ctx) // 'X'
 */
export function jobspecFunctions(): Readonly<Record<string, HclFunction>> {
  return LIBRARY;
}

const ALL: Record<string, HclFunction> = {
  ...numericFunctions,
  ...stringFunctions,
  ...formatFunctions,
  ...collectionFunctions,
  ...encodingFunctions,
  ...cryptoFunctions,
  ...cidrFunctions,
  ...datetimeFunctions,
  ...filesystemFunctions,
};

/**
 * JavaScript's own limits (a `toFixed` precision over 100, a string longer than V8 allows from
 * `indent(1e9, …)` or `%1000000000d`) surface as RangeError; they are argument problems too.
 */
function guarded(f: HclFunction): HclFunction {
  return {
    ...f,
    call: (args, ctx) => {
      try {
        return f.call(args, ctx);
      } catch (e) {
        if (e instanceof RangeError) throw new FunctionError(`argument out of range: ${e.message}`);
        throw e;
      }
    },
  };
}

const LIBRARY: Readonly<Record<string, HclFunction>> = Object.freeze(
  Object.fromEntries(Object.entries(ALL).map(([name, f]) => [name, guarded(f)])),
);
