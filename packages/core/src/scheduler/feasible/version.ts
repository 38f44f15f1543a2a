/**
 * Version parsing and the two constraint dialects Nomad accepts: `version` (go-version rules,
 * with `~>` and strict prerelease matching) and `semver` (plain semver ordering, no `~>`).
 */

interface Version {
  segments: number[];
  /** How many segments were written ("1.4" has 2); `~>` depends on it. */
  written: number;
  pre: string;
}

const VERSION_RE = /^v?(\d+(?:\.\d+)*)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

/** Parses "1.2.3-beta1+meta"; missing segments count as 0. Pure. */
export function parseVersion(text: string): Version | undefined {
  const m = VERSION_RE.exec(text.trim());
  if (!m) return undefined;
  const parts = m[1]!.split('.').map(Number);
  const written = parts.length;
  while (parts.length < 3) parts.push(0);
  return { segments: parts, written, pre: m[2] ?? '' };
}

function compareSegments(a: number[], b: number[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

function comparePre(a: string, b: string): number {
  if (a === b) return 0;
  if (a === '') return 1;
  if (b === '') return -1;
  const xs = a.split('.');
  const ys = b.split('.');
  const n = Math.min(xs.length, ys.length);
  for (let i = 0; i < n; i++) {
    const x = xs[i]!;
    const y = ys[i]!;
    if (x === y) continue;
    const xn = /^\d+$/.test(x);
    const yn = /^\d+$/.test(y);
    if (xn && yn) return Number(x) < Number(y) ? -1 : 1;
    if (xn) return -1;
    if (yn) return 1;
    return x < y ? -1 : 1;
  }
  return xs.length === ys.length ? 0 : xs.length < ys.length ? -1 : 1;
}

/** Orders two versions (segments, then prerelease; metadata ignored). Pure. */
export function compareVersions(a: Version, b: Version): number {
  return compareSegments(a.segments, b.segments) || comparePre(a.pre, b.pre);
}

type Check = (v: Version) => boolean;
const OP_RE = /^\s*(~>|>=|<=|!=|=|>|<)?\s*(\S+)\s*$/;

function parseConstraint(text: string, semver: boolean): Check[] | undefined {
  const checks: Check[] = [];
  for (const part of text.split(',')) {
    const m = OP_RE.exec(part);
    if (!m) return undefined;
    const op = m[1] ?? '=';
    const c = parseVersion(m[2]!);
    if (!c) return undefined;
    if (semver && op === '~>') return undefined;
    checks.push((v) => {
      // go-version: a prerelease only satisfies a constraint on the same release with a prerelease.
      if (!semver && v.pre !== '' && (c.pre === '' || compareSegments(v.segments, c.segments) !== 0)) {
        return false;
      }
      const cmp = compareVersions(v, c);
      switch (op) {
        case '=':
          return cmp === 0;
        case '!=':
          return cmp !== 0;
        case '>':
          return cmp > 0;
        case '<':
          return cmp < 0;
        case '>=':
          return cmp >= 0;
        case '<=':
          return cmp <= 0;
        default: {
          // ~>: at least c, and the segments before the last written one are equal.
          if (cmp < 0) return false;
          const keep = Math.max(c.written - 1, 1);
          for (let i = 0; i < keep; i++) if (v.segments[i] !== c.segments[i]) return false;
          return true;
        }
      }
    });
  }
  return checks;
}

const caches = { version: new Map<string, Check[] | null>(), semver: new Map<string, Check[] | null>() };

/** True when `version` satisfies `constraint` in the given dialect; unparsable input is false. Pure. */
export function versionMatches(version: string, constraint: string, dialect: 'version' | 'semver'): boolean {
  const v = parseVersion(version);
  if (!v) return false;
  const cache = caches[dialect];
  let checks = cache.get(constraint);
  if (checks === undefined) {
    checks = parseConstraint(constraint, dialect === 'semver') ?? null;
    if (cache.size > 1000) cache.clear();
    cache.set(constraint, checks);
  }
  if (!checks) return false;
  for (const c of checks) if (!c(v)) return false;
  return true;
}
