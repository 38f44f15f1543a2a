import type { Range } from './syntax/ast.js';

/**
 * A positioned complaint about HCL input: syntax, evaluation, type or schema.
 * `summary` is one short sentence; `detail` optionally says what was expected.
 */
export interface Diagnostic {
  readonly severity: 'error' | 'warning';
  readonly summary: string;
  readonly detail?: string;
  readonly range: Range;
}

/** Builds an error diagnostic. Pure. */
export function diagError(range: Range, summary: string, detail?: string): Diagnostic {
  return detail === undefined
    ? { severity: 'error', summary, range }
    : { severity: 'error', summary, detail, range };
}

/**
 * Renders one diagnostic as `file:line:col: summary; detail`, then the source line and a caret
 * under the start column (`^~~~` across the range when it stays on that line). Pure.
 *
 * @example
 * formatDiagnostic(d) // "job.hcl:3:9: Unexpected token; expected an expression\n  x = = 1\n      ^"
 */
export function formatDiagnostic(d: Diagnostic): string {
  const { file, start, end } = d.range;
  const text = file.text;
  let lineStart = start.offset;
  while (lineStart > 0 && text.charCodeAt(lineStart - 1) !== 10) lineStart--;
  let lineEnd = start.offset;
  while (lineEnd < text.length && text.charCodeAt(lineEnd) !== 10 && text.charCodeAt(lineEnd) !== 13)
    lineEnd++;
  const line = text.slice(lineStart, lineEnd).replace(/\t/g, ' ');
  const caretCol = start.offset - lineStart;
  const width = end.line === start.line && end.offset > start.offset ? end.offset - start.offset : 1;
  const head = `${file.name}:${start.line}:${start.column}: ${d.summary}${d.detail ? '; ' + d.detail : ''}`;
  return `${head}\n${line}\n${' '.repeat(caretCol)}^${'~'.repeat(Math.max(0, width - 1))}`;
}

/** Renders several diagnostics, one block each, separated by blank lines. Pure. */
export function formatDiagnostics(ds: readonly Diagnostic[]): string {
  return ds.map(formatDiagnostic).join('\n\n');
}
