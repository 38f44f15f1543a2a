/**
 * Nomad's `filter` query parameter: go-bexpr boolean expressions evaluated against each item of
 * a list answer (its PascalCase JSON). Supported: `==`, `!=`, `in`, `not in`, `contains`,
 * `not contains`, `matches`, `not matches`, `is empty`, `is not empty`, `and`, `or`, `not`,
 * parentheses; selectors are dotted paths (`Meta.team`, `JobSummary.Summary.web.Running`).
 */
import { HttpError } from './http.js';

type Value = string | number | boolean;
type Node =
  | { readonly kind: 'and' | 'or'; readonly left: Node; readonly right: Node }
  | { readonly kind: 'not'; readonly inner: Node }
  | { readonly kind: 'empty'; readonly path: readonly string[]; readonly negate: boolean }
  | {
      readonly kind: 'cmp';
      readonly op: '==' | '!=' | 'in' | 'contains' | 'matches';
      readonly negate: boolean;
      readonly path: readonly string[];
      readonly value: Value;
      readonly re?: RegExp;
    };

interface Token {
  readonly t: 'word' | 'str' | 'num' | 'op' | '(' | ')';
  readonly v: string;
  readonly at: number;
}

/** The longest filter accepted (hostile input stays bounded). */
export const MAX_FILTER_LENGTH = 4096;

function lex(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')') {
      out.push({ t: c, v: c, at: i++ });
    } else if (c === '=' || c === '!') {
      if (src[i + 1] !== '=') throw bad(`unexpected "${c}"`, i);
      out.push({ t: 'op', v: c + '=', at: i });
      i += 2;
    } else if (c === '"' || c === '`') {
      const start = i++;
      let s = '';
      while (i < src.length && src[i] !== c) {
        if (c === '"' && src[i] === '\\' && i + 1 < src.length) {
          const n = src[i + 1]!;
          s += n === 'n' ? '\n' : n === 't' ? '\t' : n;
          i += 2;
        } else s += src[i++];
      }
      if (i >= src.length) throw bad('unterminated string', start);
      i++;
      out.push({ t: 'str', v: s, at: start });
    } else if (/[-0-9]/.test(c)) {
      const m = /^-?\d+(\.\d+)?/.exec(src.slice(i));
      if (!m) throw bad(`unexpected "${c}"`, i);
      out.push({ t: 'num', v: m[0], at: i });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][\w.]*/.exec(src.slice(i))!;
      out.push({ t: 'word', v: m[0], at: i });
      i += m[0].length;
    } else throw bad(`unexpected "${c}"`, i);
  }
  return out;
}

const bad = (msg: string, at: number): HttpError =>
  new HttpError(400, `failed to read filter expression: ${msg} at column ${at + 1}`);

function parse(src: string): Node {
  const toks = lex(src);
  let p = 0;
  const peek = (): Token | undefined => toks[p];
  const isWord = (w: string, k = 0): boolean => toks[p + k]?.t === 'word' && toks[p + k]!.v === w;
  const end = (): number => (toks[p] ? toks[p]!.at : src.length);

  const value = (): Value => {
    const t = toks[p++];
    if (!t) throw bad('expected a value', src.length);
    if (t.t === 'str') return t.v;
    if (t.t === 'num') return Number(t.v);
    if (t.t === 'word') return t.v === 'true' ? true : t.v === 'false' ? false : t.v;
    throw bad(`expected a value, got "${t.v}"`, t.at);
  };
  const selector = (): string[] => {
    const t = toks[p++];
    if (!t || t.t !== 'word') throw bad('expected a selector', t ? t.at : src.length);
    return t.v.split('.');
  };

  const primary = (): Node => {
    const t = peek();
    if (!t) throw bad('expected an expression', src.length);
    if (t.t === '(') {
      p++;
      const e = or();
      if (peek()?.t !== ')') throw bad('expected ")"', end());
      p++;
      return e;
    }
    // `"value" in Selector` / `"value" not in Selector`
    if (
      t.t === 'str' ||
      t.t === 'num' ||
      (t.t === 'word' && (isWord('in', 1) || (isWord('not', 1) && isWord('in', 2))))
    ) {
      const v = value();
      const negate = isWord('not');
      if (negate) p++;
      if (!isWord('in')) throw bad('expected "in"', end());
      p++;
      return { kind: 'cmp', op: 'in', negate, path: selector(), value: v };
    }
    const path = selector();
    const op = peek();
    if (!op) throw bad('expected an operator', src.length);
    if (op.t === 'op') {
      p++;
      return { kind: 'cmp', op: '==', negate: op.v === '!=', path, value: value() };
    }
    if (isWord('is')) {
      p++;
      const negate = isWord('not');
      if (negate) p++;
      if (!isWord('empty')) throw bad('expected "empty"', end());
      p++;
      return { kind: 'empty', path, negate };
    }
    const negate = isWord('not');
    if (negate) p++;
    if (isWord('contains')) {
      p++;
      return { kind: 'cmp', op: 'contains', negate, path, value: value() };
    }
    if (isWord('matches')) {
      p++;
      const at = end();
      const v = value();
      let re: RegExp;
      try {
        re = new RegExp(String(v));
      } catch {
        throw bad(`invalid regular expression ${JSON.stringify(v)}`, at);
      }
      return { kind: 'cmp', op: 'matches', negate, path, value: v, re };
    }
    throw bad(`expected an operator, got "${op.v}"`, op.at);
  };
  const not = (): Node => {
    if (isWord('not')) {
      p++;
      return { kind: 'not', inner: not() };
    }
    return primary();
  };
  const and = (): Node => {
    let left = not();
    while (isWord('and')) {
      p++;
      left = { kind: 'and', left, right: not() };
    }
    return left;
  };
  const or = (): Node => {
    let left = and();
    while (isWord('or')) {
      p++;
      left = { kind: 'or', left, right: and() };
    }
    return left;
  };
  const e = or();
  if (p < toks.length) throw bad(`unexpected "${toks[p]!.v}"`, toks[p]!.at);
  return e;
}

function lookup(o: unknown, path: readonly string[]): unknown {
  let v = o;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}

const same = (a: unknown, b: Value): boolean =>
  a !== null && a !== undefined && typeof a !== 'object' && String(a) === String(b);

function evaluate(n: Node, item: unknown): boolean {
  switch (n.kind) {
    case 'and':
      return evaluate(n.left, item) && evaluate(n.right, item);
    case 'or':
      return evaluate(n.left, item) || evaluate(n.right, item);
    case 'not':
      return !evaluate(n.inner, item);
    case 'empty': {
      const v = lookup(item, n.path);
      const empty =
        v === undefined || v === null || v === '' || (typeof v === 'object' && Object.keys(v).length === 0);
      return empty !== n.negate;
    }
    case 'cmp': {
      const v = lookup(item, n.path);
      let r: boolean;
      if (n.op === '==') r = same(v, n.value);
      else if (n.op === 'matches') r = typeof v === 'string' && n.re!.test(v);
      else if (Array.isArray(v)) r = v.some((x) => same(x, n.value));
      else if (v && typeof v === 'object') r = String(n.value) in v;
      else r = typeof v === 'string' && v.includes(String(n.value));
      return r !== n.negate;
    }
  }
}

/**
 * Compiles a filter expression, or throws a 400 that names the column.
 * @example compileFilter('Status == "running" and "dc1" in Datacenters')(stub)
 */
export function compileFilter(src: string): (item: unknown) => boolean {
  if (src.length > MAX_FILTER_LENGTH)
    throw new HttpError(400, `failed to read filter expression: longer than ${MAX_FILTER_LENGTH} characters`);
  const tree = parse(src);
  return (item) => evaluate(tree, item);
}

/** Applies `?filter=` to a list answer (no filter: the list as is). */
export function applyFilter<T>(filter: string | undefined, items: readonly T[]): readonly T[] {
  if (filter === undefined || filter === '') return items;
  const f = compileFilter(filter);
  return items.filter(f);
}
