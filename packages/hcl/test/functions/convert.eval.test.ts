import { describe, expect, it } from 'vitest';
import { evaluateExpression, type EvalResult } from '../../src/eval/evaluate.js';
import { jobspecFunctions } from '../../src/functions/library.js';
import type { FunctionContext } from '../../src/functions/types.js';
import { parseExpression } from '../../src/syntax/parser.js';
import { Deferred, type HclValue } from '../../src/values.js';

const functionContext: FunctionContext = { now: () => 0, randomBytes: (n) => new Uint8Array(n) };

function run(src: string, variables: Record<string, HclValue> = {}): EvalResult {
  const { expr, diagnostics } = parseExpression(src);
  if (!expr) throw new Error(`test input does not parse: ${diagnostics.map((d) => d.summary).join(', ')}`);
  return evaluateExpression(expr, {
    variables,
    functions: { ...jobspecFunctions() },
    functionContext,
    deferRoot: (name) => name === 'attr',
  });
}

function value(src: string, variables?: Record<string, HclValue>): HclValue {
  const r = run(src, variables);
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.summary}: ${d.detail ?? ''}`).join('\n'));
  return r.value;
}

/** The first diagnostic as summary, detail and the source text it points at. */
function error(src: string): { summary: string; detail: string | undefined; at: string } {
  const r = run(src);
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.value)}`);
  const d = r.diagnostics[0]!;
  return { summary: d.summary, detail: d.detail, at: src.slice(d.range.start.offset, d.range.end.offset) };
}

describe('convert(value, type)', () => {
  it.each<[string, HclValue]>([
    ['convert(5, string)', '5'],
    ['convert(true, string)', 'true'],
    ['convert("12", number)', 12],
    ['convert("false", bool)', false],
    ['convert(["1", 2], list(number))', [1, 2]],
    ['convert(["b", "a", "b"], set(string))', ['a', 'b']],
    ['convert({a = 1, b = true}, map(string))', { a: '1', b: 'true' }],
    ['convert({a = "1", extra = 2}, object({a = number}))', { a: 1 }],
    ['convert(["x", "2"], tuple([string, number]))', ['x', 2]],
    ['convert({n = [1]}, any)', { n: [1] }],
    ['convert(null, number)', null],
    ['convert(1, (string))', '1'],
  ])('%s = %j', (src, out) => expect(value(src)).toEqual(out));

  it('evaluates the value argument (variables, nested calls)', () => {
    expect(value('convert(var.port, number) + 1', { var: { port: '8080' } })).toBe(8081);
    expect(value('upper(convert(42, string))')).toBe('42');
    expect(value('try(convert("x", number), -1)')).toBe(-1);
    expect(value('can(convert("x", number))')).toBe(false);
  });

  it('defers a run-time value instead of converting it', () => {
    const v = value('convert(attr.cpu.numcores, number)');
    expect(v).toBeInstanceOf(Deferred);
    expect((v as Deferred).source).toBe('convert(attr.cpu.numcores, number)');
  });

  it('reports a bad type expression on the type argument', () => {
    expect(error('convert(1, strin)')).toEqual({
      summary: 'Invalid type specification',
      detail: 'The keyword "strin" is not a valid type specification.',
      at: 'strin',
    });
    expect(error('convert(1, list)')).toEqual({
      summary: 'Invalid type specification',
      detail: 'The list type constructor requires one argument specifying the element type.',
      at: 'list',
    });
    expect(error('convert(1, "string")').at).toBe('"string"');
    expect(error('convert([1], list(strng))').at).toBe('strng');
  });

  it('reports a value that does not convert on the value argument', () => {
    expect(error('convert("x", number)')).toEqual({
      summary: 'Invalid function argument',
      detail: 'convert: cannot convert string to number: a number is required',
      at: '"x"',
    });
    expect(error('convert({a = [1, "y"]}, map(list(number)))')).toEqual({
      summary: 'Invalid function argument',
      detail: 'convert: cannot convert object to map(list(number)): a number is required at ["a"][1]',
      at: '{a = [1, "y"]}',
    });
    expect(error('convert({}, object({a = string}))').detail).toBe(
      'convert: cannot convert object to object({a=string}): attribute "a" is required',
    );
  });

  it('checks the argument count', () => {
    expect(error('convert(1)')).toMatchObject({ summary: 'Not enough function arguments', at: 'convert(1)' });
    expect(error('convert(1, string, 2)')).toMatchObject({ summary: 'Too many function arguments', at: '2' });
  });
});
