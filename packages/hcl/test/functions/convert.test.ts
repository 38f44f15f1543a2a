import { describe, expect, it } from 'vitest';
import { ConversionError, convertValue, numberToString } from '../../src/types/convert.js';
import { t, typeString } from '../../src/types/hclType.js';
import { Deferred } from '../../src/values.js';

describe('convertValue (HCL conversion rules)', () => {
  it('converts primitives the way cty does', () => {
    expect(convertValue(5, t.string)).toBe('5');
    expect(convertValue(1.5, t.string)).toBe('1.5');
    expect(convertValue(true, t.string)).toBe('true');
    expect(convertValue('12', t.number)).toBe(12);
    expect(convertValue('-1.5e2', t.number)).toBe(-150);
    expect(convertValue('true', t.bool)).toBe(true);
    expect(convertValue('false', t.bool)).toBe(false);
    expect(convertValue(null, t.number)).toBe(null);
  });

  it('converts collections element by element', () => {
    expect(convertValue([1, '2'], t.list(t.number))).toEqual([1, 2]);
    expect(convertValue(['b', 'a', 'b'], t.set(t.string))).toEqual(['a', 'b']);
    expect(convertValue({ a: 1, b: true }, t.map(t.string))).toEqual({ a: '1', b: 'true' });
    expect(convertValue(['x', 1], t.tuple([t.string, t.number]))).toEqual(['x', 1]);
    expect(convertValue({ a: '1', extra: 2 }, t.object({ a: t.number }))).toEqual({ a: 1 });
    expect(convertValue({ deep: [1] }, t.any)).toEqual({ deep: [1] });
  });

  it('keeps Deferred values for run time', () => {
    const d = new Deferred('attr.cpu.arch');
    expect(convertValue(d, t.number)).toBe(d);
  });

  it('reports mismatches with the path of the offending element', () => {
    const attempt = (f: () => unknown): ConversionError => {
      try {
        f();
      } catch (e) {
        if (e instanceof ConversionError) return e;
      }
      throw new Error('expected a ConversionError');
    };
    const e1 = attempt(() => convertValue({ a: [1, 'x'] }, t.map(t.list(t.number))));
    expect(e1.message).toBe('a number is required');
    expect(e1.path).toEqual(['a', 1]);
    expect(attempt(() => convertValue('yes', t.bool)).message).toBe('a bool is required');
    expect(attempt(() => convertValue([1], t.string)).message).toBe('string required');
    expect(attempt(() => convertValue({}, t.object({ a: t.string }))).message).toBe(
      'attribute "a" is required',
    );
    expect(attempt(() => convertValue([1, 2], t.tuple([t.number]))).message).toMatch(/exactly 1 elements/);
    expect(attempt(() => convertValue('x', t.list(t.string))).message).toBe('list(string) required');
  });

  it('prints numbers without exponents and types in HCL spelling', () => {
    expect(numberToString(1e21)).toBe('1000000000000000000000');
    expect(numberToString(1.5e-7)).toBe('0.00000015');
    expect(typeString(t.object({ a: t.list(t.string), b: t.tuple([t.bool]) }))).toBe(
      'object({a=list(string), b=tuple([bool])})',
    );
  });
});
