/**
 * A small schema-driven decoder from HCL bodies to plain objects: each block type lists its
 * attributes (HCL name -> field and conversion) and nested blocks. Unknown attributes and
 * blocks are positioned errors, as in jobspec2.
 */

import { diagError, type Diagnostic } from '../diagnostics.js';
import type { Block, Body, Expression, Range } from '../syntax/ast.js';
import { ConversionError, convertValue, getOwn, isObject, setOwn } from '../types/convert.js';
import { t } from '../types/hclType.js';
import { parseGoDuration } from '../functions/datetime.js';
import { isDeferred, type HclValue } from '../values.js';
import { evalIn, expandBlocks, type Scope, type ScopedBlock } from './scope.js';

/** A decoded object under construction. */
export type Obj = Record<string, unknown>;

/** How an attribute's value becomes a field. */
export type Conv =
  'string' | 'number' | 'bool' | 'duration' | 'strings' | 'numbers' | 'smap' | 'lmap' | 'free';

/** A nested block: where it goes and how many there may be. */
export interface BlockRule {
  readonly field: string;
  /**
   * `one`: a single object; `list`: appended; `map`: an object keyed by the block's label;
   * `free`: a free-form map in jobspec2's block-attribute shape (see `freeForm`).
   */
  readonly mode: 'one' | 'list' | 'map' | 'free';
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
  /** Attributes that must be present (gohcl's `Missing required argument`). */
  readonly required?: readonly string[];
  /** Shape fix-ups after the generic pass (constraint shorthands, ports …). */
  readonly post?: (out: Obj, block: DecodedBlock, diags: Diagnostic[]) => void;
}

/** What `post` knows of the block it fixes up. */
export interface DecodedBlock {
  readonly body: Body;
  readonly typeRange: Range;
  readonly labelRanges: readonly Range[] | undefined;
}

/**
 * Source range of each decoded block object (and of its first label), so that later problems
 * can point at their block. Filled only while `withRanges` runs: keeping a WeakMap entry per
 * block costs the garbage collector on every parse, and only a failing parse needs them.
 */
export const blockRanges = new WeakMap<object, Range>();
/** Range of the first label of each decoded labelled block (see `blockRanges`). */
export const labelRanges = new WeakMap<object, Range>();
let recordRanges = false;

/** Runs `fn` with block ranges recorded into `blockRanges` / `labelRanges`. */
export function withRanges<T>(fn: () => T): T {
  const was = recordRanges;
  recordRanges = true;
  try {
    return fn();
  } finally {
    recordRanges = was;
  }
}

/** Whether ranges are being recorded (for spec fix-ups that report problems themselves). */
export function recordingRanges(): boolean {
  return recordRanges;
}

/** Decodes a block (or a file body) with `spec`. Diagnostics are appended to `diags`. */
export function decodeBlock(block: ScopedBlock, spec: Spec, diags: Diagnostic[]): Obj {
  const out: Obj = {};
  if (recordRanges) {
    blockRanges.set(out, block.typeRange);
    const lr = block.labelRanges?.[0];
    if (lr) labelRanges.set(out, lr);
  }
  if (spec.labelField !== undefined && block.labels[0] !== undefined) out[spec.labelField] = block.labels[0];
  decodeBodyInto(out, block.body, block.scope, spec, diags, block);
  return out;
}

const where = (r: Range): string => `${r.file.name}:${r.start.line},${r.start.column}`;

/** Decodes `body` into `out` with `spec`. */
export function decodeBodyInto(
  out: Obj,
  body: Body,
  scope: Scope,
  spec: Spec,
  diags: Diagnostic[],
  at: { readonly typeRange: Range; readonly labelRanges?: readonly Range[] | undefined },
): void {
  const attrs = spec.attrs;
  for (const a of body.attributes) {
    const rule = attrs === undefined ? undefined : getOwn(attrs, a.name);
    if (!rule) {
      diags.push(
        diagError(a.nameRange, 'Unsupported argument', `an argument named "${a.name}" is not expected here`),
      );
      continue;
    }
    const v = evalIn(scope, a.expr, diags);
    if (v === undefined) continue;
    const conv = convert(v, rule[1], a.expr, diags);
    if (conv !== undefined) out[rule[0]] = conv;
  }
  if (spec.required) {
    for (const name of spec.required) {
      if (!body.attributes.some((a) => a.name === name))
        diags.push(
          diagError(
            at.typeRange,
            'Missing required argument',
            `The argument "${name}" is required, but no definition was found.`,
          ),
        );
    }
  }
  let seen: Map<string, Range> | undefined;
  const blocks = body.blocks;
  const n = blocks.length;
  // Blocks are decoded as they stand unless a `dynamic` block needs expanding.
  let expanded: ScopedBlock[] | undefined;
  for (let i = 0; i < n; i++)
    if ((blocks[i] as Block).type === 'dynamic') {
      expanded = expandBlocks(body, scope, diags);
      break;
    }
  const count = expanded ? expanded.length : n;
  for (let i = 0; i < count; i++) {
    const b: ScopedBlock = expanded ? (expanded[i] as ScopedBlock) : scoped(blocks[i] as Block, scope);
    const ruleOrFn = spec.blocks === undefined ? undefined : getOwn(spec.blocks, b.type);
    const rule = typeof ruleOrFn === 'function' ? ruleOrFn() : ruleOrFn;
    if (!rule) {
      const attrRule = attrs === undefined ? undefined : getOwn(attrs, b.type);
      if (attrRule && (attrRule[1] === 'smap' || attrRule[1] === 'lmap' || attrRule[1] === 'free')) {
        // `meta { k = v }` is the block form of `meta = { k = v }`.
        const m = attrRule[1] === 'free' ? freeForm(b, diags) : attributesOf(b, diags);
        const conv = convert(m, attrRule[1], undefined, diags, b.typeRange);
        if (conv !== undefined)
          out[attrRule[0]] = { ...((out[attrRule[0]] as Obj | undefined) ?? {}), ...(conv as Obj) };
        continue;
      }
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
    if (rule.mode === 'one' || rule.mode === 'free') {
      seen ??= new Map();
      const prev = seen.get(b.type);
      if (prev) {
        diags.push(
          diagError(
            b.typeRange,
            `Duplicate ${b.type} block`,
            `Only one ${b.type} block is allowed. Another was defined at ${where(prev)}.`,
          ),
        );
        continue;
      }
      seen.set(b.type, b.typeRange);
    }
    const value = rule.mode === 'free' ? freeForm(b, diags) : decodeBlock(b, rule.spec ?? {}, diags);
    if (rule.mode === 'list') {
      const list = (out[rule.field] as unknown[] | undefined) ?? [];
      list.push(value);
      out[rule.field] = list;
    } else if (rule.mode === 'map') {
      const m = (out[rule.field] as Obj | undefined) ?? {};
      setOwn(m, b.labels[0] ?? '', value);
      out[rule.field] = m;
    } else {
      out[rule.field] = value;
    }
  }
  spec.post?.(out, { body, typeRange: at.typeRange, labelRanges: at.labelRanges }, diags);
}

/** A parsed block seen from `scope` (the block itself carries everything else). */
function scoped(b: Block, scope: Scope): ScopedBlock {
  return {
    type: b.type,
    labels: b.labels,
    body: b.body,
    range: b.range,
    typeRange: b.typeRange,
    labelRanges: b.labelRanges,
    scope,
  };
}

/** The attributes of a block body as a map (nested blocks are errors), for `meta {}` / `env {}`. */
function attributesOf(block: { body: Body; scope: Scope }, diags: Diagnostic[]): Obj {
  const out: Obj = {};
  for (const a of block.body.attributes) {
    const v = evalIn(block.scope, a.expr, diags);
    if (v !== undefined) setOwn(out, a.name, plain(v));
  }
  for (const b of block.body.blocks)
    diags.push(
      diagError(
        b.typeRange,
        'Unexpected block',
        `blocks are not allowed here; only attributes (name = value)`,
      ),
    );
  return out;
}

/**
 * A free-form block (driver `config`, scaling `policy`, connect `config`) in the shape
 * jobspec2's block-attribute decoding (hclutil.BlocksAsAttrs) gives: attributes keep their
 * values, except that an attribute written as an object constructor (`x = { … }`) becomes a
 * one-element list; blocks of one type become a list under the type with one element per
 * block; a labelled block's body is nested as `{label: [body]}` per label.
 */
export function freeForm(block: { body: Body; scope: Scope }, diags: Diagnostic[]): Obj {
  const out: Obj = {};
  for (const a of block.body.attributes) {
    const v = evalIn(block.scope, a.expr, diags);
    if (v === undefined) continue;
    const p = plain(v);
    setOwn(out, a.name, a.expr.kind === 'Object' ? [p] : p);
  }
  if (block.body.blocks.length === 0) return out;
  for (const b of expandBlocks(block.body, block.scope, diags)) {
    let value: Obj = freeForm(b, diags);
    for (let i = b.labels.length - 1; i >= 0; i--) {
      const wrapped: Obj = {};
      setOwn(wrapped, b.labels[i] as string, [value]);
      value = wrapped;
    }
    const list = getOwn(out, b.type);
    if (Array.isArray(list)) list.push(value);
    else setOwn(out, b.type, [value]);
  }
  return out;
}

/**
 * A value with every Deferred replaced by its `${…}` text. Values without one are returned as
 * they are (evaluation results are fresh values, so sharing them is safe).
 */
export function plain(v: HclValue): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (!hasDeferred(v, 0)) return v;
  return copyPlain(v);
}

function hasDeferred(v: HclValue, depth: number): boolean {
  if (v === null || typeof v !== 'object') return false;
  if (isDeferred(v)) return true;
  // Deep values are copied rather than scanned twice.
  if (depth > 32) return true;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (hasDeferred(v[i] as HclValue, depth + 1)) return true;
    return false;
  }
  for (const k in v) if (hasDeferred((v as Record<string, HclValue>)[k] as HclValue, depth + 1)) return true;
  return false;
}

function copyPlain(v: HclValue): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (isDeferred(v)) return v.toTemplate();
  if (Array.isArray(v)) return v.map(copyPlain);
  if (isObject(v)) {
    const o: Obj = {};
    for (const k of Object.keys(v)) setOwn(o, k, copyPlain(v[k] as HclValue));
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
  if (v === null) return undefined;
  // Fast paths: the common case needs no conversion (and allocates nothing).
  if (conv === 'string' && typeof v === 'string') return v;
  if (conv === 'number' && typeof v === 'number') return v;
  if (conv === 'bool' && typeof v === 'boolean') return v;
  const range = expr?.range ?? at;
  const bad = (detail: string): undefined => {
    if (range) diags.push(diagError(range, 'Unsuitable value type', detail));
    return undefined;
  };
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
        if (Array.isArray(value) && value.every((x) => typeof x === 'string')) return value;
        return (convertValue(plain(value) as HclValue, t.list(t.string)) as string[]) ?? [];
      case 'numbers':
        return (convertValue(plain(value) as HclValue, t.list(t.number)) as number[]) ?? [];
      case 'smap':
        if (isObject(value) && Object.values(value).every((x) => typeof x === 'string')) return value;
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
