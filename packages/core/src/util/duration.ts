/**
 * Go-style durations (`1h30m`, `250ms`, `1.5s`) as numbers of nanoseconds, the unit of
 * durations throughout core and on Nomad's wire.
 */

/** Duration units in nanoseconds. */
export const NANOSECOND = 1;
export const MICROSECOND = 1e3;
export const MILLISECOND = 1e6;
export const SECOND = 1e9;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;

const UNITS: Record<string, number> = {
  ns: NANOSECOND,
  us: MICROSECOND,
  µs: MICROSECOND,
  μs: MICROSECOND,
  ms: MILLISECOND,
  s: SECOND,
  m: MINUTE,
  h: HOUR,
};

const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;

/**
 * Parses a Go duration string into nanoseconds, or returns `undefined` when it is not one.
 * Accepts an optional sign, `0`, and unit sequences like `1h2m3.5s`. Pure.
 * @example parseGoDuration('1h30m') === 5_400_000_000_000
 */
export function parseGoDuration(s: string): number | undefined {
  let i = 0;
  let sign = 1;
  if (s[0] === '-' || s[0] === '+') {
    sign = s[0] === '-' ? -1 : 1;
    i = 1;
  }
  const rest = s.slice(i);
  if (rest === '0') return 0;
  if (rest === '') return undefined;
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < rest.length) {
    const start = PART.lastIndex;
    const m = PART.exec(rest);
    if (!m || m.index !== start) return undefined;
    const unit = UNITS[m[2] ?? ''];
    if (unit === undefined) return undefined;
    total += Number(m[1]) * unit;
  }
  return sign * Math.round(total);
}

/**
 * Formats nanoseconds the way Go's `time.Duration.String()` does (`1h30m0s`, `1.5s`, `250ms`,
 * `0s`). Pure.
 */
export function formatGoDuration(ns: number): string {
  if (ns === 0) return '0s';
  const neg = ns < 0;
  let n = Math.abs(Math.round(ns));
  let out: string;
  if (n < SECOND) {
    const [unit, size] =
      n < MICROSECOND ? ['ns', 1] : n < MILLISECOND ? ['µs', MICROSECOND] : ['ms', MILLISECOND];
    out = fraction(n, size) + unit;
  } else {
    const h = Math.floor(n / HOUR);
    n -= h * HOUR;
    const m = Math.floor(n / MINUTE);
    n -= m * MINUTE;
    out = fraction(n, SECOND) + 's';
    if (h > 0 || m > 0) out = `${m}m${out}`;
    if (h > 0) out = `${h}h${out}`;
  }
  return neg ? `-${out}` : out;
}

/** `n / size` in decimal without trailing zeros, exact for integers. */
function fraction(n: number, size: number): string {
  const whole = Math.floor(n / size);
  const frac = n - whole * size;
  if (frac === 0) return String(whole);
  const digits = String(size).length - 1;
  return `${whole}.${String(frac).padStart(digits, '0').replace(/0+$/, '')}`;
}
