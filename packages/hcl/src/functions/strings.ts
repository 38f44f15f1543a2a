/** String functions of jobspec2's library (cty stdlib). Lengths count grapheme clusters, as cty does. */

import { FunctionError, type HclFunction } from './types.js';
import { fn, int, list, str, variadic } from './args.js';
import { convertValue } from '../types/convert.js';
import { t } from '../types/hclType.js';

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** The grapheme clusters of `s`. Pure. */
export function graphemes(s: string): string[] {
  return Array.from(segmenter.segment(s), (x) => x.segment);
}

/** Go regexp replacement syntax (`$1`, `${1}`, `${name}`, `$$`) in JavaScript's spelling. */
function goReplacement(repl: string): string {
  return repl.replace(/\$(\$|\{(\w+)\}|(\w+))/g, (_m, all: string, braced?: string, bare?: string) => {
    if (all === '$') return '$$';
    const name = braced ?? bare ?? '';
    return /^\d+$/.test(name) ? `$${name}` : `$<${name}>`;
  });
}

/** Go's RE2 syntax differs from JavaScript's in a few inline forms; map the common ones. */
function goRegExp(pattern: string, flags: string, arg: number): RegExp {
  let p = pattern.replace(/\(\?P</g, '(?<');
  let f = flags;
  const inline = /^\(\?([imsU]+)\)/.exec(p);
  if (inline) {
    p = p.slice(inline[0].length);
    for (const c of inline[1] ?? '') if ('ims'.includes(c) && !f.includes(c)) f += c;
  }
  try {
    return new RegExp(p, f + 'u');
  } catch (e) {
    throw new FunctionError(`invalid regular expression pattern: ${(e as Error).message}`, arg);
  }
}

/** String functions keyed by name. */
export const stringFunctions: Record<string, HclFunction> = {
  chomp: fn(1, (a) => str(a, 0).replace(/(?:\r\n|\r|\n)+$/, '')),
  indent: fn(2, (a) => {
    const pad = ' '.repeat(Math.max(0, int(a, 0)));
    return str(a, 1).replace(/\n/g, '\n' + pad);
  }),
  join: variadic(2, (a) => {
    const sep = str(a, 0);
    if (a.length < 2) throw new FunctionError('at least one list is required');
    const items: string[] = [];
    for (let i = 1; i < a.length; i++) {
      for (const v of list(a, i)) {
        if (v === null)
          throw new FunctionError(`element ${items.length} is null; cannot concatenate null values`, i);
        items.push(convertValue(v, t.string) as string);
      }
    }
    return items.join(sep);
  }),
  split: fn(2, (a) => str(a, 1).split(str(a, 0))),
  lower: fn(1, (a) => str(a, 0).toLowerCase()),
  upper: fn(1, (a) => str(a, 0).toUpperCase()),
  // Go's strings.Title: upper-cases the first letter of each space-separated word.
  title: fn(1, (a) =>
    str(a, 0).replace(/(^|[^\p{L}\p{N}_'])(\p{L})/gu, (_m, pre: string, c: string) => pre + c.toUpperCase()),
  ),
  trim: fn(2, (a) => {
    const cut = new Set(graphemes(str(a, 1)));
    const g = graphemes(str(a, 0));
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
  replace: fn(3, (a) => str(a, 0).split(str(a, 1)).join(str(a, 2))),
  regex_replace: fn(3, (a) => str(a, 0).replace(goRegExp(str(a, 1), 'g', 1), goReplacement(str(a, 2)))),
  strlen: fn(1, (a) => graphemes(str(a, 0)).length),
  reverse: fn(1, (a) => graphemes(str(a, 0)).reverse().join('')),
  strrev: fn(1, (a) => graphemes(str(a, 0)).reverse().join('')),
  substr: fn(3, (a) => {
    const g = graphemes(str(a, 0));
    let offset = int(a, 1);
    let length = int(a, 2);
    if (offset < 0) offset = Math.max(0, g.length + offset);
    if (offset > g.length) return '';
    if (length < 0 || offset + length > g.length) length = g.length - offset;
    return g.slice(offset, offset + length).join('');
  }),
};

/** Exposed for tests of the regex translation. */
export const _internal = { goReplacement, goRegExp };
