/**
 * String functions of jobspec2's library (cty stdlib). Lengths count grapheme clusters, as cty
 * does; `regex_replace` runs on RE2 (re2js), linear in its input, with Go's syntax.
 */

import { RE2JS, RE2JSException, type Matcher } from 're2js';
import { FunctionError, type FunctionContext, type HclFunction } from './types.js';
import { fn, int, list, str, variadic } from './args.js';
import { convertValue } from '../types/convert.js';
import { t } from '../types/hclType.js';
import { checkStringLength } from '../eval/budget.js';

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** Below U+0300 every character is its own grapheme cluster, except CR LF (one cluster). */
// eslint-disable-next-line no-control-regex -- the range of simple characters starts at U+0000
const COMPLEX = /[^\u0000-\u02ff]/;

/**
 * Characters that can join a cluster with a neighbour (UAX #29: Extend, ZWJ, SpacingMark,
 * Prepend, regional indicators, Hangul jamo). Text without them is one cluster per code point,
 * except CR LF.
 */
const JOINING =
  // eslint-disable-next-line no-misleading-character-class -- code point ranges, with the u flag
  /[\p{M}\u200c\u200d\p{RI}\u0e33\u0eb3\u1100-\u11ff\ua960-\ua97f\ud7b0-\ud7ff\uff9e\uff9f\u{1f3fb}-\u{1f3ff}\u{e0020}-\u{e007f}\u0600-\u0605\u06dd\u070f\u0890\u0891\u08e2\u0d4e\u{110bd}\u{110cd}\u{111c2}\u{111c3}\u{1193f}\u{11941}\u{11a3a}\u{11a84}-\u{11a89}\u{11d46}\u{11f02}]/u;

/** Code units handed to Intl.Segmenter at once: its iteration is quadratic in the input. */
const CHUNK = 64;

/** Intl.Segmenter costs about 8 steps a code unit even in chunks. */
const SEGMENT_COST = 8;

/**
 * The grapheme clusters of `s`, in time linear in its length. Pure apart from `charge`, which
 * is told about text that needs full segmentation.
 */
export function graphemes(s: string, ctx?: FunctionContext): string[] {
  if (!COMPLEX.test(s)) {
    if (!s.includes('\r')) return s.split('');
    const out: string[] = [];
    for (let i = 0; i < s.length; i++) {
      if (s.charCodeAt(i) === 13 && s.charCodeAt(i + 1) === 10) out.push(s.slice(i, ++i + 1));
      else out.push(s[i]!);
    }
    return out;
  }
  if (!JOINING.test(s)) {
    const out: string[] = [];
    for (const c of s) {
      if (c === '\n' && out.length > 0 && out[out.length - 1] === '\r') out[out.length - 1] = '\r\n';
      else out.push(c);
    }
    return out;
  }
  ctx?.charge?.(s.length * SEGMENT_COST);
  // Segment a chunk at a time and restart at the last boundary found (a true boundary, so the
  // clusters after it are the same as in one pass over the whole string).
  const out: string[] = [];
  let start = 0;
  let size = CHUNK;
  while (start < s.length) {
    const end = Math.min(s.length, start + size);
    const segs = Array.from(segmenter.segment(s.slice(start, end)), (x) => x.segment);
    if (end === s.length) {
      for (const g of segs) out.push(g);
      break;
    }
    if (segs.length < 2) {
      size *= 2; // one cluster longer than the chunk: look further
      continue;
    }
    segs.pop(); // the last cluster may continue past the chunk
    for (const g of segs) {
      out.push(g);
      start += g.length;
    }
    size = CHUNK;
  }
  return out;
}

/** The number of grapheme clusters in `s`, linear time. */
export function graphemeCount(s: string, ctx?: FunctionContext): number {
  if (COMPLEX.test(s)) return graphemes(s, ctx).length;
  let n = s.length;
  for (let i = s.indexOf('\r\n'); i >= 0; i = s.indexOf('\r\n', i + 2)) n--;
  return n;
}

/** A regular expression in Go's (RE2) syntax; RE2 has no backreferences or lookaround. */
function goRegExp(pattern: string, arg: number): RE2JS {
  try {
    return RE2JS.compile(pattern);
  } catch (e) {
    if (!(e instanceof RE2JSException)) throw e;
    throw new FunctionError(`invalid regular expression pattern: ${e.message}`, arg);
  }
}

/**
 * Go's Regexp.Expand: `$name` or `${name}` (the longest run of letters, digits and `_`) is the
 * group with that number or name, empty when there is none; `$$` is `$`; any other `$` stays.
 */
function goExpand(template: string, m: Matcher, named: Record<string, number>, groups: number): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const d = template.indexOf('$', i);
    if (d < 0) return out + template.slice(i);
    out += template.slice(i, d);
    i = d + 1;
    if (template[i] === '$') {
      out += '$';
      i++;
      continue;
    }
    let name: string | undefined;
    const braced = /^\{(\w+)\}/.exec(template.slice(i, i + 256));
    if (braced) {
      name = braced[1];
      i += braced[0].length;
    } else {
      const bare = /^\w+/.exec(template.slice(i, i + 256));
      if (bare) {
        name = bare[0];
        i += bare[0].length;
      }
    }
    if (name === undefined) {
      out += '$';
      continue;
    }
    const index = /^\d+$/.test(name) ? Number(name) : named[name];
    if (index !== undefined && index <= groups) out += m.group(index) ?? '';
  }
  return out;
}

/**
 * Go's Regexp.ReplaceAllString: every non-overlapping match replaced with the expanded
 * template; an empty match right after a previous match is skipped.
 */
function regexReplace(s: string, re: RE2JS, template: string): string {
  const m = re.matcher(s);
  const named = re.namedGroups();
  const groups = re.groupCount();
  const parts: string[] = [];
  let length = 0;
  let lastEnd = 0;
  let pos = 0;
  while (pos <= s.length && m.find(pos)) {
    const a = m.start();
    const b = m.end();
    parts.push(s.slice(lastEnd, a));
    length += a - lastEnd;
    if (b > lastEnd || a === 0) {
      const r = goExpand(template, m, named, groups);
      parts.push(r);
      length += r.length;
      checkStringLength(length);
    }
    lastEnd = b;
    const cp = s.codePointAt(pos);
    const width = cp !== undefined && cp > 0xffff ? 2 : 1;
    pos = pos + width > b ? pos + width : b;
  }
  parts.push(s.slice(lastEnd));
  checkStringLength(length + s.length - lastEnd);
  return parts.join('');
}

/** String functions keyed by name. */
export const stringFunctions: Record<string, HclFunction> = {
  chomp: fn(1, (a) => str(a, 0).replace(/(?:\r\n|\r|\n)+$/, '')),
  indent: fn(2, (a) => {
    const width = Math.max(0, int(a, 0));
    const s = str(a, 1);
    let lines = 0;
    for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) lines++;
    checkStringLength(s.length + lines * width);
    return s.replace(/\n/g, '\n' + ' '.repeat(width));
  }),
  join: variadic(2, (a) => {
    const sep = str(a, 0);
    if (a.length < 2) throw new FunctionError('at least one list is required');
    const items: string[] = [];
    let length = 0;
    for (let i = 1; i < a.length; i++) {
      for (const v of list(a, i)) {
        if (v === null)
          throw new FunctionError(`element ${items.length} is null; cannot concatenate null values`, i);
        const item = convertValue(v, t.string) as string;
        length += item.length + sep.length;
        items.push(item);
      }
    }
    checkStringLength(length);
    return items.join(sep);
  }),
  split: fn(2, (a) => str(a, 1).split(str(a, 0))),
  lower: fn(1, (a) => str(a, 0).toLowerCase()),
  upper: fn(1, (a) => str(a, 0).toUpperCase()),
  // Go's strings.Title: upper-cases the first letter of each space-separated word.
  title: fn(1, (a) =>
    str(a, 0).replace(/(^|[^\p{L}\p{N}_'])(\p{L})/gu, (_m, pre: string, c: string) => pre + c.toUpperCase()),
  ),
  trim: fn(2, (a, ctx) => {
    const cut = new Set(graphemes(str(a, 1), ctx));
    const g = graphemes(str(a, 0), ctx);
    let s = 0;
    let e = g.length;
    while (s < e && cut.has(g[s] as string)) s++;
    while (e > s && cut.has(g[e - 1] as string)) e--;
    return g.slice(s, e).join('');
  }),
  trimprefix: fn(2, (a) => {
    const s = str(a, 0);
    const p = str(a, 1);
    return s.startsWith(p) ? s.slice(p.length) : s;
  }),
  trimsuffix: fn(2, (a) => {
    const s = str(a, 0);
    const p = str(a, 1);
    return p !== '' && s.endsWith(p) ? s.slice(0, s.length - p.length) : s;
  }),
  trimspace: fn(1, (a) => str(a, 0).replace(/^[\s\u0085]+|[\s\u0085]+$/gu, '')),
  replace: fn(3, (a) => {
    const parts = str(a, 0).split(str(a, 1));
    checkStringLength(str(a, 0).length + (parts.length - 1) * str(a, 2).length);
    return parts.join(str(a, 2));
  }),
  regex_replace: fn(3, (a, ctx) => {
    const s = str(a, 0);
    const pattern = str(a, 1);
    // RE2 is linear in the input for a given pattern; charge for both.
    ctx.charge?.(Math.ceil(((s.length + 1) * (pattern.length + 1)) / 64));
    return regexReplace(s, goRegExp(pattern, 1), str(a, 2));
  }),
  strlen: fn(1, (a, ctx) => graphemeCount(str(a, 0), ctx)),
  reverse: fn(1, (a, ctx) => graphemes(str(a, 0), ctx).reverse().join('')),
  strrev: fn(1, (a, ctx) => graphemes(str(a, 0), ctx).reverse().join('')),
  substr: fn(3, (a, ctx) => {
    const g = graphemes(str(a, 0), ctx);
    let offset = int(a, 1);
    let length = int(a, 2);
    if (offset < 0) offset = Math.max(0, g.length + offset);
    if (offset > g.length) return '';
    if (length < 0 || offset + length > g.length) length = g.length - offset;
    return g.slice(offset, offset + length).join('');
  }),
};

/** Exposed for tests of the regex translation. */
export const _internal = { goExpand, goRegExp, regexReplace };
