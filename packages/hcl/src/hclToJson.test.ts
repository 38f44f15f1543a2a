import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from './diagnostics.js';
import { hclToJson, normalizeDecimal } from './hclToJson.js';

describe('hclToJson', () => {
  it('nests labelled blocks and keeps other expressions as ${source}', () => {
    const r = hclToJson('a = 1\nb "x" "y" { c = var.d }\nb "x" "y" {}\ne = [for v in l : v]\n');
    expect(r).toEqual({
      ok: true,
      value: { a: 1, b: { x: { y: [{ c: '${var.d}' }, {}] } }, e: '${[for v in l : v]}' },
    });
  });

  it('rewrites template directives the way hcl2json does', () => {
    const r = hclToJson('a = "%{ if x ~} y %{~ else }z%{ endif }"\n');
    expect(r).toEqual({ ok: true, value: { a: '%{if x}y%{else}z%{endif}' } });
  });

  it('rejects a block type used with and without labels, with a position', () => {
    const r = hclToJson('b {}\nb "x" {}\n', 'mixed.hcl');
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(formatDiagnostic(r.diagnostics[0]!)).toMatch(/^mixed\.hcl:2:1: Unable to convert block to JSON/);
  });
});

describe('normalizeDecimal', () => {
  it('prints exact plain decimals', () => {
    expect(normalizeDecimal('1.50')).toBe('1.5');
    expect(normalizeDecimal('1e30')).toBe('1' + '0'.repeat(30));
    expect(normalizeDecimal('-1.5e-7')).toBe('-0.00000015');
    expect(normalizeDecimal('007')).toBe('7');
    expect(normalizeDecimal('2.e5')).toBe('200000');
    expect(normalizeDecimal('0')).toBe('0');
  });
});
