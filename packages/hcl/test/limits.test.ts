/**
 * The evaluation limits and the fixes of issue #18 one by one: one budget per file, grapheme
 * work that matches Intl.Segmenter in linear time, RE2 with Go's replacement rules, `__proto__`
 * keys kept, an overflowing timeadd refused, bcrypt's cost capped.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEvalBudget, MAX_EVAL_STEPS, sizeOf } from '../src/eval/budget.js';
import { evaluateExpression } from '../src/eval/evaluate.js';
import { packArgs } from '../src/functions/args.js';
import { jobspecFunctions } from '../src/functions/library.js';
import { graphemes } from '../src/functions/strings.js';
import type { FunctionContext } from '../src/functions/types.js';
import { hclToJson } from '../src/hclToJson.js';
import { decodeJobspec } from '../src/jobspec/parseJobspec.js';
import { parseExpression } from '../src/syntax/parser.js';
import type { HclValue } from '../src/values.js';
import { jobWith } from './hostileCases.js';

const fctx: FunctionContext = { now: () => 0, randomBytes: (n) => new Uint8Array(n) };

function call(name: string, ...args: HclValue[]): HclValue {
  const f = jobspecFunctions()[name]!;
  return f.call(packArgs(f, args), fctx);
}

function evaluate(src: string, budget = createEvalBudget()) {
  const { expr } = parseExpression(src, 'x.hcl');
  return evaluateExpression(expr!, {
    variables: {},
    functions: jobspecFunctions(),
    functionContext: fctx,
    deferRoot: () => false,
    budget,
  });
}

describe('one evaluation budget per file', () => {
  it('is shared by expressions: each alone fits, together they run out', () => {
    const heavy = 'length([for a in range(600) : [for b in range(600) : b]])';
    expect(evaluate(heavy).ok).toBe(true);
    const budget = createEvalBudget();
    const results = [1, 2, 3, 4].map(() => evaluate(heavy, budget));
    expect(results[0]!.ok).toBe(true);
    const last = results[3]!;
    expect(last.ok).toBe(false);
    if (!last.ok) expect(last.diagnostics[0]!.summary).toBe('Evaluation too expensive');
    expect(budget.steps).toBeLessThan(0);
    expect(MAX_EVAL_STEPS).toBe(1_000_000);
  });

  it('spans the variables, locals and body of a jobspec', () => {
    const heavy = 'length([for a in range(600) : [for b in range(600) : b]])';
    const src = `variable "v" {\n  default = ${heavy}\n}\n${jobWith(`  a = ${heavy}\n  b = ${heavy}`, heavy)}`;
    const r = decodeJobspec(src);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      const d = r.diagnostics.find((x) => x.summary === 'Evaluation too expensive')!;
      expect(d.detail).toMatch(/budget of 1000000 steps/);
      expect(d.range.start.line).toBeGreaterThan(3); // a local or the body, after the variable fit
    }
  });

  it('is not swallowed by try or can', () => {
    const r = evaluate('can(setproduct(range(1000), range(1000), range(1000)))');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.diagnostics[0]!.summary).toBe('Evaluation too expensive');
  });

  it('counts shared structure once per reference and refuses deep values', () => {
    const a = [1, 2, 3];
    expect(sizeOf([a, a])).toBe(2 * sizeOf(a) + 16 + 16);
    let deep: HclValue = [];
    for (let i = 0; i < 300; i++) deep = [deep];
    expect(() => sizeOf(deep)).toThrow(/nested more than 200 levels/);
  });
});

describe('graphemes', () => {
  const seg = new Intl.Segmenter('en', { granularity: 'grapheme' });
  const piece = fc.oneof(
    fc.constantFrom(
      'a',
      '\r',
      '\n',
      '\r\n',
      'e\u0301',
      '\u200d',
      '🇯',
      '🇵',
      '👨‍👩‍👧',
      '中',
      '\u1100',
      '\u1161',
      '가',
      '\u0600',
      '\u0e33',
      '\ufe0f',
      '\u{1f3fb}',
    ),
    fc.string({ unit: 'grapheme', maxLength: 3 }),
    fc.string({ unit: 'binary', maxLength: 2 }),
  );
  it('equal Intl.Segmenter on one pass over the whole string', () => {
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 400 }).map((p) => p.join('')),
        (s) => {
          expect(graphemes(s)).toEqual(Array.from(seg.segment(s), (x) => x.segment));
        },
      ),
    );
  });

  it('take linear time (140,000 characters of each kind)', () => {
    for (const unit of [' ', '中', 'e\u0301']) {
      const s = unit.repeat(140_000 / unit.length);
      const start = performance.now();
      expect(call('strlen', s)).toBe(140_000 / unit.length);
      expect((call('strrev', s) as string).length).toBe(s.length);
      expect(performance.now() - start).toBeLessThan(20_000); // quadratic took minutes
    }
  });
});

describe('regex_replace on RE2 with Go semantics', () => {
  it.each<[string, string, string, string]>([
    ['baaac', 'a*', 'X', 'XbXcX'], // an empty match right after a match is skipped, as in Go
    ['abc', '(b)', '$1x|${1}x|$$|$!|$9', 'a|bx|$|$!|c'], // Go's Expand: $1x names group "1x"
    ['a-b', '(?P<x>\\w)-(\\w)', '${2}=${x}', 'b=a'],
    ['😀😀', '', '-', '-😀-😀-'],
    ['a\nb', 'a.b', 'X', 'a\nb'], // `.` does not match a newline without (?s)
    ['A\nb', '(?is)a.B', 'X', 'X'],
  ])('regex_replace(%j, %j, %j) = %j', (s, re, repl, want) => {
    expect(call('regex_replace', s, re, repl)).toBe(want);
  });

  it('is linear on patterns that backtrack, and refuses what RE2 does not have', () => {
    const start = performance.now();
    expect(call('regex_replace', 'a'.repeat(5000) + '!', '(a+)+$', 'x')).toBe('a'.repeat(5000) + '!');
    expect(performance.now() - start).toBeLessThan(5_000);
    expect(() => call('regex_replace', 'aa', '(a)\\1', 'x')).toThrow(/invalid escape sequence/);
    expect(() => call('regex_replace', 'ab', 'a(?=b)', 'x')).toThrow(/invalid or unsupported Perl syntax/);
  });
});

describe('keys that name Object.prototype members', () => {
  it('an HCL object keeps a "__proto__" key', () => {
    const r = evaluate('{ "__proto__" = "x", constructor = 1 }');
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(Object.keys(r.value as object).sort()).toEqual(['__proto__', 'constructor']);
      expect(Object.getPrototypeOf(r.value)).toBe(Object.prototype);
      expect(JSON.stringify(r.value)).toBe('{"__proto__":"x","constructor":1}');
    }
    const f = evaluate('{ for k in ["__proto__"] : k => 1 }');
    expect(f.ok && JSON.stringify(f.value)).toBe('{"__proto__":1}');
  });

  it('hclToJson converts blocks labelled __proto__ and constructor', () => {
    const r = hclToJson(
      'job "__proto__" {\n  a = 1\n}\njob "constructor" {\n  b = 2\n}\nc = { "__proto__" = 3 }\n',
    );
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(JSON.stringify(r.value)).toBe(
        '{"job":{"__proto__":[{"a":1}],"constructor":[{"b":2}]},"c":{"__proto__":3}}',
      );
      expect(({} as Record<string, unknown>)['a']).toBeUndefined(); // nothing polluted
    }
  });
});

describe('small functions', () => {
  it('timeadd refuses a duration past Go’s int64 nanoseconds', () => {
    expect(() => call('timeadd', '2020-01-01T00:00:00Z', '99999999999999999999h')).toThrow(
      'time: invalid duration "99999999999999999999h"',
    );
    expect(() => call('timeadd', '2020-01-01T00:00:00Z', '2562047h')).not.toThrow();
  });

  it('bcrypt refuses a cost above 12', () => {
    expect(() => call('bcrypt', 'x', 13)).toThrow(/above tsnomad's limit of 12/);
    expect(() => call('bcrypt', 'x', 31)).toThrow(/above tsnomad's limit of 12/);
  });
});
