/** Time functions: formatdate and timeadd over RFC 3339 timestamps, keeping the input's offset. */

import { FunctionError, type HclFunction } from './types.js';
import { fn, str } from './args.js';

interface Stamp {
  /** Wall-clock fields in the timestamp's own offset. */
  readonly y: number;
  readonly mo: number;
  readonly d: number;
  readonly h: number;
  readonly mi: number;
  readonly s: number;
  readonly nanos: number;
  /** Offset east of UTC in minutes; `z` when written as Z. */
  readonly offset: number;
  readonly z: boolean;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

function parseStamp(s: string, arg: number): Stamp {
  const m = RFC3339.exec(s);
  if (!m) throw new FunctionError(`not a valid RFC3339 timestamp: cannot parse ${JSON.stringify(s)}`, arg);
  const n = (i: number): number => Number(m[i]);
  const zone = m[8] ?? 'Z';
  const z = zone === 'Z' || zone === 'z';
  const offset = z
    ? 0
    : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  const frac = (m[7] ?? '.').slice(1).padEnd(9, '0');
  const st = {
    y: n(1),
    mo: n(2),
    d: n(3),
    h: n(4),
    mi: n(5),
    s: n(6),
    nanos: Number(frac || '0'),
    offset,
    z,
  };
  const check = new Date(Date.UTC(st.y, st.mo - 1, st.d, st.h, st.mi, st.s));
  if (
    check.getUTCDate() !== st.d ||
    check.getUTCMonth() !== st.mo - 1 ||
    st.h > 23 ||
    st.mi > 59 ||
    st.s > 59
  ) {
    throw new FunctionError(`not a valid RFC3339 timestamp: ${JSON.stringify(s)} is out of range`, arg);
  }
  return st;
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const p2 = (n: number): string => String(n).padStart(2, '0');

function offsetText(st: Stamp, colon: boolean): string {
  const sign = st.offset < 0 ? '-' : '+';
  const a = Math.abs(st.offset);
  return sign + p2(Math.floor(a / 60)) + (colon ? ':' : '') + p2(a % 60);
}

/**
 * `timestamp` rendered with cty's formatdate spec (`YYYY-MM-DD'T'hh:mm:ssZ`, `EEE, DD MMM YYYY` …). Pure.
 * @example formatDate('DD MMM YYYY', '2018-01-02T23:12:01Z') // '02 Jan 2018'
 */
export function formatDate(spec: string, timestamp: string): string {
  const st = parseStamp(timestamp, 1);
  const dow = new Date(Date.UTC(st.y, st.mo - 1, st.d)).getUTCDay();
  const hour12 = st.h % 12 === 0 ? 12 : st.h % 12;
  const verbs: Record<string, () => string> = {
    YYYY: () => String(st.y).padStart(4, '0'),
    YY: () => p2(st.y % 100),
    MMMM: () => MONTHS[st.mo - 1] ?? '',
    MMM: () => (MONTHS[st.mo - 1] ?? '').slice(0, 3),
    MM: () => p2(st.mo),
    M: () => String(st.mo),
    DD: () => p2(st.d),
    D: () => String(st.d),
    EEEE: () => DAYS[dow] ?? '',
    EEE: () => (DAYS[dow] ?? '').slice(0, 3),
    hh: () => p2(st.h),
    h: () => String(st.h),
    HH: () => p2(hour12),
    H: () => String(hour12),
    AA: () => (st.h < 12 ? 'AM' : 'PM'),
    aa: () => (st.h < 12 ? 'am' : 'pm'),
    mm: () => p2(st.mi),
    m: () => String(st.mi),
    ss: () => p2(st.s),
    s: () => String(st.s),
    ZZZZZ: () => offsetText(st, true),
    ZZZZ: () => offsetText(st, false),
    ZZZ: () => (st.z || st.offset === 0 ? 'UTC' : offsetText(st, false)),
    Z: () => (st.z || st.offset === 0 ? 'Z' : offsetText(st, true)),
  };
  let out = '';
  let i = 0;
  while (i < spec.length) {
    const c = spec[i] as string;
    if (c === "'") {
      // A quoted literal; '' inside or on its own stands for one quote.
      if (spec[i + 1] === "'") {
        out += "'";
        i += 2;
        continue;
      }
      let j = i + 1;
      for (;;) {
        if (j >= spec.length) throw new FunctionError('unterminated literal quote', 0);
        if (spec[j] === "'") {
          if (spec[j + 1] === "'") {
            out += "'";
            j += 2;
            continue;
          }
          break;
        }
        out += spec[j];
        j++;
      }
      i = j + 1;
      continue;
    }
    if (!/[A-Za-z]/.test(c)) {
      out += c;
      i++;
      continue;
    }
    let j = i;
    while (j < spec.length && spec[j] === c) j++;
    const run = spec.slice(i, j);
    const verb = verbs[run];
    if (!verb)
      throw new FunctionError(`invalid date format verb ${JSON.stringify(run)}: unsupported format verb`, 0);
    out += verb();
    i = j;
  }
  return out;
}

const UNITS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/** Go's durations are int64 nanoseconds (about 292 years); 2^63 and more is invalid. */
const MAX_DURATION_NS = 2 ** 63;

/**
 * A Go duration string (`1h30m`, `-1.5s`) in nanoseconds; undefined when malformed or, as in
 * Go's time.ParseDuration, when it overflows an int64 of nanoseconds. Pure.
 */
export function parseGoDuration(s: string): number | undefined {
  const m = /^([-+]?)(.*)$/.exec(s);
  let rest = m?.[2] ?? '';
  if (rest === '0') return 0;
  if (rest === '') return undefined;
  let total = 0;
  while (rest !== '') {
    const part = /^(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/.exec(rest);
    if (!part) return undefined;
    total += Number(part[1]) * (UNITS[part[2] ?? ''] ?? 0);
    rest = rest.slice(part[0].length);
  }
  if (!(total < MAX_DURATION_NS)) return undefined;
  return m?.[1] === '-' ? -total : total;
}

/** timestamp + duration, as RFC 3339 in the input's offset (Go's time.RFC3339 drops fractions). */
function timeAdd(timestamp: string, duration: string): string {
  const st = parseStamp(timestamp, 0);
  const ns = parseGoDuration(duration);
  if (ns === undefined) throw new FunctionError(`time: invalid duration ${JSON.stringify(duration)}`, 1);
  const localMs = Date.UTC(st.y, st.mo - 1, st.d, st.h, st.mi, st.s);
  const totalNs = BigInt(localMs) * 1_000_000n + BigInt(st.nanos) + BigInt(Math.round(ns));
  const secs = Number(totalNs / 1_000_000_000n - (totalNs % 1_000_000_000n < 0n ? 1n : 0n));
  const d = new Date(secs * 1000);
  if (Number.isNaN(d.getTime())) {
    throw new FunctionError(`time: the result of adding ${JSON.stringify(duration)} is out of range`, 1);
  }
  const body = `${String(d.getUTCFullYear()).padStart(4, '0')}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}T${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
  return body + (st.z || st.offset === 0 ? 'Z' : offsetText(st, true));
}

/** Time functions keyed by name. */
export const datetimeFunctions: Record<string, HclFunction> = {
  formatdate: fn(2, (a) => formatDate(str(a, 0), str(a, 1))),
  timeadd: fn(2, (a) => timeAdd(str(a, 0), str(a, 1))),
};
