import { diagError, type Diagnostic } from './diagnostics.js';
import type { Body, Expression, SourceFile, TemplateExpr } from './syntax/ast.js';
import { parseHcl } from './syntax/parser.js';
import { getOwn, setOwn } from './types/convert.js';

/** JSON data as hcl2json produces it. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Either the generic JSON of a file or the reasons it has none. */
export type HclToJsonResult =
  { ok: true; value: { [key: string]: Json } } | { ok: false; diagnostics: Diagnostic[] };

/**
 * Converts HCL source to the generic JSON shape of hcl2json (which the npm package hcl2-parser
 * wraps): attributes become values, blocks become `{ type: { label: [body, …] } }`, and any
 * expression that is not a literal, tuple, object or plain template is kept as `"${source}"`.
 * Pure.
 *
 * @example
 * hclToJson('a = 1\nb "x" { c = var.d }\n')
 * // { ok: true, value: { a: 1, b: { x: [{ c: '${var.d}' }] } } }
 */
export function hclToJson(source: string, filename = '<input>'): HclToJsonResult {
  const parsed = parseHcl(source, filename);
  if (parsed.diagnostics.length > 0) return { ok: false, diagnostics: parsed.diagnostics };
  const c = new Converter(parsed.file);
  try {
    return { ok: true, value: c.body(parsed.body) };
  } catch (e) {
    if (e instanceof ConvertError) return { ok: false, diagnostics: [e.diagnostic] };
    throw e;
  }
}

class ConvertError {
  constructor(readonly diagnostic: Diagnostic) {}
}

type JsonObj = { [key: string]: Json };

class Converter {
  constructor(private readonly file: SourceFile) {}

  body(body: Body): JsonObj {
    const out: JsonObj = {};
    for (const block of body.blocks) {
      // Labels nest as objects; the innermost key holds a list of bodies (hcl2json's shape).
      // Keys are user text (`__proto__`, `constructor`): read and write own properties only.
      let target: JsonObj = out;
      let key = block.type;
      for (const label of block.labels) {
        const existing = getOwn(target, key);
        if (existing === undefined) {
          const fresh: JsonObj = {};
          setOwn(target, key, fresh);
          target = fresh;
        } else if (typeof existing === 'object' && existing !== null && !Array.isArray(existing)) {
          target = existing;
        } else {
          throw new ConvertError(
            diagError(
              block.typeRange,
              'Unable to convert block to JSON',
              `"${block.type}" appears both with and without labels`,
            ),
          );
        }
        key = label;
      }
      const value = this.body(block.body);
      const current = getOwn(target, key);
      if (current === undefined) setOwn(target, key, [value]);
      else if (Array.isArray(current)) current.push(value);
      else {
        throw new ConvertError(
          diagError(
            block.typeRange,
            'Unable to convert block to JSON',
            `"${block.type}" appears both with and without labels`,
          ),
        );
      }
    }
    for (const attr of body.attributes) setOwn(out, attr.name, this.expr(attr.expr));
    return out;
  }

  expr(e: Expression): Json {
    switch (e.kind) {
      case 'Literal':
        return e.value;
      case 'Unary': {
        const v = e.operand;
        if (v.kind !== 'Literal') return this.wrap(e);
        if (e.op === '-' && typeof v.value === 'number') return -v.value;
        if (e.op === '!' && typeof v.value === 'boolean') return !v.value;
        throw new ConvertError(
          diagError(e.range, 'Invalid operand', `"${e.op}" cannot apply to ${JSON.stringify(v.value)}`),
        );
      }
      case 'Template':
        return this.template(e);
      case 'TemplateWrap':
        return this.expr(e.wrapped);
      case 'Tuple':
        return e.items.map((x) => this.expr(x));
      case 'Object': {
        const m: JsonObj = {};
        for (const item of e.items) setOwn(m, this.key(item.key), this.expr(item.value));
        return m;
      }
      default:
        return this.wrap(e);
    }
  }

  private key(k: Expression): string {
    if (k.kind === 'ScopeTraversal') return this.source(k);
    return this.stringPart(k);
  }

  private template(t: TemplateExpr): string {
    const parts = t.parts;
    if (parts.length === 1) return this.stringPart(parts[0]!);
    const out = new Array<string>(parts.length);
    for (let i = 0; i < parts.length; i++) out[i] = this.stringPart(parts[i]!);
    return out.join('');
  }

  private stringPart(e: Expression): string {
    switch (e.kind) {
      case 'Literal':
        if (e.value === null) {
          throw new ConvertError(
            diagError(e.range, 'Invalid template value', 'null cannot be converted to a string'),
          );
        }
        // Number literals print from their source digits, exactly as HCL's arbitrary precision does.
        return typeof e.value === 'number' ? normalizeDecimal(this.source(e)) : String(e.value);
      case 'Template':
        return this.template(e);
      case 'TemplateWrap':
        return this.stringPart(e.wrapped);
      case 'TemplateIf': {
        const f = this.template(e.falseResult);
        return `%{if ${this.source(e.condition)}}${this.template(e.trueResult)}${f.length > 0 ? '%{else}' + f : ''}%{endif}`;
      }
      case 'TemplateFor': {
        const k = e.keyVar !== undefined ? e.keyVar + ', ' : '';
        return `%{for ${k}${e.valVar} in ${this.source(e.collection)}}${this.template(e.body)}%{endfor}`;
      }
      default:
        return this.wrap(e);
    }
  }

  private wrap(e: Expression): string {
    return '${' + this.source(e) + '}';
  }

  /** The expression's source text; like hcl2json, a `)` right after the range is included. */
  private source(e: Expression): string {
    let end = e.range.end.offset;
    if (this.file.text.charCodeAt(end) === 41) end++;
    return this.file.text.slice(e.range.start.offset, end);
  }
}

/**
 * Formats a number the way HCL prints one in a string (Go's big.Float in 'f' format): plain
 * decimal digits, never an exponent. Uses the shortest round-trip digits. Pure.
 */
export function formatNumber(n: number): string {
  return normalizeDecimal(String(n));
}

/**
 * Rewrites decimal number text (`1.50`, `1e30`, `-1.5e-7`) exactly as plain decimal digits
 * (`1.5`, `1000…0`, `-0.00000015`), with no float rounding. Pure.
 */
export function normalizeDecimal(text: string): string {
  let s = text;
  let sign = '';
  if (s.startsWith('-')) {
    sign = '-';
    s = s.slice(1);
  }
  let exp = 0;
  const e = s.search(/[eE]/);
  if (e >= 0) {
    exp = Number(s.slice(e + 1));
    s = s.slice(0, e);
  }
  const dot = s.indexOf('.');
  let digits = dot >= 0 ? s.slice(0, dot) + s.slice(dot + 1) : s;
  let point = (dot >= 0 ? dot : s.length) + exp;
  let lead = 0;
  while (lead < digits.length && digits.charCodeAt(lead) === 48) lead++;
  digits = digits.slice(lead);
  point -= lead;
  let end = digits.length;
  while (end > 0 && end > point && digits.charCodeAt(end - 1) === 48) end--;
  digits = digits.slice(0, end);
  if (digits.length === 0) return '0';
  let body: string;
  if (point <= 0) body = '0.' + '0'.repeat(-point) + digits;
  else if (point >= digits.length) body = digits + '0'.repeat(point - digits.length);
  else body = digits.slice(0, point) + '.' + digits.slice(point);
  return sign + body;
}
