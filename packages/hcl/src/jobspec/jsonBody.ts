/**
 * HCL's JSON syntax for jobspecs (`.json` / `.nomad.json` job files), as jobspec2 reads them:
 * the JSON document becomes the same syntax tree the native parser gives, guided by the
 * jobspec schema, which says whether a property is a block (and how many labels it takes)
 * or an attribute. Strings are templates (`"${var.x}"` interpolates); numbers, booleans,
 * arrays and objects are literal values. Ranges point into the JSON text.
 */

import { diagError, type Diagnostic } from '../diagnostics.js';
import { parseExpression } from '../syntax/parser.js';
import {
  SourceFile,
  type Attribute,
  type Block,
  type Body,
  type Expression,
  type ParsedFile,
  type Pos,
  type Range,
} from '../syntax/ast.js';
import type { Spec } from './bodyDecoder.js';

/** True when `source` is a JSON document (its first non-space character is `{`), as jobspec2 decides. */
export function looksLikeJson(source: string): boolean {
  for (let i = 0; i < source.length; i++) {
    const c = source.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 0xfeff) continue;
    return c === 123;
  }
  return false;
}

type JNode =
  | { k: 'obj'; entries: { key: string; keyRange: Range; value: JNode }[]; range: Range }
  | { k: 'arr'; items: JNode[]; range: Range }
  | { k: 'str'; value: string; range: Range }
  | { k: 'lit'; value: number | boolean | null; range: Range };

/** How the JSON converter sees a body: its blocks and their label counts. */
interface Shape {
  readonly blocks?: Readonly<Record<string, { labels: number; shape: Shape | 'attrs' }>>;
  /** Attributes whose string value is an expression (a variable's `type`). */
  readonly exprAttrs?: readonly string[];
}

const MAX_DEPTH = 200;

class JsonParser {
  pos = 0;
  line = 1;
  col = 1;
  constructor(
    readonly file: SourceFile,
    readonly diags: Diagnostic[],
  ) {}
  private get text(): string {
    return this.file.text;
  }
  here(): Pos {
    return { line: this.line, column: this.col, offset: this.pos };
  }
  range(start: Pos): Range {
    return { file: this.file, start, end: this.here() };
  }
  private adv(n = 1): void {
    for (let i = 0; i < n; i++) {
      if (this.text.charCodeAt(this.pos) === 10) {
        this.line++;
        this.col = 1;
      } else this.col++;
      this.pos++;
    }
  }
  ws(): void {
    for (;;) {
      const c = this.text.charCodeAt(this.pos);
      if (c === 32 || c === 9 || c === 10 || c === 13 || c === 0xfeff) this.adv();
      else return;
    }
  }
  fail(msg: string): never {
    const at = this.here();
    this.diags.push(diagError({ file: this.file, start: at, end: at }, 'Invalid JSON', msg));
    throw new JsonFail();
  }
  value(depth: number): JNode {
    if (depth > MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH}`);
    this.ws();
    const start = this.here();
    const c = this.text[this.pos];
    if (c === '{') {
      this.adv();
      const entries: { key: string; keyRange: Range; value: JNode }[] = [];
      this.ws();
      if (this.text[this.pos] === '}') {
        this.adv();
        return { k: 'obj', entries, range: this.range(start) };
      }
      for (;;) {
        this.ws();
        const ks = this.here();
        if (this.text[this.pos] !== '"') this.fail('expected a property name in double quotes');
        const key = this.string();
        const keyRange = this.range(ks);
        this.ws();
        if (this.text[this.pos] !== ':') this.fail('expected ":" after a property name');
        this.adv();
        entries.push({ key, keyRange, value: this.value(depth + 1) });
        this.ws();
        const d = this.text[this.pos];
        if (d === ',') {
          this.adv();
          continue;
        }
        if (d === '}') {
          this.adv();
          return { k: 'obj', entries, range: this.range(start) };
        }
        this.fail('expected "," or "}"');
      }
    }
    if (c === '[') {
      this.adv();
      const items: JNode[] = [];
      this.ws();
      if (this.text[this.pos] === ']') {
        this.adv();
        return { k: 'arr', items, range: this.range(start) };
      }
      for (;;) {
        items.push(this.value(depth + 1));
        this.ws();
        const d = this.text[this.pos];
        if (d === ',') {
          this.adv();
          continue;
        }
        if (d === ']') {
          this.adv();
          return { k: 'arr', items, range: this.range(start) };
        }
        this.fail('expected "," or "]"');
      }
    }
    if (c === '"') {
      const value = this.string();
      return { k: 'str', value, range: this.range(start) };
    }
    const m = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(
      this.text.slice(this.pos, this.pos + 400),
    );
    if (!m) this.fail('expected a JSON value');
    this.adv(m[0].length);
    const w = m[0];
    const value = w === 'true' ? true : w === 'false' ? false : w === 'null' ? null : Number(w);
    return { k: 'lit', value, range: this.range(start) };
  }
  private string(): string {
    const startPos = this.pos;
    this.adv();
    for (;;) {
      const c = this.text.charCodeAt(this.pos);
      if (Number.isNaN(c)) this.fail('unterminated string');
      if (c === 34) break;
      if (c < 32) this.fail('control character in a string');
      this.adv(c === 92 ? 2 : 1);
    }
    this.adv();
    try {
      return JSON.parse(this.text.slice(startPos, this.pos)) as string;
    } catch {
      return this.fail('invalid escape in a string');
    }
  }
}

class JsonFail {}

/** The jobspec file layout: variables, locals and the job, whose blocks follow `jobSpec`. */
function fileShape(jobSpec: Spec): Shape {
  return {
    blocks: {
      variable: {
        labels: 1,
        shape: { exprAttrs: ['type'], blocks: { validation: { labels: 0, shape: 'attrs' } } },
      },
      variables: { labels: 0, shape: 'attrs' },
      locals: { labels: 0, shape: 'attrs' },
      job: { labels: 1, shape: shapeOf(jobSpec) },
    },
  };
}

const shapes = new WeakMap<Spec, Shape>();

/** The block structure of a decoder spec (memoised; specs refer to each other lazily). */
function shapeOf(spec: Spec): Shape {
  const hit = shapes.get(spec);
  if (hit) return hit;
  const blocks: Record<string, { labels: number; shape: Shape | 'attrs' }> = {};
  const shape: Shape = { blocks };
  shapes.set(spec, shape);
  for (const [name, ruleOrFn] of Object.entries(spec.blocks ?? {})) {
    const rule = typeof ruleOrFn === 'function' ? ruleOrFn() : ruleOrFn;
    Object.defineProperty(blocks, name, {
      enumerable: true,
      get: () => ({
        labels: rule.labels ?? 0,
        shape: rule.mode === 'free' ? 'attrs' : shapeOf(rule.spec ?? {}),
      }),
    });
  }
  return shape;
}

/** Parses a JSON jobspec into a syntax tree shaped by `jobSpec`. Never throws. */
export function parseJsonJobspec(source: string, filename: string, jobSpec: Spec): ParsedFile {
  const file = new SourceFile(filename, source);
  const diags: Diagnostic[] = [];
  const p = new JsonParser(file, diags);
  const emptyAt = p.here();
  const empty: Body = {
    kind: 'Body',
    attributes: [],
    blocks: [],
    items: [],
    range: { file, start: emptyAt, end: emptyAt },
  };
  let root: JNode;
  try {
    root = p.value(0);
    p.ws();
    if (p.pos < source.length) p.fail('extra characters after the JSON document');
  } catch (e) {
    if (e instanceof JsonFail) return { file, body: empty, diagnostics: diags };
    throw e;
  }
  if (root.k !== 'obj') {
    diags.push(diagError(root.range, 'Invalid JSON jobspec', 'the document must be a JSON object'));
    return { file, body: empty, diagnostics: diags };
  }
  const body = toBody(root, fileShape(jobSpec), diags);
  return { file, body, diagnostics: diags };
}

function toBody(node: JNode & { k: 'obj' }, shape: Shape | 'attrs', diags: Diagnostic[]): Body {
  const attributes: Attribute[] = [];
  const blocks: Block[] = [];
  const items: (Attribute | Block)[] = [];
  for (const { key, keyRange, value } of node.entries) {
    // HCL's JSON syntax reads a "//" property of a body as a comment.
    if (key === '//') continue;
    const rule = shape === 'attrs' ? undefined : shape.blocks?.[key];
    if (rule) {
      for (const b of toBlocks(key, keyRange, value, rule.labels, [], [], rule.shape, diags)) {
        blocks.push(b);
        items.push(b);
      }
      continue;
    }
    const expr =
      shape !== 'attrs' && shape.exprAttrs?.includes(key) && value.k === 'str'
        ? (stringExpression(value) ?? toExpr(value, diags))
        : toExpr(value, diags);
    const a: Attribute = {
      kind: 'Attribute',
      name: key,
      nameRange: keyRange,
      expr,
      range: { file: keyRange.file, start: keyRange.start, end: value.range.end },
    };
    attributes.push(a);
    items.push(a);
  }
  return { kind: 'Body', attributes, blocks, items, range: node.range };
}

/** A block property: labels are nested object keys; an array holds several blocks. */
function toBlocks(
  type: string,
  typeRange: Range,
  value: JNode,
  labelsLeft: number,
  labels: string[],
  labelRanges: Range[],
  shape: Shape | 'attrs',
  diags: Diagnostic[],
): Block[] {
  if (value.k === 'arr') {
    return value.items.flatMap((v) =>
      toBlocks(type, typeRange, v, labelsLeft, labels, labelRanges, shape, diags),
    );
  }
  if (value.k !== 'obj') {
    diags.push(
      diagError(
        value.range,
        'Incorrect JSON value type',
        `a JSON object is required here, for the ${JSON.stringify(type)} block${labelsLeft ? "'s labels" : ''}`,
      ),
    );
    return [];
  }
  if (labelsLeft > 0) {
    return value.entries.flatMap((e) =>
      toBlocks(
        type,
        typeRange,
        e.value,
        labelsLeft - 1,
        [...labels, e.key],
        [...labelRanges, e.keyRange],
        shape,
        diags,
      ),
    );
  }
  return [
    {
      kind: 'Block',
      type,
      typeRange,
      labels,
      labelRanges,
      body: toBody(value, shape, diags),
      range: { file: typeRange.file, start: typeRange.start, end: value.range.end },
    },
  ];
}

/** A JSON string read as an expression (a variable's `type = "list(string)"`). */
function stringExpression(node: JNode & { k: 'str' }): Expression | undefined {
  const r = parseExpression(node.value, `${node.range.file.name}:${node.range.start.line}`);
  return r.diagnostics.length === 0 ? r.expr : undefined;
}

/** A JSON string as an HCL template: its text is template source, as in HCL's JSON syntax. */
function templateOf(node: JNode & { k: 'str' }, diags: Diagnostic[]): Expression {
  const s = node.value;
  if (!s.includes('${') && !s.includes('%{')) return { kind: 'Literal', value: s, range: node.range };
  // Parse the text as a heredoc body (no escapes, like HCL's template mode), then drop the
  // newline the heredoc form adds at the end.
  let marker = 'JSON_TEMPLATE';
  while (s.includes(marker)) marker += '_';
  const src = `<<${marker}\n${s}\n${marker}\n`;
  const r = parseExpression(
    src,
    `${node.range.file.name}:${node.range.start.line}:${node.range.start.column}`,
  );
  if (!r.expr || r.diagnostics.length) {
    diags.push(...r.diagnostics);
    return { kind: 'Literal', value: s, range: node.range };
  }
  const t = r.expr;
  if (t.kind !== 'Template') return t;
  const parts = [...t.parts];
  const last = parts[parts.length - 1];
  if (last?.kind === 'Literal' && typeof last.value === 'string') {
    const v = last.value.slice(0, -1);
    if (v === '') parts.pop();
    else parts[parts.length - 1] = { ...last, value: v };
  }
  // A template that is one interpolation yields that value unconverted, as `"${x}"` does.
  const only = parts[0];
  if (
    parts.length === 1 &&
    only &&
    only.kind !== 'Literal' &&
    only.kind !== 'TemplateIf' &&
    only.kind !== 'TemplateFor'
  )
    return { kind: 'TemplateWrap', wrapped: only, range: node.range };
  return { kind: 'Template', parts, heredoc: false, range: node.range };
}

function toExpr(node: JNode, diags: Diagnostic[]): Expression {
  switch (node.k) {
    case 'str':
      return templateOf(node, diags);
    case 'lit':
      return { kind: 'Literal', value: node.value, range: node.range };
    case 'arr':
      return { kind: 'Tuple', items: node.items.map((x) => toExpr(x, diags)), range: node.range };
    case 'obj':
      // Parenthesised: an object value of a JSON document is not an object constructor written
      // in the block, so free-form decoding does not wrap it in a list as it does for `x = {…}`.
      return {
        kind: 'Parentheses',
        expression: {
          kind: 'Object',
          items: node.entries.map((e) => ({
            key: { kind: 'Literal', value: e.key, range: e.keyRange },
            bareKey: undefined,
            value: toExpr(e.value, diags),
          })),
          range: node.range,
        },
        range: node.range,
      };
  }
}
