/**
 * The machinery behind the Nomad API JSON codecs: a struct is described once as a list of
 * fields (PascalCase wire name, camelCase name, kind) and compiled into an io-ts codec that
 * renames keys, reports unknown keys, treats `null` as absent and, in "fill" mode, gives
 * absent fields Go's zero values (as Nomad's server-side structs have them).
 */
import * as t from 'io-ts';

/** A decode problem: where (`Job.TaskGroups[0].Count`), what was expected, and what was found. */
export interface DecodeError {
  path: string;
  expected: string;
  actual: unknown;
  /** `<path>: expected <expected>, got <actual>` (or `<path>: unknown key`). */
  message: string;
}

/** Nomad's PascalCase name -> our camelCase name (`MemoryMB` -> `memoryMB`, `JobID` -> `jobId`). */
export function camelOf(wire: string): string {
  if (/^[A-Z0-9]+$/.test(wire)) return wire.toLowerCase();
  const run = /^([A-Z]+)(?=[A-Z][a-z])/.exec(wire);
  const head = run?.[1]
    ? run[1].toLowerCase() + wire.slice(run[1].length)
    : wire[0]?.toLowerCase() + wire.slice(1);
  return head.replace(/ID$/, 'Id').replace(/IDs$/, 'Ids');
}

type Kind = Field['kind'];

/** Field helper: `f('MemoryMB', 'number')`, `f('Tasks', 'structArray', TaskDef)`, with a key override. */
export function f(
  wire: string,
  kind: Kind,
  struct?: StructDef,
  opts: { key?: string; optional?: boolean; nullValues?: boolean } = {},
): Field {
  return {
    wire,
    key: opts.key ?? camelOf(wire),
    kind,
    ...(struct ? { struct } : {}),
    ...(opts.optional ? { optional: true } : {}),
    ...(opts.nullValues ? { nullValues: true } : {}),
  };
}

/** An optional nested struct (absent stays undefined even in fill mode). */
export function opt(wire: string, struct: StructDef, key?: string): Field {
  return f(wire, 'struct', struct, { optional: true, ...(key ? { key } : {}) });
}

/** Leaf kinds. `time` (Go's `time.Time`) reads ns numbers or RFC 3339 strings and writes strings. */
type LeafKind =
  'number' | 'string' | 'boolean' | 'strings' | 'stringMap' | 'stringsMap' | 'any' | 'time' | 'numbers';

/** One field of a struct. */
export interface Field {
  wire: string;
  key: string;
  kind: LeafKind | 'struct' | 'structArray' | 'structMap' | 'boolMap' | 'numberMap';
  struct?: StructDef;
  /** Left undefined in fill mode when absent. */
  optional?: boolean;
  /** For structMap: `null` values are kept as `null` (Nomad writes them for tasks without a lifecycle). */
  nullValues?: boolean;
}

/** A struct: its fields and the Nomad fields we accept but do not model. */
export interface StructDef {
  name: string;
  fields: Field[];
  ignored?: string[];
}

/**
 * A JSON number that is finite: `1e400` parses to Infinity and HCL can compute NaN, neither of
 * which Nomad's Go numbers (nor a JSON snapshot) can hold. Fails with the path like any leaf.
 */
const finiteNumber = new t.Type<number, number, unknown>(
  'number',
  (u): u is number => typeof u === 'number' && Number.isFinite(u),
  (u, c) =>
    typeof u === 'number' && Number.isFinite(u)
      ? t.success(u)
      : t.failure(u, c, typeof u === 'number' ? 'a finite number' : undefined),
  t.identity,
);

const leafCodecs: Record<LeafKind, t.Mixed> = {
  number: finiteNumber,
  string: t.string,
  boolean: t.boolean,
  strings: t.array(t.string),
  numbers: t.array(finiteNumber),
  stringMap: t.record(t.string, t.string),
  stringsMap: t.record(t.string, t.array(t.string)),
  any: t.UnknownRecord,
  time: new t.Type<number, string | number, unknown>(
    'Timestamp',
    (u): u is number => typeof u === 'number',
    (u, c) => {
      if (typeof u === 'number' && Number.isFinite(u)) return t.success(u);
      if (typeof u === 'string') {
        const ns = u === '' ? 0 : parseRfc3339(u);
        if (ns !== undefined) return t.success(ns);
      }
      return t.failure(u, c);
    },
    (n) => formatRfc3339Nano(n) ?? n,
  ),
};

/** Human phrase for what a codec expects. */
function expectedOf(type: t.Decoder<unknown, unknown>): string {
  switch (type.name) {
    case 'number':
      return 'a number';
    case 'string':
      return 'a string';
    case 'boolean':
      return 'a boolean';
    case 'Array<string>':
      return 'an array of strings';
    case 'Array<number>':
      return 'an array of numbers';
    case '{ [K in string]: string }':
      return 'an object of strings';
    case '{ [K in string]: Array<string> }':
      return 'an object of string arrays';
    case 'UnknownRecord':
      return 'an object';
    case 'Timestamp':
      return 'a timestamp (ns or RFC 3339)';
    default:
      return type.name.startsWith('Array<') ? 'an array' : 'an object';
  }
}

const isObject = (u: unknown): u is Record<string, unknown> =>
  typeof u === 'object' && u !== null && !Array.isArray(u);

const cache = new Map<StructDef, [t.Mixed | undefined, t.Mixed | undefined]>();

/**
 * Compiles a struct description into an io-ts codec. `fill` gives absent required fields
 * their zero value. Memoised per (struct, fill).
 */
export function compile(
  def: StructDef,
  fill: boolean,
): t.Type<Record<string, unknown>, Record<string, unknown>> {
  const slot = cache.get(def) ?? [undefined, undefined];
  cache.set(def, slot);
  const hit = slot[fill ? 1 : 0];
  if (hit) return hit as t.Type<Record<string, unknown>, Record<string, unknown>>;
  const byWire = new Map(def.fields.map((f) => [f.wire, f]));
  const ignored = new Set(def.ignored ?? []);
  // Built lazily so that structs may refer to each other.
  let fieldCodecs: Map<Field, t.Mixed> | undefined;
  const codecs = (): Map<Field, t.Mixed> =>
    (fieldCodecs ??= new Map(def.fields.map((f) => [f, fieldCodec(f, fill)])));
  const codec = new t.Type<Record<string, unknown>, Record<string, unknown>, unknown>(
    def.name,
    isObject,
    (u, c) => {
      if (!isObject(u)) return t.failure(u, c, 'an object');
      const out: Record<string, unknown> = {};
      const errors: t.ValidationError[] = [];
      const cs = codecs();
      for (const wire of Object.keys(u)) {
        const f = byWire.get(wire);
        const v = u[wire];
        if (!f) {
          if (!ignored.has(wire))
            errors.push({
              value: v,
              context: [...c, { key: wire, type: t.never, actual: v }],
              message: 'unknown key',
            });
          continue;
        }
        if (v === null || v === undefined) continue;
        const fc = cs.get(f) as t.Mixed;
        const r = fc.validate(v, [...c, { key: wire, type: fc, actual: v }]);
        if (r._tag === 'Left') errors.push(...r.left);
        else out[f.key] = r.right;
      }
      if (errors.length > 0) return t.failures(errors);
      if (fill) for (const f of def.fields) if (!(f.key in out) && !f.optional) out[f.key] = zeroOf(f);
      return t.success(out);
    },
    (a) => {
      const out: Record<string, unknown> = {};
      const cs = codecs();
      for (const f of def.fields) {
        const v = a[f.key];
        if (v === undefined) continue;
        out[f.wire] = (cs.get(f) as t.Mixed).encode(v);
      }
      return out;
    },
  );
  slot[fill ? 1 : 0] = codec;
  return codec;
}

function fieldCodec(f: Field, fill: boolean): t.Mixed {
  switch (f.kind) {
    case 'struct':
      return compile(need(f), fill);
    case 'structArray':
      return t.array(nullAsZero(compile(need(f), fill)));
    case 'structMap':
      return t.record(
        t.string,
        f.nullValues ? keepNull(compile(need(f), fill)) : nullAsZero(compile(need(f), fill)),
      );
    case 'boolMap':
      return t.record(t.string, t.boolean);
    case 'numberMap':
      return t.record(t.string, finiteNumber);
    default:
      return leafCodecs[f.kind];
  }
}

/** Arrays and maps of structs may hold `null` on Nomad's wire; read it as an empty struct. */
function nullAsZero(codec: t.Mixed): t.Mixed {
  return new t.Type(
    codec.name,
    codec.is,
    (u, c) => (u === null ? codec.validate({}, c) : codec.validate(u, c)),
    (a) => codec.encode(a),
  );
}

/** `null` stays `null` both ways. */
function keepNull(codec: t.Mixed): t.Mixed {
  return new t.Type(
    codec.name,
    (u): u is unknown => u === null || codec.is(u),
    (u, c) => (u === null ? t.success(null) : codec.validate(u, c)),
    (a) => (a === null ? null : codec.encode(a)),
  );
}

function need(f: Field): StructDef {
  if (!f.struct) throw new Error(`field ${f.wire} has no struct`);
  return f.struct;
}

/** Go's zero value of a field. */
function zeroOf(f: Field): unknown {
  switch (f.kind) {
    case 'number':
    case 'time':
      return 0;
    case 'string':
      return '';
    case 'boolean':
      return false;
    case 'strings':
    case 'numbers':
    case 'structArray':
      return [];
    case 'struct': {
      const r = compile(need(f), true).decode({});
      return r._tag === 'Right' ? r.right : {};
    }
    default:
      return {};
  }
}

/** Renders io-ts errors as path-precise messages under `root` (e.g. `Job`). Pure. */
export function reportErrors(root: string, errors: t.Errors): DecodeError[] {
  return errors.map((e) => {
    let path = root;
    for (let i = 1; i < e.context.length; i++) {
      const entry = e.context[i];
      const parent = e.context[i - 1];
      if (!entry) continue;
      if (parent && parent.type instanceof t.ArrayType) path += `[${entry.key}]`;
      else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(entry.key)) path += `.${entry.key}`;
      else path += `[${JSON.stringify(entry.key)}]`;
    }
    const last = e.context[e.context.length - 1];
    if (e.message === 'unknown key') {
      return { path, expected: 'a known key', actual: e.value, message: `${path}: unknown key` };
    }
    const expected = e.message ?? (last ? expectedOf(last.type) : 'a value');
    const got = show(e.value);
    return { path, expected, actual: e.value, message: `${path}: expected ${expected}, got ${got}` };
  });
}

function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  // Values JSON cannot write (a caller's BigInt, function or Symbol) must not crash the report.
  if (typeof v === 'bigint' || typeof v === 'function' || typeof v === 'symbol') return `a ${typeof v}`;
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object' && v !== null) return 'an object';
  const s = JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** Go's zero `time.Time` as it marshals to JSON; core uses 0 ns for "unset". */
export const ZERO_TIME = '0001-01-01T00:00:00Z';

const NS_PER_S = 1_000_000_000n;
/** Seconds from the epoch to 0000-01-01T00:00:00Z and to the end of 9999: Go's JSON range. */
const MIN_SEC = -62_167_219_200;
const MAX_SEC = 253_402_300_799;
const ZERO_TIME_NS = -62_135_596_800n * NS_PER_S;

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|z|[+-]\d{2}:\d{2})$/;

/** Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** The date of a day number since 1970-01-01 (Hinnant's civil_from_days). */
function civilFromDays(days: number): [number, number, number] {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [era * 400 + yoe + (m <= 2 ? 1 : 0), m, d];
}

const daysIn = (y: number, m: number): number =>
  m === 2 ? (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;

/**
 * Parses an RFC 3339 timestamp (as Go's `time.Time` reads it: fields range-checked, fraction
 * digits past the ninth dropped) to ns since the epoch; Go's zero time gives 0. Exact in
 * BigInt, then rounded once to the nearest double. Pure.
 * @example parseRfc3339('1970-01-01T00:00:01.5Z') // 1_500_000_000
 */
export function parseRfc3339(s: string): number | undefined {
  const m = RFC3339.exec(s);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, se, frac = '', zone = 'Z'] = m;
  const [year, month, day, hour, min, sec] = [y, mo, d, h, mi, se].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
  if (hour > 23 || min > 59 || sec > 59) return undefined;
  let offsetSec = 0;
  if (zone !== 'Z' && zone !== 'z') {
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(4, 6));
    if (oh > 23 || om > 59) return undefined;
    offsetSec = (zone.startsWith('-') ? -1 : 1) * (oh * 3600 + om * 60);
  }
  const secs = daysFromCivil(year, month, day) * 86_400 + hour * 3600 + min * 60 + sec - offsetSec;
  const ns = BigInt(secs) * NS_PER_S + BigInt(frac.slice(0, 9).padEnd(9, '0'));
  return ns === ZERO_TIME_NS ? 0 : Number(ns);
}

/**
 * Formats ns since the epoch as Go's RFC3339Nano in UTC (fraction's trailing zeros trimmed),
 * the form Go's `time.Time` marshals to; 0 gives Go's zero time. The double's exact integer
 * value is written (rounded first if it has a fraction), so parsing gives the same number back.
 * Returns undefined outside years 0000–9999, which Go cannot write either. Pure.
 * @example formatRfc3339Nano(1_500_000_000) // '1970-01-01T00:00:01.5Z'
 */
export function formatRfc3339Nano(ns: number): string | undefined {
  if (ns === 0) return ZERO_TIME;
  if (!Number.isFinite(ns)) return undefined;
  const big = BigInt(Math.round(ns));
  let secs = big / NS_PER_S;
  let frac = big % NS_PER_S;
  if (frac < 0n) {
    secs -= 1n;
    frac += NS_PER_S;
  }
  if (secs < BigInt(MIN_SEC) || secs > BigInt(MAX_SEC)) return undefined;
  const s = Number(secs);
  const days = Math.floor(s / 86_400);
  const sod = s - days * 86_400;
  const [y, m, d] = civilFromDays(days);
  const p2 = (n: number): string => String(n).padStart(2, '0');
  const fraction = frac === 0n ? '' : '.' + String(frac).padStart(9, '0').replace(/0+$/, '');
  return (
    `${String(y).padStart(4, '0')}-${p2(m)}-${p2(d)}` +
    `T${p2(Math.floor(sod / 3600))}:${p2(Math.floor(sod / 60) % 60)}:${p2(sod % 60)}${fraction}Z`
  );
}
