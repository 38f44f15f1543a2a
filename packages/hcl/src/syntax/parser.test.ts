import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../diagnostics.js';
import { parseExpression, parseHcl } from './parser.js';

describe('parseHcl', () => {
  it('parses attributes, labelled and one-line blocks with ranges', () => {
    const { body, diagnostics } = parseHcl('a = 1\njob "web" {\n  group g { count = 2 }\n}\n', 'x.hcl');
    expect(diagnostics).toEqual([]);
    expect(body.attributes[0]!.name).toBe('a');
    const job = body.blocks[0]!;
    expect(job.type).toBe('job');
    expect(job.labels).toEqual(['web']);
    expect(job.range.start).toEqual({ line: 2, column: 1, offset: 6 });
    const g = job.body.blocks[0]!;
    expect(g.labels).toEqual(['g']);
    expect(g.body.attributes[0]!.expr).toMatchObject({ kind: 'Literal', value: 2 });
    expect(g.body.attributes[0]!.expr.range.start).toEqual({ line: 3, column: 21, offset: 38 });
  });

  it('respects operator precedence and left associativity', () => {
    const { expr } = parseExpression('1 + 2 * 3 - 4');
    expect(expr).toMatchObject({
      kind: 'Binary',
      op: '-',
      lhs: { kind: 'Binary', op: '+', rhs: { kind: 'Binary', op: '*' } },
    });
  });

  it('keeps parentheses and splats with source ranges', () => {
    const { expr } = parseExpression('(a.b[*].c)');
    expect(expr?.kind).toBe('Parentheses');
    expect(expr?.range.end.offset).toBe(10);
  });

  it('trims flush heredocs by the smallest indentation', () => {
    const { body } = parseHcl('a = <<-EOT\n    x\n      y\n    EOT\n');
    const t = body.attributes[0]!.expr;
    expect(t.kind).toBe('Template');
    if (t.kind === 'Template')
      expect(t.parts.map((p) => (p.kind === 'Literal' ? p.value : '?')).join('')).toBe('x\n  y\n');
  });

  it('reports several errors with file:line:col and a caret', () => {
    const { diagnostics } = parseHcl('a = = 1\nb = 2\nc = [1 2]\n', 'bad.hcl');
    expect(diagnostics.length).toBe(2);
    expect(formatDiagnostic(diagnostics[0]!)).toBe(
      'bad.hcl:1:5: Invalid expression; expected the start of an expression, found "="\na = = 1\n    ^',
    );
    expect(diagnostics[1]!.range.start.line).toBe(3);
  });

  it('bounds nesting depth instead of overflowing the stack', () => {
    const deep = 'a = ' + '['.repeat(100_000) + ']'.repeat(100_000) + '\n';
    const { diagnostics } = parseHcl(deep);
    expect(diagnostics[0]!.summary).toBe('Nesting too deep');
  });

  it('rejects an unterminated string', () => {
    expect(parseHcl('a = "abc\n').diagnostics[0]!.summary).toBe('Unterminated template string');
  });
});
