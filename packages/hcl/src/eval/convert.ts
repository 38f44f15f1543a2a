import { formatNumber } from '../hclToJson.js';
import { isDeferred, type HclValue } from '../values.js';

/** Why a conversion failed, phrased as what was expected. */
export class ConversionError {
  constructor(readonly message: string) {}
}

/** Names a value's type the way HCL's messages do. Pure. */
export function typeName(v: HclValue): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'tuple';
  if (isDeferred(v)) return 'run-time value';
  if (typeof v === 'object') return 'object';
  return typeof v === 'boolean' ? 'bool' : typeof v;
}

/** HCL's automatic conversion to string (numbers and bools convert). Pure. */
export function toStr(v: HclValue): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  throw new ConversionError(
    v === null ? 'a string is required, got null' : `a string is required, got ${typeName(v)}`,
  );
}

/** HCL's automatic conversion to number (decimal strings convert). Pure. */
export function toNum(v: HclValue): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const s = v.trim();
    if (s !== '' && /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(s)) return Number(s);
    throw new ConversionError(`a number is required, got the string ${JSON.stringify(v)}`);
  }
  throw new ConversionError(`a number is required, got ${typeName(v)}`);
}

/** HCL's automatic conversion to bool ("true"/"false" strings convert). Pure. */
export function toBool(v: HclValue): boolean {
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new ConversionError(`a bool is required, got ${v === null ? 'null' : typeName(v)}`);
}

/** Deep equality of HCL values (no conversion: 1 != "1"). Pure. */
export function valuesEqual(a: HclValue, b: HclValue): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (isDeferred(a) || isDeferred(b)) return isDeferred(a) && isDeferred(b) && a.source === b.source;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!valuesEqual(a[i]!, b[i]!)) return false;
    return true;
  }
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (!Object.hasOwn(b, k) || !valuesEqual(a[k]!, b[k]!)) return false;
  return true;
}

/** True when a Deferred appears anywhere inside `v`. Pure. */
export function containsDeferred(v: HclValue): boolean {
  if (v === null || typeof v !== 'object') return false;
  if (isDeferred(v)) return true;
  if (Array.isArray(v)) return v.some(containsDeferred);
  for (const k in v) if (containsDeferred(v[k]!)) return true;
  return false;
}
