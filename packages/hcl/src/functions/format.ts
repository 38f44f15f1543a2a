/**
 * `format` and `formatlist`: Go's fmt verbs as cty implements them (%v %#v %t %b %d %o %x %X
 * %e %E %f %g %G %s %q, flags `+ - # space 0`, width, precision, `%[n]` argument indexes).
 */

import { isDeferred, type HclValue } from '../values.js';
import { convertValue, numberToString } from '../types/convert.js';
import { t } from '../types/hclType.js';
import { FunctionError, type HclFunction } from './types.js';
import { str, variadic } from './args.js';
import { checkStringLength } from '../eval/budget.js';

const VERB = /%(?:\[(\d+)\])?([-+# 0]*)(\d*)(?:\.(\d*))?([a-zA-Z%])/g;

/**
 * `spec` with each verb replaced by the next argument formatted. Pure.
 * @example formatString('%05.1f|%-4s|', [3.14159, 'ab']) // '003.1|ab  |'
 */
export function formatString(spec: string, args: HclValue[]): string {
  let next = 0;
  let used = 0;
  let total = spec.length;
  const out = spec.replace(
    VERB,
    (
      whole,
      idx: string | undefined,
      flags: string,
      width: string,
      prec: string | undefined,
      verb: string,
    ) => {
      if (verb === '%') {
        if (whole !== '%%') throw new FunctionError('invalid format verb "%%" with flags or width', 0);
        return '%';
      }
      if (idx !== undefined) next = Number(idx) - 1;
      if (next < 0 || next >= args.length) {
        throw new FunctionError(
          `not enough arguments for "${whole}" at ${next + 1}: need index ${next + 1} but have ${args.length} total`,
          0,
        );
      }
      const arg = args[next] as HclValue;
      next += 1;
      used = Math.max(used, next);
      const body = formatOne(arg, verb, flags, prec === undefined ? undefined : Number(prec || '0'), next);
      const padded = pad(body, width === '' ? 0 : Number(width), flags, verb);
      total += padded.length;
      checkStringLength(total);
      return padded;
    },
  );
  if (used < args.length)
    throw new FunctionError(`too many arguments; only ${used} used by format string`, 0);
  return out;
}

function formatOne(
  arg: HclValue,
  verb: string,
  flags: string,
  prec: number | undefined,
  pos: number,
): string {
  const plus = flags.includes('+');
  const space = flags.includes(' ');
  const sign = (n: number, s: string): string =>
    n < 0 || Object.is(n, -0) ? s : plus ? '+' + s : space ? ' ' + s : s;
  const asNum = (): number => {
    if (arg === null)
      throw new FunctionError(
        `unsupported value for "%${verb}" at ${pos}: null value cannot be formatted`,
        pos,
      );
    try {
      return convertValue(arg, t.number) as number;
    } catch {
      throw new FunctionError(`unsupported value for "%${verb}" at ${pos}: number required`, pos);
    }
  };
  const asStr = (): string => {
    if (arg === null)
      throw new FunctionError(
        `unsupported value for "%${verb}" at ${pos}: null value cannot be formatted`,
        pos,
      );
    try {
      return convertValue(arg, t.string) as string;
    } catch {
      throw new FunctionError(`unsupported value for "%${verb}" at ${pos}: string required`, pos);
    }
  };
  switch (verb) {
    case 'v':
      if (flags.includes('#')) return JSON.stringify(arg);
      if (arg === null) return 'null';
      if (typeof arg === 'string') return arg;
      if (typeof arg === 'number') return sign(arg, numberToString(arg));
      if (typeof arg === 'boolean') return String(arg);
      return JSON.stringify(arg);
    case 't':
      if (typeof arg !== 'boolean') {
        throw new FunctionError(`unsupported value for "%t" at ${pos}: bool required`, pos);
      }
      return String(arg);
    case 's':
      return prec === undefined ? asStr() : [...asStr()].slice(0, prec).join('');
    case 'q':
      return JSON.stringify(asStr());
    case 'd': {
      const n = asNum();
      if (!Number.isInteger(n))
        throw new FunctionError(`unsupported value for "%d" at ${pos}: an integer is required`, pos);
      return sign(n, BigInt(n).toString());
    }
    case 'b':
    case 'o':
    case 'x':
    case 'X': {
      const n = asNum();
      if (!Number.isInteger(n))
        throw new FunctionError(`unsupported value for "%${verb}" at ${pos}: an integer is required`, pos);
      const radix = verb === 'b' ? 2 : verb === 'o' ? 8 : 16;
      let s = BigInt(Math.abs(n)).toString(radix);
      if (verb === 'X') s = s.toUpperCase();
      if (flags.includes('#')) s = (verb === 'o' ? '0' : verb === 'b' ? '' : verb === 'x' ? '0x' : '0X') + s;
      return n < 0 ? '-' + s : sign(n, s);
    }
    case 'e':
    case 'E': {
      const n = asNum();
      let s = n.toExponential(prec ?? 6).replace(/e([+-])(\d)$/, 'e$10$2');
      if (verb === 'E') s = s.toUpperCase();
      return sign(n, s);
    }
    case 'f':
    case 'F':
      return ((n) => sign(n, n.toFixed(prec ?? 6)))(asNum());
    case 'g':
    case 'G': {
      const n = asNum();
      let s = prec === undefined ? goShortestG(n) : trimG(n.toPrecision(prec === 0 ? 1 : prec));
      if (verb === 'G') s = s.toUpperCase();
      return sign(n, s);
    }
    default:
      throw new FunctionError(`unsupported format verb "%${verb}" at ${pos}`, 0);
  }
}

/** Go's %g without precision: shortest representation, exponent when exp < -4 or >= 21. */
function goShortestG(n: number): string {
  const exp = n === 0 ? 0 : Math.floor(Math.log10(Math.abs(n)));
  if (exp < -4 || exp >= 21) return n.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  return numberToString(n);
}

function trimG(s: string): string {
  if (s.includes('e')) {
    const [m = '', e = ''] = s.split('e');
    const mant = m.includes('.') ? m.replace(/\.?0+$/, '') : m;
    return mant + 'e' + e.replace(/^([+-])(\d)$/, '$10$2');
  }
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

function pad(s: string, width: number, flags: string, verb: string): string {
  if (width <= s.length) return s; // at least as many code units as runes: nothing to pad
  checkStringLength(width);
  const len = [...s].length;
  if (len >= width) return s;
  if (flags.includes('-')) return s + ' '.repeat(width - len);
  if (flags.includes('0') && 'dbBoxXeEfFgG'.includes(verb)) {
    const m = /^[-+ ]/.exec(s);
    const signPart = m ? m[0] : '';
    return signPart + '0'.repeat(width - len) + s.slice(signPart.length);
  }
  return ' '.repeat(width - len) + s;
}

/** format and formatlist. */
export const formatFunctions: Record<string, HclFunction> = {
  format: variadic(2, (a) => formatString(str(a, 0), a.slice(1))),
  formatlist: variadic(2, (a) => {
    const spec = str(a, 0);
    const args = a.slice(1);
    let n: number | undefined;
    args.forEach((v, i) => {
      if (Array.isArray(v)) {
        if (n !== undefined && v.length !== n) {
          throw new FunctionError(
            `argument ${i + 1} has length ${v.length}, which is inconsistent with argument 1 of length ${n}`,
            i + 1,
          );
        }
        n = v.length;
      }
    });
    if (n === undefined) n = 1;
    const out: string[] = [];
    let total = 0;
    for (let k = 0; k < n; k++) {
      const line = formatString(
        spec,
        args.map((v) => (Array.isArray(v) ? (v[k] as HclValue) : v)),
      );
      total += line.length;
      checkStringLength(total);
      out.push(line);
    }
    return out;
  }),
};

/** Whether a value contains a Deferred anywhere (the evaluator defers such calls). */
export function containsDeferred(v: HclValue): boolean {
  if (isDeferred(v)) return true;
  if (Array.isArray(v)) return v.some(containsDeferred);
  if (v !== null && typeof v === 'object') return Object.values(v).some(containsDeferred);
  return false;
}
