/**
 * `variable` blocks, the `variables {}` form and `locals`, with jobspec2's precedence:
 * default -> NOMAD_VAR_<name> environment -> var files (HCL or JSON) -> `-var` flags, each
 * converted to the declared type. Undeclared names passed in and variables left without a
 * value are errors. Locals resolve in dependency order; cycles are reported.
 */

import { diagError, type Diagnostic } from '../diagnostics.js';
import { parseExpression, parseHcl } from '../syntax/parser.js';
import { SourceFile, type Attribute, type Body, type Expression, type Range } from '../syntax/ast.js';
import { ConversionError, convertValue, setOwn } from '../types/convert.js';
import { t, typeString, type HclType } from '../types/hclType.js';
import { isTypeExprError, parseTypeExpr } from '../types/typeExpr.js';
import type { HclObject, HclValue } from '../values.js';
import { evalIn, type Scope } from './scope.js';
import { chargeValue, LimitExceeded, sizeOf } from '../eval/budget.js';

/** A var file given by content (the caller read it) — `.json` names are read as JSON. */
export interface VarFile {
  readonly filename: string;
  readonly content: string;
}

/** Where variable values come from, lowest precedence first. */
export interface VariableInputs {
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly varFiles?: readonly VarFile[];
  readonly vars?: Readonly<Record<string, string>>;
}

interface Declared {
  readonly name: string;
  readonly type: HclType;
  readonly range: Range;
  value?: HclValue;
  validations: { condition: Expression; message: Expression | undefined }[];
}

/**
 * The `var` object for a file body: declarations collected, inputs applied in precedence
 * order, types converted, validations run. Diagnostics are appended to `diags`.
 */
export function resolveVariables(
  body: Body,
  inputs: VariableInputs,
  scope: Scope,
  diags: Diagnostic[],
): HclObject {
  const declared = new Map<string, Declared>();
  const declare = (
    name: string,
    range: Range,
    type: HclType,
    def: Expression | undefined,
  ): Declared | undefined => {
    if (declared.has(name)) {
      diags.push(diagError(range, 'Duplicate variable', `a variable named "${name}" was already declared`));
      return undefined;
    }
    const d: Declared = { name, type, range, validations: [] };
    if (def) {
      const v = evalIn(scope, def, diags);
      if (v !== undefined) d.value = convertOrReport(v, type, def.range, diags);
    }
    declared.set(name, d);
    return d;
  };

  for (const b of body.blocks) {
    if (b.type === 'variables') {
      for (const a of b.body.attributes) declare(a.name, a.nameRange, t.any, a.expr);
      continue;
    }
    if (b.type !== 'variable') continue;
    const name = b.labels[0];
    if (b.labels.length !== 1 || name === undefined) {
      diags.push(
        diagError(b.typeRange, 'Missing name for variable', 'a variable block takes one label: its name'),
      );
      continue;
    }
    let type: HclType = t.any;
    let def: Expression | undefined;
    for (const a of b.body.attributes) {
      if (a.name === 'type') {
        const ty = parseTypeExpr(a.expr);
        if (isTypeExprError(ty)) diags.push(diagError(ty.range, 'Invalid type specification', ty.message));
        else type = ty;
      } else if (a.name === 'default') def = a.expr;
      else if (a.name !== 'description') {
        diags.push(
          diagError(
            a.nameRange,
            'Unsupported argument',
            `an argument named "${a.name}" is not expected here`,
          ),
        );
      }
    }
    const d = declare(name, b.labelRanges[0] ?? b.typeRange, type, def);
    for (const v of b.body.blocks) {
      if (v.type !== 'validation') {
        diags.push(
          diagError(
            v.typeRange,
            'Unsupported block type',
            `blocks of type "${v.type}" are not expected here`,
          ),
        );
        continue;
      }
      const cond = v.body.attributes.find((a) => a.name === 'condition');
      const msg = v.body.attributes.find((a) => a.name === 'error_message');
      if (!cond)
        diags.push(
          diagError(v.typeRange, 'Missing required argument', 'a validation block needs a condition'),
        );
      else d?.validations.push({ condition: cond.expr, message: msg?.expr });
    }
  }

  // NOMAD_VAR_<name> from the environment; names nobody declared are ignored.
  for (const [k, raw] of Object.entries(inputs.env ?? {})) {
    if (!k.startsWith('NOMAD_VAR_') || raw === undefined) continue;
    const d = declared.get(k.slice('NOMAD_VAR_'.length));
    if (d) setFromString(d, raw, `<env ${k}>`, scope, diags);
  }
  for (const f of inputs.varFiles ?? []) applyVarFile(f, declared, scope, diags);
  for (const [k, raw] of Object.entries(inputs.vars ?? {})) {
    const d = declared.get(k);
    const file = new SourceFile(`<value for var.${k}>`, raw);
    const range: Range = {
      file,
      start: { line: 1, column: 1, offset: 0 },
      end: { line: 1, column: 1, offset: 0 },
    };
    if (!d) {
      diags.push(
        diagError(
          range,
          'Undefined -var variable',
          `a "${k}" variable was passed in but was not found in known variables`,
        ),
      );
      continue;
    }
    setFromString(d, raw, file.name, scope, diags);
  }

  const out: HclObject = {};
  for (const d of declared.values()) {
    if (d.value === undefined) {
      diags.push(
        diagError(
          d.range,
          `Unset variable "${d.name}"`,
          'a used variable must be set or have a default value',
        ),
      );
      continue;
    }
    setOwn(out, d.name, d.value);
  }
  // Validations see every variable, like Nomad's evaluation of `var.<name>`.
  const vscope: Scope = { ...scope, variables: { ...scope.variables, var: out } };
  for (const d of declared.values()) {
    for (const v of d.validations) {
      const ok = evalIn(vscope, v.condition, diags);
      if (ok === false) {
        const msg = v.message ? evalIn(vscope, v.message, diags) : undefined;
        diags.push(
          diagError(
            v.condition.range,
            'Invalid value for variable',
            typeof msg === 'string' ? msg : `validation of var.${d.name} failed`,
          ),
        );
      }
    }
  }
  return out;
}

/** Env and flag values: raw text for `string`-typed variables, an HCL expression otherwise. */
function setFromString(d: Declared, raw: string, source: string, scope: Scope, diags: Diagnostic[]): void {
  if (d.type.kind === 'string' || d.type.kind === 'any') {
    d.value = raw;
    return;
  }
  const { expr, diagnostics } = parseExpression(raw, source);
  if (!expr || diagnostics.length) {
    diags.push(...diagnostics);
    return;
  }
  const v = evalIn(scope, expr, diags);
  if (v !== undefined) d.value = convertOrReport(v, d.type, expr.range, diags);
}

function applyVarFile(f: VarFile, declared: Map<string, Declared>, scope: Scope, diags: Diagnostic[]): void {
  const file = new SourceFile(f.filename, f.content);
  const whole: Range = {
    file,
    start: { line: 1, column: 1, offset: 0 },
    end: { line: 1, column: 1, offset: 0 },
  };
  const entries: [string, HclValue, Range][] = [];
  if (f.filename.endsWith('.json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(f.content);
    } catch (e) {
      diags.push(diagError(whole, 'Invalid JSON var file', (e as Error).message));
      return;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      diags.push(diagError(whole, 'Invalid JSON var file', 'expected an object of variable values'));
      return;
    }
    for (const [k, v] of Object.entries(parsed)) {
      // JSON values did not come through the evaluator: charge them to the file's budget here,
      // which also refuses nesting deeper than the evaluator's walks can take.
      try {
        if (scope.evalBudget) chargeValue(scope.evalBudget, v as HclValue);
        else sizeOf(v as HclValue);
      } catch (e) {
        if (!(e instanceof LimitExceeded)) throw e;
        diags.push(diagError(whole, 'Invalid JSON var file', `value of "${k}": ${e.message}`));
        continue;
      }
      entries.push([k, v as HclValue, whole]);
    }
  } else {
    const parsed = parseHcl(f.content, f.filename);
    diags.push(...parsed.diagnostics);
    for (const b of parsed.body.blocks) {
      diags.push(
        diagError(b.typeRange, 'Unexpected block', 'a var file holds only `name = value` assignments'),
      );
    }
    for (const a of parsed.body.attributes as Attribute[]) {
      const v = evalIn(scope, a.expr, diags);
      if (v !== undefined) entries.push([a.name, v, a.expr.range]);
    }
  }
  for (const [k, v, range] of entries) {
    const d = declared.get(k);
    if (!d) {
      diags.push(
        diagError(
          range,
          'Undefined variable',
          `a "${k}" variable was passed in but was not found in known variables`,
        ),
      );
      continue;
    }
    d.value = convertOrReport(v, d.type, range, diags);
  }
}

function convertOrReport(
  v: HclValue,
  type: HclType,
  range: Range,
  diags: Diagnostic[],
): HclValue | undefined {
  try {
    return convertValue(v, type);
  } catch (e) {
    if (!(e instanceof ConversionError)) throw e;
    const where = e.path.length ? ` at ${e.path.join('.')}` : '';
    diags.push(
      diagError(range, 'Invalid value for variable', `${typeString(type)} expected: ${e.message}${where}`),
    );
    return undefined;
  }
}

/**
 * The `local` object: every `locals` attribute evaluated after the locals it refers to.
 * A cycle is an error on each local in it.
 */
export function resolveLocals(body: Body, scope: Scope, diags: Diagnostic[]): HclObject {
  const defs = new Map<string, Attribute>();
  for (const b of body.blocks) {
    if (b.type !== 'locals') continue;
    for (const a of b.body.attributes) {
      if (defs.has(a.name))
        diags.push(
          diagError(
            a.nameRange,
            'Duplicate local value',
            `a local value named "${a.name}" was already defined`,
          ),
        );
      else defs.set(a.name, a);
    }
  }
  const out: HclObject = {};
  const state = new Map<string, 'visiting' | 'done'>();
  const local: Scope = { ...scope, variables: { ...scope.variables, local: out } };
  // Depth-first with an explicit stack: a chain of thousands of locals must not overflow the
  // call stack.
  const stack: { name: string; deps: string[]; next: number }[] = [];
  const enter = (name: string, a: Attribute): void => {
    state.set(name, 'visiting');
    stack.push({ name, deps: localRefs(a.expr), next: 0 });
  };
  for (const [root, rootAttr] of defs) {
    if (state.has(root)) continue;
    enter(root, rootAttr);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (top.next < top.deps.length) {
        const dep = top.deps[top.next++]!;
        const a = defs.get(dep);
        if (!a || state.get(dep) === 'done') continue;
        if (state.get(dep) === 'visiting') {
          const chain = [...stack.map((f) => f.name), dep];
          diags.push(diagError(a.nameRange, 'Cycle in local values', `local.${chain.join(' -> local.')}`));
          continue;
        }
        enter(dep, a);
        continue;
      }
      stack.pop();
      state.set(top.name, 'done');
      const v = evalIn(local, defs.get(top.name)!.expr, diags);
      if (v !== undefined) setOwn(out, top.name, v);
    }
  }
  return out;
}

/** Names `x` of every `local.x` an expression mentions. */
function localRefs(expr: Expression): string[] {
  const out: string[] = [];
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (typeof n !== 'object' || n === null) return;
    const node = n as Record<string, unknown>;
    if (node['kind'] === 'ScopeTraversal' && node['root'] === 'local') {
      const first = (node['traversal'] as { kind: string; name?: string }[])[0];
      if (first?.kind === 'attr' && first.name) out.push(first.name);
    }
    for (const [k, v] of Object.entries(node)) if (k !== 'range' && !k.endsWith('Range')) walk(v);
  };
  walk(expr);
  return out;
}
