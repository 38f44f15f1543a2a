/**
 * A small schema-driven decoder from HCL bodies to plain objects: each block type lists its
 * attributes (HCL name -> field and conversion) and nested blocks. Unknown attributes and
 * blocks are positioned errors, as in jobspec2.
 */

import { diagError, type Diagnostic } from '../diagnostics.js';
import type { Body, Expression, Range } from '../syntax/ast.js';
import { ConversionError, convertValue, getOwn, isObject, setOwn } from '../types/convert.js';
import { t } from '../types/hclType.js';
import { parseGoDuration } from '../functions/datetime.js';
import { isDeferred, type HclValue } from '../values.js';
import { evalIn, expandBlocks, type Scope, type ScopedBlock } from './scope.js';

/** A decoded object under construction. */
export type Obj = Record<string, unknown>;

/** How an attribute's value becomes a field. */
export type Conv = 'string' | 'number' | 'bool' | 'duration' | 'strings' | 'smap' | 'lmap' | 'free';

/** A nested block: where it goes and how many there may be. */
export interface BlockRule {
  readonly field: string;
  /** `one`: a single object; `list`: appended; `free`: HCL1-shaped free-form map; `api`: API-JSON-shaped map. */
  readonly mode: 'one' | 'list' | 'free' | 'api';
  readonly spec?: Spec;
  /** Number of labels the block takes (0 when absent). */
  readonly labels?: number;
}

/** The shape of one block type. */
export interface Spec {
  readonly attrs?: Readonly<Record<string, readonly [field: string, conv: Conv]>>;
  readonly blocks?: Readonly<Record<string, BlockRule | (() => BlockRule)>>;
  /** Field that receives the block's first label. */
  readonly labelField?: string;
  /** Shape fix-ups after the generic pass (constraint shorthands, ports …). */
  readonly post?: (out: Obj, raw: Obj, range: Range, diags: Diagnostic[]) => void;
}

/** Source range of each decoded block object, so later problems can point at their block. */
export const blockRanges = new WeakMap<object, Range>();

/** Decodes a block (or a file body) with `spec`. Diagnostics are appended to `diags`. */
export function decodeBlock(block: ScopedBlock, spec: Spec, diags: Diagnostic[]): Obj {
  const out: Obj = {};
  blockRanges.set(out, block.typeRange);
  if (spec.labelField !== undefined && block.labels[0] !== undefined) out[spec.labelField] = block.labels[0];
  decodeBodyInto(out, block.body, block.scope, spec, diags, block.range);
  return out;
}

/** Decodes `body` into `out` with `spec`. */
export function decodeBodyInto(
  out: Obj,
  body: Body,
  scope: Scope,
  spec: Spec,
  diags: Diagnostic[],
  range: Range,
): void {
  const raw: Obj = {};
  for (const a of body.attributes) {
    const rule = getOwn(spec.attrs, a.name);
    if (!rule) {
      diags.push(
        diagError(a.nameRange, 'Unsupported argument', `an argument named "${a.name}" is not expected here`),
      );
      continue;
    }
    const v = evalIn(scope, a.expr, diags);
    if (v === undefined) continue;
    raw[a.name] = v;
    const conv = convert(v, rule[1], a.expr, diags);
    if (conv !== undefined) out[rule[0]] = conv;
  }
  for (const b of expandBlocks(body, scope, diags)) {
    const ruleOrFn = getOwn(spec.blocks, b.type);
    const rule = typeof ruleOrFn === 'function' ? ruleOrFn() : ruleOrFn;
    const attrRule = getOwn(spec.attrs, b.type);
    if (!rule && attrRule && (attrRule[1] === 'smap' || attrRule[1] === 'lmap' || attrRule[1] === 'free')) {
      // `meta { k = v }` is the block form of `meta = { k = v }`.
      const m = freeForm(b, diags);
      const conv = convert(m, attrRule[1], undefined, diags, b.typeRange);
      if (conv !== undefined)
        out[attrRule[0]] = { ...((out[attrRule[0]] as Obj | undefined) ?? {}), ...(conv as Obj) };
      continue;
    }
    if (!rule) {
      diags.push(
        diagError(b.typeRange, 'Unsupported block type', `blocks of type "${b.type}" are not expected here`),
      );
      continue;
    }
    const want = rule.labels ?? 0;
    if (b.labels.length !== want) {
      diags.push(
        diagError(
          b.typeRange,
          want === 0 ? 'Extraneous label' : 'Missing name for ' + b.type,
          `a ${b.type} block takes ${want === 0 ? 'no labels' : `${want} label`}, found ${b.labels.length}`,
        ),
      );
      continue;
    }
    const value =
      rule.mode === 'free'
        ? freeForm(b, diags)
        : rule.mode === 'api'
          ? apiForm(b, diags)
          : decodeBlock(b, rule.spec ?? {}, diags);
    if (rule.mode === 'list') {
      const list = (out[rule.field] as unknown[] | undefined) ?? [];
      list.push(value);
      out[rule.field] = list;
    } else {
      if (out[rule.field] !== undefined && rule.mode === 'one') {
        diags.push(diagError(b.typeRange, 'Duplicate block', `only one "${b.type}" block is allowed here`));
        continue;
      }
      out[rule.field] = value;
    }
  }
  spec.post?.(out, raw, range, diags);
}

/**
 * A free-form block (driver `config`, scaling `policy`) in Nomad's HCL1-compatible shape:
 * attributes keep their values, nested blocks become lists of objects under their type, and a
 * labelled block becomes an object keyed by its label holding such a list.
 */
export function freeForm(block: { body: Body; scope: Scope }, diags: Diagnostic[]): Obj {
  const out: Obj = {};
  for (const a of block.body.attributes) {
    const v = evalIn(block.scope, a.expr, diags);
    if (v !== undefined) setOwn(out, a.name, plain(v));
  }
  for (const b of expandBlocks(block.body, block.scope, diags)) {
    let holder: Obj = out;
    let key = b.type;
    for (const label of b.labels) {
      const next = (getOwn(holder, key) as Obj | undefined) ?? {};
      setOwn(holder, key, next);
      holder = next;
      key = label;
    }
    const list = (getOwn(holder, key) as unknown[] | undefined) ?? [];
    list.push(freeForm(b, diags));
    setOwn(holder, key, list);
  }
  return out;
}

/** Blocks that are lists in Nomad's API JSON even when written once. */
const API_LISTS = new Set(['upstreams']);

/**
 * A free-form block in Nomad's API JSON shape (used for `connect`): keys in PascalCase, a block
 * written once becomes an object, repeated blocks (and `upstreams`) become lists.
 */
export function apiForm(block: { body: Body; scope: Scope }, diags: Diagnostic[]): Obj {
  const out: Obj = {};
  for (const a of block.body.attributes) {
    const v = evalIn(block.scope, a.expr, diags);
    if (v !== undefined) setOwn(out, pascal(a.name), plain(v));
  }
  const seen = new Map<string, Obj[]>();
  for (const b of expandBlocks(block.body, block.scope, diags)) {
    const list = seen.get(b.type) ?? [];
    list.push(apiForm(b, diags));
    seen.set(b.type, list);
  }
  for (const [type, list] of seen) {
    setOwn(out, pascal(type), list.length === 1 && !API_LISTS.has(type) ? list[0] : list);
  }
  return out;
}

function pascal(snake: string): string {
  return snake
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

/** A value with every Deferred replaced by its `${…}` text. */
export function plain(v: HclValue): unknown {
  if (isDeferred(v)) return v.toTemplate();
  if (Array.isArray(v)) return v.map(plain);
  if (isObject(v)) {
    const o: Obj = {};
    for (const [k, x] of Object.entries(v)) setOwn(o, k, plain(x));
    return o;
  }
  return v;
}

function convert(
  v: unknown,
  conv: Conv,
  expr: Expression | undefined,
  diags: Diagnostic[],
  at?: Range,
): unknown {
  const range = expr?.range ?? at;
  const bad = (detail: string): undefined => {
    if (range) diags.push(diagError(range, 'Unsuitable value type', detail));
    return undefined;
  };
  if (v === null) return undefined;
  const value = (isDeferred(v) ? v.toTemplate() : v) as HclValue;
  try {
    switch (conv) {
      case 'string':
        return convertValue(value, t.string);
      case 'number':
        return convertValue(value, t.number);
      case 'bool':
        return convertValue(value, t.bool);
      case 'strings':
        return (convertValue(plain(value) as HclValue, t.list(t.string)) as string[]) ?? [];
      case 'smap':
        return convertValue(plain(value) as HclValue, t.map(t.string));
      case 'lmap':
        return convertValue(plain(value) as HclValue, t.map(t.list(t.string)));
      case 'free':
        return plain(value);
      case 'duration': {
        if (typeof value === 'number') return value;
        if (typeof value !== 'string')
          return bad(`Unsuitable value: expected a string but found ${typeof value}`);
        const ns = parseGoDuration(value);
        if (ns === undefined)
          return bad(`Unsuitable duration value: time: invalid duration ${JSON.stringify(value)}`);
        return ns;
      }
    }
  } catch (e) {
    if (e instanceof ConversionError)
      return bad(e.path.length ? `${e.message} at ${e.path.join('.')}` : e.message);
    throw e;
  }
}
