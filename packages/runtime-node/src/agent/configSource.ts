/**
 * Reads an agent configuration file (HCL or JSON) into a positioned tree, so that the decoder
 * can report an unknown key or a bad value as `file:line:col`. HCL goes through
 * `@tsnomad/hcl`'s parser and expression evaluator; JSON through jsonc-parser's syntax tree.
 */
import { evaluateExpression, formatDiagnostics, parseHcl, type Body } from '@tsnomad/hcl';
import { parseTree, printParseErrorCode, type Node as JsonNode, type ParseError } from 'jsonc-parser';

/** A value with the position it was written at. */
export type PNode =
  | { readonly kind: 'obj'; readonly pos: string; readonly entries: readonly PEntry[] }
  | { readonly kind: 'leaf'; readonly pos: string; readonly value: unknown };

/** One `key = value` or `key { … }` of an object, in source order (keys may repeat). */
export interface PEntry {
  readonly key: string;
  readonly pos: string;
  readonly value: PNode;
}

/** The tree of a file, or the messages (with positions) explaining why there is none. */
export type SourceResult = { ok: true; root: PNode } | { ok: false; errors: string[] };

/** Parses HCL or (`.json`) JSON agent configuration text. */
export function readConfigSource(text: string, filename: string): SourceResult {
  return filename.endsWith('.json') ? readJson(text, filename) : readHcl(text, filename);
}

function readHcl(text: string, filename: string): SourceResult {
  const parsed = parseHcl(text, filename);
  if (parsed.diagnostics.length > 0) return { ok: false, errors: [formatDiagnostics(parsed.diagnostics)] };
  const errors: string[] = [];
  const root = hclBody(parsed.body, `${filename}:1:1`, errors);
  return errors.length ? { ok: false, errors } : { ok: true, root };
}

const at = (file: string, line: number, column: number): string => `${file}:${line}:${column}`;

function hclBody(body: Body, pos: string, errors: string[]): PNode {
  const entries: PEntry[] = [];
  for (const item of body.items) {
    const r = item.kind === 'Attribute' ? item.nameRange : item.typeRange;
    const ipos = at(r.file.name, r.start.line, r.start.column);
    if (item.kind === 'Attribute') {
      const v = evaluateExpression(item.expr, {
        variables: {},
        functions: {},
        functionContext: { now: () => Date.now(), randomBytes: () => new Uint8Array() },
        deferRoot: () => false,
      });
      if (!v.ok) {
        errors.push(formatDiagnostics(v.diagnostics));
        continue;
      }
      const e = item.expr.range.start;
      entries.push({
        key: item.name,
        pos: ipos,
        value: { kind: 'leaf', pos: at(r.file.name, e.line, e.column), value: v.value },
      });
    } else {
      // Labels nest: `plugin "raw_exec" { … }` is plugin -> raw_exec -> body, as in HCL's JSON form.
      let value = hclBody(item.body, ipos, errors);
      for (let i = item.labels.length - 1; i >= 0; i--) {
        const lr = item.labelRanges[i]!;
        const lpos = at(lr.file.name, lr.start.line, lr.start.column);
        value = { kind: 'obj', pos: lpos, entries: [{ key: item.labels[i]!, pos: lpos, value }] };
      }
      entries.push({ key: item.type, pos: ipos, value });
    }
  }
  return { kind: 'obj', pos, entries };
}

function lineCol(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++)
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  return { line, column: offset - lineStart + 1 };
}

function readJson(text: string, filename: string): SourceResult {
  const errs: ParseError[] = [];
  const tree = parseTree(text, errs, { allowTrailingComma: false, disallowComments: true });
  const pos = (offset: number): string => {
    const { line, column } = lineCol(text, offset);
    return at(filename, line, column);
  };
  if (errs.length > 0 || !tree)
    return {
      ok: false,
      errors: errs.length
        ? errs.map((e) => `${pos(e.offset)}: invalid JSON: ${printParseErrorCode(e.error)}`)
        : [`${filename}:1:1: invalid JSON: empty document`],
    };
  const convert = (n: JsonNode): PNode => {
    if (n.type === 'object')
      return {
        kind: 'obj',
        pos: pos(n.offset),
        entries: (n.children ?? []).map((p) => {
          const [k, v] = p.children!;
          return { key: String(k!.value), pos: pos(k!.offset), value: convert(v!) };
        }),
      };
    if (n.type === 'array') {
      // An array of objects is HCL JSON's way to write a repeated block.
      const items = n.children ?? [];
      if (items.length > 0 && items.every((c) => c.type === 'object'))
        return { kind: 'obj', pos: pos(n.offset), entries: items.flatMap((c) => objEntries(convert(c))) };
      return { kind: 'leaf', pos: pos(n.offset), value: items.map((c) => plain(convert(c))) };
    }
    return { kind: 'leaf', pos: pos(n.offset), value: n.value };
  };
  const root = convert(tree);
  if (root.kind !== 'obj') return { ok: false, errors: [`${root.pos}: expected a JSON object`] };
  return { ok: true, root };
}

const objEntries = (n: PNode): readonly PEntry[] => (n.kind === 'obj' ? n.entries : []);

/** The plain JSON value of a node (objects keep the last value of a repeated key). */
export function plain(n: PNode): unknown {
  if (n.kind === 'leaf') return n.value;
  const out: Record<string, unknown> = {};
  for (const e of n.entries) {
    const v = plain(e.value);
    const prev = out[e.key];
    out[e.key] =
      prev &&
      typeof prev === 'object' &&
      !Array.isArray(prev) &&
      v &&
      typeof v === 'object' &&
      !Array.isArray(v)
        ? { ...prev, ...v }
        : v;
  }
  return out;
}
