import { RE2JS } from 're2js';
import { versionMatches } from './version.js';

/** The constraint operators Nomad knows. */
export type ConstraintOperator =
  | '='
  | '=='
  | 'is'
  | '!='
  | 'not'
  | '<'
  | '<='
  | '>'
  | '>='
  | 'regexp'
  | 'version'
  | 'semver'
  | 'set_contains'
  | 'set_contains_all'
  | 'set_contains_any'
  | 'is_set'
  | 'is_not_set'
  | 'distinct_hosts'
  | 'distinct_property';

// Compiled patterns, shared by every evaluation (a pure memo: same pattern, same program).
const regexCache = new Map<string, RE2JS | null>();

// RE2 semantics as Nomad's Go `regexp`: linear-time matching, no backreferences or lookaround,
// so a hostile pattern costs time linear in the attribute, not exponential.
function regexMatch(value: string, pattern: string): boolean {
  let re = regexCache.get(pattern);
  if (re === undefined) {
    try {
      re = RE2JS.compile(pattern);
    } catch {
      re = null;
    }
    if (regexCache.size > 1000) regexCache.clear();
    regexCache.set(pattern, re);
  }
  return re !== null && re.test(value);
}

function splitSet(s: string): string[] {
  return s.split(',').map((x) => x.trim());
}

const INT_RE = /^[+-]?\d+$/;
const FLOAT_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$|^[+-]?(?:Inf|Infinity|NaN)$/i;

function compare<T extends number | string>(op: string, l: T, r: T): boolean {
  switch (op) {
    case '<':
      return l < r;
    case '<=':
      return l <= r;
    case '>':
      return l > r;
    default:
      return l >= r;
  }
}

/** Nomad's ordering: integers if both parse, else floats if both parse, else lexical. */
function checkOrder(op: string, l: string, r: string): boolean {
  if (INT_RE.test(l) && INT_RE.test(r)) {
    const a = BigInt(l);
    const b = BigInt(r);
    return compare(op, a < b ? -1 : a > b ? 1 : 0, 0);
  }
  if (FLOAT_RE.test(l) && FLOAT_RE.test(r)) return compare(op, parseFloat(l), parseFloat(r));
  return compare(op, l, r);
}

/**
 * Decides one constraint between resolved values; `undefined` means the target was not found
 * (a missing attribute). `distinct_hosts` and `distinct_property` always pass here: they are
 * judged against the plan by their own iterators.
 * Pure.
 * @example checkConstraint('1.2.3', 'version', '~> 1.0') // true
 */
export function checkConstraint(lhs: string | undefined, operator: string, rhs: string | undefined): boolean {
  const lFound = lhs !== undefined;
  const rFound = rhs !== undefined;
  switch (operator) {
    case 'distinct_hosts':
    case 'distinct_property':
      return true;
    case '=':
    case '==':
    case 'is':
      return lFound && rFound && lhs === rhs;
    case '!=':
    case 'not':
      return lhs !== rhs;
    case '<':
    case '<=':
    case '>':
    case '>=':
      return lFound && rFound && checkOrder(operator, lhs, rhs);
    case 'is_set':
      return lFound;
    case 'is_not_set':
      return !lFound;
    case 'version':
    case 'semver':
      return lFound && rFound && versionMatches(lhs, rhs, operator);
    case 'regexp':
      return lFound && rFound && regexMatch(lhs, rhs);
    case 'set_contains':
    case 'set_contains_all': {
      if (!lFound || !rFound) return false;
      const have = new Set(splitSet(lhs));
      return splitSet(rhs).every((x) => have.has(x));
    }
    case 'set_contains_any': {
      if (!lFound || !rFound) return false;
      const have = new Set(splitSet(lhs));
      return splitSet(rhs).some((x) => have.has(x));
    }
    default:
      return false;
  }
}
