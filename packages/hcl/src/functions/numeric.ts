/** Numeric functions of jobspec2's library (cty stdlib): abs … signum. */

import { FunctionError, type HclFunction } from './types.js';
import { fn, int, num, str, variadic, rest } from './args.js';
import { convertValue } from '../types/convert.js';
import { t } from '../types/hclType.js';

function numbers(args: Parameters<HclFunction['call']>[0]): number[] {
  if (args.length === 0) throw new FunctionError('must pass at least one number');
  return args.map((a, i) => {
    if (a === null) throw new FunctionError('argument must not be null', i);
    return convertValue(a, t.number) as number;
  });
}

/** abs, ceil, floor, log, max, min, parseint, pow, signum. */
export const numericFunctions: Record<string, HclFunction> = {
  abs: fn(1, (a) => Math.abs(num(a, 0))),
  ceil: fn(1, (a) => Math.ceil(num(a, 0))),
  floor: fn(1, (a) => Math.floor(num(a, 0))),
  log: fn(2, (a) => Math.log(num(a, 0)) / Math.log(num(a, 1))),
  pow: fn(2, (a) => Math.pow(num(a, 0), num(a, 1))),
  signum: fn(1, (a) => Math.sign(num(a, 0)) + 0),
  max: variadic(1, (a) => Math.max(...numbers(rest(a, 0)))),
  min: variadic(1, (a) => Math.min(...numbers(rest(a, 0)))),
  parseint: fn(2, (a) => {
    const s = str(a, 0);
    const base = int(a, 1);
    if (base < 2 || base > 62) {
      throw new FunctionError(`invalid base ${base}; the base must be between 2 and 62 inclusive`, 1);
    }
    const digits = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
    const lookup = base <= 36 ? digits.slice(0, base) : digits.slice(0, base);
    let body = s;
    let neg = false;
    if (body.startsWith('-') || body.startsWith('+')) {
      neg = body.startsWith('-');
      body = body.slice(1);
    }
    if (body === '')
      throw new FunctionError(`cannot parse ${JSON.stringify(s)} as a base ${base} integer`, 0);
    let n = 0n;
    for (const ch of body) {
      // Bases up to 36 are case-insensitive, as in Go's big.Int SetString.
      const c = base <= 36 ? ch.toLowerCase() : ch;
      const d = lookup.indexOf(c);
      if (d < 0) throw new FunctionError(`cannot parse ${JSON.stringify(s)} as a base ${base} integer`, 0);
      n = n * BigInt(base) + BigInt(d);
    }
    return Number(neg ? -n : n);
  }),
};
