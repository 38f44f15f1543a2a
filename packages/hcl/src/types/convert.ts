/**
 * Conversion of values to a declared type with HCL's (cty's) rules: numbers and bools become
 * strings, numeric and "true"/"false" strings become numbers and bools, collections convert
 * element by element, objects drop attributes the target does not declare, sets drop
 * duplicates. null converts to null of any type.
 */

import { isDeferred, type HclObject, type HclValue } from '../values.js';
import { typeString, type HclType } from './hclType.js';

/** Why a value does not fit a type; `path` locates the offending element (`["a", 0]`). */
export class ConversionError extends Error {
  constructor(
    message: string,
    readonly path: readonly (string | number)[],
  ) {
    super(message);
  }
}

/**
 * `value` converted to `ty`. Pure. Throws ConversionError when it does not fit. Deferred values
 * pass unchanged: their type is known only at run time.
 * @example convertValue(5, t.string) // '5'
 */
export function convertValue(value: HclValue, ty: HclType, path: (string | number)[] = []): HclValue {
  if (value === null || isDeferred(value) || ty.kind === 'any') return value;
  switch (ty.kind) {
    case 'string':
      if (typeof value === 'string') return value;
      if (typeof value === 'number') return numberToString(value);
      if (typeof value === 'boolean') return value ? 'true' : 'false';
      throw new ConversionError('string required', path);
    case 'number':
      if (typeof value === 'number') return value;
      if (typeof value === 'string') {
        const n = parseNumber(value);
        if (n !== undefined) return n;
      }
      throw new ConversionError('a number is required', path);
    case 'bool':
      if (typeof value === 'boolean') return value;
      if (value === 'true') return true;
      if (value === 'false') return false;
      throw new ConversionError('a bool is required', path);
    case 'list':
    case 'set': {
      if (!Array.isArray(value)) throw new ConversionError(`${typeString(ty)} required`, path);
      const out = value.map((v, i) => convertValue(v, ty.element, [...path, i]));
      return ty.kind === 'set' ? toSet(out) : out;
    }
    case 'tuple': {
      if (!Array.isArray(value)) throw new ConversionError('tuple required', path);
      if (value.length !== ty.elements.length) {
        throw new ConversionError(`tuple required with exactly ${ty.elements.length} elements`, path);
      }
      return value.map((v, i) => convertValue(v, ty.elements[i] ?? { kind: 'any' }, [...path, i]));
    }
    case 'map': {
      if (!isObject(value)) throw new ConversionError(`${typeString(ty)} required`, path);
      const out: HclObject = {};
      for (const [k, v] of Object.entries(value)) setOwn(out, k, convertValue(v, ty.element, [...path, k]));
      return out;
    }
    case 'object': {
      if (!isObject(value)) throw new ConversionError('object required', path);
      const out: HclObject = {};
      for (const [k, aty] of Object.entries(ty.attributes)) {
        if (!Object.hasOwn(value, k)) throw new ConversionError(`attribute "${k}" is required`, path);
        setOwn(out, k, convertValue(value[k] ?? null, aty, [...path, k]));
      }
      return out;
    }
  }
}

/**
 * Sets an own enumerable property, also for the key `__proto__` (which plain assignment would
 * turn into a prototype change). Keys come from user input: map keys, labels, YAML.
 */
export function setOwn(o: Record<string, unknown>, k: string, v: unknown): void {
  if (k === '__proto__')
    Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
}

/** The own property `k` of `o`, never one inherited from Object.prototype. */
export function getOwn<T>(o: Readonly<Record<string, T>> | undefined, k: string): T | undefined {
  return o !== undefined && Object.hasOwn(o, k) ? o[k] : undefined;
}

/** True for an HCL object/map value. */
export function isObject(v: HclValue | undefined): v is HclObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !isDeferred(v);
}

/** A decimal number as cty prints it: never exponent notation. Pure. */
export function numberToString(n: number): string {
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : n < 0 ? '-Inf' : 'NaN';
  const s = String(n);
  if (!s.includes('e')) return s;
  if (Number.isInteger(n)) return BigInt(n).toString();
  // Small magnitudes: expand the exponent by hand, keeping the shortest digits.
  const [mant = '', expPart = '0'] = s.split('e');
  const exp = Number(expPart);
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  const pointAt =
    mant.replace('-', '').indexOf('.') === -1 ? digits.length : mant.replace('-', '').indexOf('.');
  const pos = pointAt + exp;
  const body = pos <= 0 ? '0.' + '0'.repeat(-pos) + digits : digits.slice(0, pos) + '.' + digits.slice(pos);
  return (neg ? '-' : '') + body;
}

/** A decimal string as a number, as cty parses it; undefined when it is not one. Pure. */
export function parseNumber(s: string): number | undefined {
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) return undefined;
  return Number(s);
}

/** Duplicates removed, primitives in cty's set order (numbers ascending, strings lexically). */
function toSet(values: HclValue[]): HclValue[] {
  const seen = new Map<string, HclValue>();
  for (const v of values) seen.set(JSON.stringify(v), v);
  const out = [...seen.values()];
  if (out.every((v) => typeof v === 'number')) return (out as number[]).sort((a, b) => a - b);
  if (out.every((v) => typeof v === 'string')) return (out as string[]).sort();
  return out;
}
