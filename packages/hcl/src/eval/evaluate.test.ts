import { describe, expect, it } from 'vitest';
import { FunctionError, type FunctionContext, type HclFunction } from '../functions/types.js';
import { parseExpression } from '../syntax/parser.js';
import { Deferred, type HclValue } from '../values.js';
import { evaluateExpression, type EvalContext, type EvalResult } from './evaluate.js';

const functions: Record<string, HclFunction> = {
  upper: {
    params: 1,
    call: ([s]) => {
      if (typeof s !== 'string') throw new FunctionError('a string is required', 0);
      return s.toUpperCase();
    },
  },
  concat: { params: 1, variadic: true, call: ([lists]) => (lists as HclValue[][]).flat() },
};
const functionContext: FunctionContext = { now: () => 0, randomBytes: (n) => new Uint8Array(n) };
const runtimeRoots = new Set(['attr', 'node', 'meta', 'env']);

function ctx(variables: Record<string, HclValue> = {}): EvalContext {
  return {
    variables,
    functions,
    functionContext,
    deferRoot: (name) => runtimeRoots.has(name) || name.startsWith('NOMAD_'),
  };
}

function run(src: string, variables?: Record<string, HclValue>): EvalResult {
  const { expr, diagnostics } = parseExpression(src);
  if (!expr) throw new Error(`test input does not parse: ${diagnostics.map((d) => d.summary).join(', ')}`);
  return evaluateExpression(expr, ctx(variables));
}

function value(src: string, variables?: Record<string, HclValue>): HclValue {
  const r = run(src, variables);
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.summary}: ${d.detail ?? ''}`).join('\n'));
  return r.value;
}

function error(src: string, variables?: Record<string, HclValue>): string {
  const r = run(src, variables);
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.value)}`);
  return r.diagnostics[0]!.summary;
}

describe('evaluateExpression', () => {
  it('computes operators with HCL precedence and conversions', () => {
    expect(value('1 + 2 * 3 - 4 / 2')).toBe(5);
    expect(value('"2" + 3')).toBe(5);
    expect(value('5 % 3 == 2 && !false || false')).toBe(true);
    expect(value('1 == "1"')).toBe(false);
    expect(value('[1, {a = 2}] == [1, {a = 2}]')).toBe(true);
    expect(value('-(2 + 1)')).toBe(-3);
    expect(value('true ? "y" : "n"')).toBe('y');
  });

  it('reads variables, traversals, indexes and splats', () => {
    const v = { var: { xs: [{ n: 1 }, { n: 2 }], m: { k: 'v' }, name: 'web' } };
    expect(value('var.xs[1].n', v)).toBe(2);
    expect(value('var.m["k"]', v)).toBe('v');
    expect(value('var.xs[*].n', v)).toEqual([1, 2]);
    expect(value('var.xs.*.n', v)).toEqual([1, 2]);
    expect(value('var.m[var.name == "web" ? "k" : "z"]', v)).toBe('v');
  });

  it('evaluates templates with directives and strip markers', () => {
    expect(value('"a${1 + 1}b%{if true}T%{else}F%{endif}"')).toBe('a2bT');
    expect(value('"%{for i, x in ["a", "b"]}${i}${x},%{endfor}"')).toBe('0a,1b,');
    expect(value('"x ${~ "y" ~} z"')).toBe('xyz');
    expect(value('"{{ .Env }} $${raw}"')).toBe('{{ .Env }} ${raw}');
  });

  it('evaluates for expressions, with grouping and conditions', () => {
    expect(value('[for x in [1, 2, 3] : x * 2 if x != 2]')).toEqual([2, 6]);
    expect(value('{for k, v in {b = 1, a = 2} : v => k}')).toEqual({ 1: 'b', 2: 'a' });
    expect(value('{for x in ["a", "b", "a"] : x => x...}')).toEqual({ a: ['a', 'a'], b: ['b'] });
    expect(error('{for x in ["a", "a"] : x => 1}')).toBe('Duplicate object key');
  });

  it('calls functions, expands arguments and positions function errors', () => {
    expect(value('upper("x")')).toBe('X');
    expect(value('concat([1], [2, 3])')).toEqual([1, 2, 3]);
    expect(value('concat([[1], [2]]...)')).toEqual([1, 2]);
    const r = run('upper(  1 )');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.diagnostics[0]!.summary).toBe('Invalid function argument');
      expect(r.diagnostics[0]!.range.start.column).toBe(9);
    }
    expect(error('nope(1)')).toBe('Call to unknown function');
    expect(error('upper()')).toBe('Not enough function arguments');
  });

  it('evaluates try and can lazily', () => {
    expect(value('try(var.missing, "fallback")', { var: {} })).toBe('fallback');
    expect(value('can(var.missing)', { var: {} })).toBe(false);
    expect(value('can(var.x)', { var: { x: 1 } })).toBe(true);
    expect(error('try(var.a, var.b)', { var: {} })).toBe('No expression succeeded');
  });

  it('keeps run-time references as their source text', () => {
    expect(value('attr.unique.hostname')).toEqual(new Deferred('attr.unique.hostname'));
    expect(value('upper(attr.x)')).toEqual(new Deferred('upper(attr.x)'));
    expect(value('"${upper(attr.x)}"')).toEqual(new Deferred('upper(attr.x)'));
    expect(value('"${NOMAD_ALLOC_DIR}/x-${var.n}"', { var: { n: 3 } })).toBe('${NOMAD_ALLOC_DIR}/x-3');
    expect(value('env["HOME"]')).toEqual(new Deferred('env["HOME"]'));
    expect(value('[meta.a, 1]')).toEqual([new Deferred('meta.a'), 1]);
    // A local holding a deferred value passes it through unchanged.
    expect(value('"p-${local.h}"', { local: { h: new Deferred('node.unique.name') } })).toBe(
      'p-${node.unique.name}',
    );
    expect(value('"%{if attr.x}a%{endif}b"')).toBe('%{if attr.x}a%{endif}b');
  });

  it('reports unknown variables and type errors with positions', () => {
    const r = run('1 + nope');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.diagnostics[0]).toMatchObject({
        summary: 'Unknown variable',
        range: { start: { column: 5 } },
      });
    }
    expect(error('"a" * 2')).toBe('Invalid operand');
    expect(error('"a${null}"')).toBe('Invalid template interpolation value');
    expect(error('[1][5]')).toBe('Invalid index');
    expect(error('{a = 1}.b')).toBe('Unsupported attribute');
    expect(error('1 / 0')).toBe('Division by zero');
  });
});

describe('evaluation budget', () => {
  it('stops exponential for nesting with a diagnostic instead of hanging', () => {
    let src = 'x';
    for (let i = 0; i < 40; i++) src = `[for v${i} in [1, 2, 3] : ${src}]`;
    const start = performance.now();
    expect(error(src, { x: 1 })).toBe('Evaluation too expensive');
    expect(performance.now() - start).toBeLessThan(10_000);
  });
});

describe('conditional result types', () => {
  it('converts a number or bool result to string when the other branch is a string', () => {
    expect(value('true ? 1 : "a"')).toBe('1');
    expect(value('false ? "a" : true')).toBe('true');
    expect(value('true ? 1 : 2')).toBe(1);
  });
});

describe('deferred values reached through variables', () => {
  it('append the remaining traversal to the deferred text', () => {
    expect(value('local.h.name[0]', { local: { h: new Deferred('node.meta') } })).toEqual(
      new Deferred('node.meta.name[0]'),
    );
  });
});
