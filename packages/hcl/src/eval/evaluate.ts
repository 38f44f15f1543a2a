import { diagError, type Diagnostic } from '../diagnostics.js';
import { FunctionError, type FunctionContext, type HclFunction } from '../functions/types.js';
import type { Expression, Range, TemplateExpr, Traverser } from '../syntax/ast.js';
import { Deferred, isDeferred, type HclObject, type HclValue } from '../values.js';
import { ConversionError as TypeConversionError, convertValue } from '../types/convert.js';
import { typeString } from '../types/hclType.js';
import { isTypeExprError, parseTypeExpr } from '../types/typeExpr.js';
import { containsDeferred, ConversionError, toBool, toNum, toStr, typeName, valuesEqual } from './convert.js';
import { setOwn } from '../types/convert.js';
import {
  chargeSteps,
  chargeValue,
  checkStringLength,
  createEvalBudget,
  LimitExceeded,
  MAX_EVAL_STEPS,
  sizeOf,
  type EvalBudget,
} from './budget.js';

/**
 * What an expression may refer to. `variables` holds the roots (`var`, `local`, …);
 * a root that is not there but that `deferRoot` accepts (attr, node, meta, NOMAD_*, env …)
 * becomes a Deferred holding the source of the smallest enclosing expression that touches it.
 */
export interface EvalContext {
  readonly variables: Record<string, HclValue>;
  readonly functions: Record<string, HclFunction>;
  readonly functionContext: FunctionContext;
  deferRoot(name: string): boolean;
  /**
   * The budget this evaluation draws on; pass the same object for every expression of a file.
   * Absent, the expression gets a fresh budget of its own.
   */
  readonly budget?: EvalBudget | undefined;
}

export { MAX_EVAL_STEPS };

/** A value, or the diagnostics explaining why there is none. */
export type EvalResult = { ok: true; value: HclValue } | { ok: false; diagnostics: Diagnostic[] };

/**
 * Evaluates an expression with HCL's semantics and jobspec2's handling of run-time references.
 * Never throws for user mistakes (they come back as diagnostics). Pure apart from what the
 * functions in `ctx` do.
 *
 * @example
 * const { expr } = parseExpression('upper(var.name)');
 * evaluateExpression(expr!, { variables: { var: { name: 'web' } }, functions, functionContext, deferRoot: () => false });
 * // { ok: true, value: 'WEB' }
 */
export function evaluateExpression(expr: Expression, ctx: EvalContext): EvalResult {
  try {
    return { ok: true, value: new Evaluator(ctx).eval(expr) };
  } catch (e) {
    if (e instanceof EvalFail) return { ok: false, diagnostics: e.diagnostics };
    // Last line of defence: a limit hit outside a function call, or a stack overflow in a walk
    // the limits above did not foresee, is still the input's fault and gets a position.
    if (e instanceof LimitExceeded || e instanceof RangeError) {
      return { ok: false, diagnostics: [diagError(expr.range, TOO_EXPENSIVE, e.message)] };
    }
    throw e;
  }
}

const TOO_EXPENSIVE = 'Evaluation too expensive';

/** Unwinds evaluation with its diagnostics; `try`/`can` catch it unless a limit was hit. */
class EvalFail {
  constructor(
    readonly diagnostics: Diagnostic[],
    /** A limit of the budget was reached: nothing may catch this. */
    readonly exhausted = false,
  ) {}
}

function fail(range: Range, summary: string, detail?: string): never {
  throw new EvalFail([diagError(range, summary, detail)]);
}

function exhausted(range: Range, detail: string): never {
  throw new EvalFail([diagError(range, TOO_EXPENSIVE, detail)], true);
}

function defer(e: Expression): Deferred {
  return new Deferred(e.range.file.slice(e.range));
}

class Evaluator {
  /** Iterator variables of enclosing `for` expressions, innermost last. */
  private readonly scopes: Map<string, HclValue>[] = [];
  /** Current elements of enclosing splats, innermost last. */
  private readonly items: HclValue[] = [];
  private readonly budget: EvalBudget;
  private fctx: FunctionContext | undefined;

  constructor(private readonly ctx: EvalContext) {
    this.budget = ctx.budget ?? createEvalBudget();
  }

  eval(e: Expression): HclValue {
    // Nested for expressions multiply: bound the work so hostile input cannot hang the caller.
    if (--this.budget.steps < 0) {
      exhausted(e.range, `the file's evaluation budget of ${MAX_EVAL_STEPS} steps is used up`);
    }
    switch (e.kind) {
      case 'Literal':
        return e.value;
      case 'Parentheses':
        return this.evalOrDefer(e.expression, e);
      case 'TemplateWrap':
        return this.eval(e.wrapped);
      case 'Template':
        return this.template(e);
      case 'TemplateIf':
      case 'TemplateFor':
        return this.template({ kind: 'Template', parts: [e], heredoc: false, range: e.range });
      case 'ScopeTraversal':
        return this.scopeTraversal(e);
      case 'RelativeTraversal': {
        const src = this.eval(e.source);
        if (isDeferred(src)) return defer(e);
        return this.traverse(src, e.traversal, e);
      }
      case 'Index': {
        const coll = this.eval(e.collection);
        const key = this.eval(e.key);
        if (isDeferred(coll) || isDeferred(key)) return defer(e);
        return this.index(coll, key, e.key.range);
      }
      case 'Splat':
        return this.splat(e);
      case 'AnonSymbol': {
        if (this.items.length === 0)
          fail(e.range, 'Invalid splat', 'a splat symbol outside of a splat expression');
        return this.items[this.items.length - 1]!;
      }
      case 'FunctionCall':
        return this.call(e);
      case 'Conditional': {
        const c = this.eval(e.condition);
        if (isDeferred(c)) return defer(e);
        const b = this.convert(c, toBool, e.condition.range, 'Incorrect condition type');
        const v = this.eval(b ? e.trueResult : e.falseResult);
        if (isDeferred(v)) return defer(e);
        return this.unifyBranch(v, b ? e.falseResult : e.trueResult);
      }
      case 'Binary':
        return this.binary(e);
      case 'Unary': {
        const v = this.eval(e.operand);
        if (isDeferred(v)) return defer(e);
        if (e.op === '-') return -this.convert(v, toNum, e.operand.range, 'Invalid operand');
        return !this.convert(v, toBool, e.operand.range, 'Invalid operand');
      }
      case 'Tuple': {
        const out: HclValue[] = new Array<HclValue>(e.items.length);
        for (let i = 0; i < e.items.length; i++) out[i] = this.eval(e.items[i]!);
        return this.created(out, e.range);
      }
      case 'Object': {
        const out: HclObject = {};
        for (const item of e.items) {
          let key: string;
          if (item.bareKey !== undefined) key = item.bareKey;
          else {
            const k = this.eval(item.key);
            if (isDeferred(k)) return defer(e);
            key = this.convert(k, toStr, item.key.range, 'Incorrect key type');
          }
          setOwn(out, key, this.eval(item.value));
        }
        return this.created(out, e.range);
      }
      case 'For':
        return this.forExpr(e);
    }
  }

  /**
   * HCL gives both results of a conditional one type: when the other branch is a string
   * literal or template, a number or bool result converts to a string (`c ? 1 : "a"` is "1").
   */
  private unifyBranch(v: HclValue, other: Expression): HclValue {
    if (typeof v !== 'number' && typeof v !== 'boolean') return v;
    const stringy =
      (other.kind === 'Literal' && typeof other.value === 'string') || other.kind === 'Template';
    return stringy ? toStr(v) : v;
  }

  /** Charges a value the evaluation just built against the file's byte budget. */
  private created<T extends HclValue>(v: T, range: Range): T {
    try {
      chargeValue(this.budget, v);
    } catch (err) {
      if (err instanceof LimitExceeded) exhausted(range, err.message);
      throw err;
    }
    return v;
  }

  private evalOrDefer(inner: Expression, outer: Expression): HclValue {
    const v = this.eval(inner);
    return isDeferred(v) ? defer(outer) : v;
  }

  private convert<T>(v: HclValue, fn: (v: HclValue) => T, range: Range, summary: string): T {
    try {
      return fn(v);
    } catch (err) {
      if (err instanceof ConversionError) fail(range, summary, err.message);
      throw err;
    }
  }

  private scopeTraversal(e: Expression & { kind: 'ScopeTraversal' }): HclValue {
    let root: HclValue | undefined;
    for (let i = this.scopes.length - 1; i >= 0 && root === undefined; i--)
      root = this.scopes[i]!.get(e.root);
    if (root === undefined) {
      if (Object.hasOwn(this.ctx.variables, e.root)) root = this.ctx.variables[e.root]!;
      else if (this.ctx.deferRoot(e.root)) return defer(e);
      else fail(e.rootRange, 'Unknown variable', `there is no variable named "${e.root}"`);
    }
    return this.traverse(root, e.traversal, e);
  }

  private traverse(v: HclValue, steps: Traverser[], whole: Expression): HclValue {
    let cur = v;
    for (const step of steps) {
      if (isDeferred(cur)) {
        // A deferred value reached through a variable (a local holding `attr.x`): keep its text
        // and append the remaining steps, so the client sees `attr.x.y`, not `local.a.y`.
        const { file } = whole.range;
        return new Deferred(cur.source + file.text.slice(step.range.start.offset, whole.range.end.offset));
      }
      if (step.kind === 'attr') {
        if (cur === null)
          fail(step.range, 'Attempt to get attribute from null value', `"${step.name}" of null`);
        if (typeof cur !== 'object' || Array.isArray(cur)) {
          fail(
            step.range,
            'Unsupported attribute',
            `a ${typeName(cur)} has no attributes; "${step.name}" was asked for`,
          );
        }
        if (!Object.hasOwn(cur, step.name)) {
          fail(step.range, 'Unsupported attribute', `this object has no attribute named "${step.name}"`);
        }
        cur = cur[step.name]!;
      } else {
        cur = this.index(cur, step.key, step.range);
      }
    }
    return cur;
  }

  private index(coll: HclValue, key: HclValue, range: Range): HclValue {
    if (coll === null) fail(range, 'Attempt to index null value', 'this value is null');
    if (key === null) fail(range, 'Invalid index', 'the index is null');
    if (Array.isArray(coll)) {
      const n = this.convert(key, toNum, range, 'Invalid index');
      if (!Number.isInteger(n) || n < 0 || n >= coll.length) {
        fail(
          range,
          'Invalid index',
          `index ${toStr(n)} is out of range for a sequence of ${coll.length} elements`,
        );
      }
      return coll[n]!;
    }
    if (typeof coll === 'object' && !isDeferred(coll)) {
      const k = this.convert(key, toStr, range, 'Invalid index');
      if (!Object.hasOwn(coll, k))
        fail(range, 'Invalid index', `the given key ${JSON.stringify(k)} does not exist`);
      return coll[k]!;
    }
    return fail(range, 'Invalid index', `a ${typeName(coll)} cannot be indexed`);
  }

  private splat(e: Expression & { kind: 'Splat' }): HclValue {
    const src = this.eval(e.source);
    if (isDeferred(src)) return defer(e);
    if (src === null) return [];
    const list = Array.isArray(src) ? src : [src];
    const out: HclValue[] = [];
    for (const item of list) {
      this.items.push(item);
      try {
        const v = this.eval(e.each);
        if (isDeferred(v)) return defer(e);
        out.push(v);
      } finally {
        this.items.pop();
      }
    }
    return this.created(out, e.range);
  }

  private binary(e: Expression & { kind: 'Binary' }): HclValue {
    const a = this.eval(e.lhs);
    const b = this.eval(e.rhs);
    if (isDeferred(a) || isDeferred(b)) return defer(e);
    switch (e.op) {
      case '==':
        this.chargeCompare(a, b, e.range);
        return valuesEqual(a, b);
      case '!=':
        this.chargeCompare(a, b, e.range);
        return !valuesEqual(a, b);
      case '&&':
      case '||': {
        const x = this.convert(a, toBool, e.lhs.range, 'Invalid operand');
        const y = this.convert(b, toBool, e.rhs.range, 'Invalid operand');
        return e.op === '&&' ? x && y : x || y;
      }
    }
    const x = this.convert(a, toNum, e.lhs.range, 'Invalid operand');
    const y = this.convert(b, toNum, e.rhs.range, 'Invalid operand');
    switch (e.op) {
      case '+':
        return x + y;
      case '-':
        return x - y;
      case '*':
        return x * y;
      case '/':
        if (y === 0) fail(e.rhs.range, 'Division by zero', 'the divisor is zero');
        return x / y;
      case '%':
        if (y === 0) fail(e.rhs.range, 'Division by zero', 'the divisor is zero');
        return x % y;
      case '<':
        return x < y;
      case '>':
        return x > y;
      case '<=':
        return x <= y;
      default:
        return x >= y;
    }
  }

  /** Comparing two collections walks them: one step per 256 bytes of the smaller. */
  private chargeCompare(a: HclValue, b: HclValue, range: Range): void {
    if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object' || a === b) return;
    try {
      const sizes = this.budget.sizes;
      chargeSteps(this.budget, Math.min(sizeOf(a, sizes), sizeOf(b, sizes)) >> 8);
    } catch (err) {
      if (err instanceof LimitExceeded) exhausted(range, err.message);
      throw err;
    }
  }

  private template(t: TemplateExpr): HclValue {
    const out: string[] = [];
    this.templateParts(t.parts, out);
    if (out.length === 1) return out[0]!;
    // Measure before joining: `"${s}${s}…"` must not build a string past the limits first.
    let length = 0;
    for (let i = 0; i < out.length; i++) length += out[i]!.length;
    try {
      checkStringLength(length);
    } catch (err) {
      if (err instanceof LimitExceeded) exhausted(t.range, err.message);
      throw err;
    }
    return this.created(out.join(''), t.range);
  }

  private templateParts(parts: Expression[], out: string[]): void {
    for (const part of parts) {
      if (part.kind === 'Literal' && typeof part.value === 'string') {
        out.push(part.value);
      } else if (part.kind === 'TemplateIf') {
        const c = this.eval(part.condition);
        if (isDeferred(c)) out.push(part.range.file.slice(part.range));
        else {
          const b = this.convert(c, toBool, part.condition.range, 'Incorrect condition type');
          this.templateParts((b ? part.trueResult : part.falseResult).parts, out);
        }
      } else if (part.kind === 'TemplateFor') {
        const coll = this.eval(part.collection);
        if (isDeferred(coll)) {
          out.push(part.range.file.slice(part.range));
          continue;
        }
        this.iterate(coll, part.collection.range, part.keyVar, part.valVar, () => {
          this.templateParts(part.body.parts, out);
        });
      } else {
        const v = this.eval(part);
        if (isDeferred(v)) out.push(v.toTemplate());
        else if (v === null)
          fail(part.range, 'Invalid template interpolation value', 'the expression result is null');
        else out.push(this.convert(v, toStr, part.range, 'Invalid template interpolation value'));
      }
    }
  }

  /** Runs `body` once per element with the iterator variables bound; objects in key order. */
  private iterate(
    coll: HclValue,
    range: Range,
    keyVar: string | undefined,
    valVar: string,
    body: () => void,
  ): void {
    if (coll === null) fail(range, 'Iteration over null value', 'a for expression needs a collection');
    if (typeof coll !== 'object' || isDeferred(coll)) {
      fail(range, 'Iteration over non-iterable value', `a ${typeName(coll)} cannot be iterated`);
    }
    const scope = new Map<string, HclValue>();
    this.scopes.push(scope);
    try {
      if (Array.isArray(coll)) {
        for (let i = 0; i < coll.length; i++) {
          if (keyVar !== undefined) scope.set(keyVar, i);
          scope.set(valVar, coll[i]!);
          body();
        }
      } else {
        for (const k of Object.keys(coll).sort()) {
          if (keyVar !== undefined) scope.set(keyVar, k);
          scope.set(valVar, coll[k]!);
          body();
        }
      }
    } finally {
      this.scopes.pop();
    }
  }

  private forExpr(e: Expression & { kind: 'For' }): HclValue {
    const coll = this.eval(e.collection);
    if (isDeferred(coll)) return defer(e);
    let deferred = false;
    const tuple: HclValue[] = [];
    const obj: HclObject = {};
    const groups = new Map<string, HclValue[]>();
    this.iterate(coll, e.collection.range, e.keyVar, e.valVar, () => {
      if (deferred) return;
      if (e.condExpr) {
        const c = this.eval(e.condExpr);
        if (isDeferred(c)) {
          deferred = true;
          return;
        }
        if (!this.convert(c, toBool, e.condExpr.range, 'Invalid for expression condition')) return;
      }
      if (e.keyExpr === undefined) {
        tuple.push(this.eval(e.valExpr));
        return;
      }
      const k = this.eval(e.keyExpr);
      if (isDeferred(k)) {
        deferred = true;
        return;
      }
      const key = this.convert(k, toStr, e.keyExpr.range, 'Invalid object key');
      const v = this.eval(e.valExpr);
      if (e.group) {
        let g = groups.get(key);
        if (!g) groups.set(key, (g = []));
        g.push(v);
      } else {
        if (Object.hasOwn(obj, key)) {
          fail(
            e.keyExpr.range,
            'Duplicate object key',
            `two elements produce the key ${JSON.stringify(key)}; add "..." to group them`,
          );
        }
        setOwn(obj, key, v);
      }
    });
    if (deferred) return defer(e);
    if (e.keyExpr === undefined) return this.created(tuple, e.range);
    if (e.group) for (const [k, g] of groups) setOwn(obj, k, g);
    return this.created(obj, e.range);
  }

  private call(e: Expression & { kind: 'FunctionCall' }): HclValue {
    if (e.name === 'try' || e.name === 'can') return this.tryOrCan(e);
    if (e.name === 'convert') return this.convertCall(e);
    const fn = this.ctx.functions[e.name];
    if (fn === undefined || !Object.hasOwn(this.ctx.functions, e.name)) {
      fail(e.nameRange, 'Call to unknown function', `there is no function named "${e.name}"`);
    }
    let args: HclValue[] = [];
    const argRanges: Range[] = [];
    for (const a of e.args) {
      args.push(this.eval(a));
      argRanges.push(a.range);
    }
    if (args.some(containsDeferred)) return defer(e);
    if (e.expandFinal) {
      const last = args.pop();
      const lastRange = argRanges.pop()!;
      if (!Array.isArray(last))
        fail(
          lastRange,
          'Invalid expanding argument value',
          'only a list or tuple can be expanded with "..."',
        );
      for (const v of last) {
        args.push(v);
        argRanges.push(lastRange);
      }
    }
    const fixed = fn.variadic ? fn.params - 1 : fn.params;
    if (args.length < fixed) {
      fail(
        e.range,
        'Not enough function arguments',
        `"${e.name}" needs ${fixed}${fn.variadic ? ' or more' : ''}, got ${args.length}`,
      );
    }
    if (!fn.variadic && args.length > fixed) {
      fail(
        argRanges[fixed] ?? e.range,
        'Too many function arguments',
        `"${e.name}" takes ${fixed}, got ${args.length}`,
      );
    }
    if (fn.variadic) args = [...args.slice(0, fixed), args.slice(fixed)];
    let result: HclValue;
    try {
      // Functions walk their arguments: one step per 256 bytes, beside their own charges.
      let bytes = 0;
      for (let i = 0; i < args.length; i++) bytes += sizeOf(args[i]!, this.budget.sizes);
      chargeSteps(this.budget, 1 + (bytes >> 8));
      result = fn.call(args, this.functionContext());
      chargeValue(this.budget, result);
    } catch (err) {
      if (err instanceof LimitExceeded) exhausted(e.range, `${e.name}: ${err.message}`);
      if (err instanceof FunctionError) {
        const at = err.argIndex !== undefined ? (argRanges[err.argIndex] ?? e.range) : e.range;
        fail(at, 'Invalid function argument', `${e.name}: ${err.message}`);
      }
      if (err instanceof EvalFail) throw err;
      const msg = err instanceof Error ? err.message : String(err);
      return fail(e.range, 'Error in function call', `${e.name}: ${msg}`);
    }
    return result;
  }

  /** The context functions see, with `charge` drawing on this evaluation's budget. */
  private functionContext(): FunctionContext {
    if (this.fctx === undefined) {
      const budget = this.budget;
      this.fctx = { ...this.ctx.functionContext, charge: (n: number) => chargeSteps(budget, n) };
    }
    return this.fctx;
  }

  /**
   * `convert(value, type)`: the second argument is a type expression (`list(number)`), read with
   * the variable-type parser rather than evaluated, so it cannot be an ordinary library function.
   */
  private convertCall(e: Expression & { kind: 'FunctionCall' }): HclValue {
    if (e.expandFinal) fail(e.range, 'Invalid function arguments', 'convert does not accept "..." expansion');
    if (e.args.length !== 2) {
      const at = e.args.length > 2 ? e.args[2]!.range : e.range;
      fail(
        at,
        e.args.length > 2 ? 'Too many function arguments' : 'Not enough function arguments',
        `"convert" takes 2 (a value and a type), got ${e.args.length}`,
      );
    }
    const [valueExpr, typeExpr] = e.args as [Expression, Expression];
    const ty = parseTypeExpr(typeExpr);
    if (isTypeExprError(ty)) fail(ty.range, 'Invalid type specification', ty.message);
    const value = this.eval(valueExpr);
    if (containsDeferred(value)) return defer(e);
    try {
      return this.created(convertValue(value, ty), e.range);
    } catch (err) {
      if (!(err instanceof TypeConversionError)) throw err;
      const where =
        err.path.length > 0 ? ` at ${err.path.map((p) => `[${JSON.stringify(p)}]`).join('')}` : '';
      return fail(
        valueExpr.range,
        'Invalid function argument',
        `convert: cannot convert ${typeName(value)} to ${typeString(ty)}: ${err.message}${where}`,
      );
    }
  }

  /** `try` and `can` take their arguments unevaluated, so they live here, not in the library. */
  private tryOrCan(e: Expression & { kind: 'FunctionCall' }): HclValue {
    if (e.name === 'can') {
      if (e.args.length !== 1 || e.expandFinal)
        fail(e.range, 'Invalid function arguments', 'can takes exactly one argument');
      try {
        const v = this.eval(e.args[0]!);
        return containsDeferred(v) ? defer(e) : true;
      } catch (err) {
        if (err instanceof EvalFail && !err.exhausted) return false;
        throw err;
      }
    }
    if (e.args.length === 0 || e.expandFinal)
      fail(e.range, 'Invalid function arguments', 'try needs at least one argument');
    const diags: Diagnostic[] = [];
    for (const a of e.args) {
      try {
        const v = this.eval(a);
        return containsDeferred(v) ? defer(e) : v;
      } catch (err) {
        if (!(err instanceof EvalFail) || err.exhausted) throw err;
        diags.push(...err.diagnostics);
      }
    }
    return fail(
      e.range,
      'No expression succeeded',
      `every argument of try failed; the first: ${diags[0]?.summary ?? ''}`,
    );
  }
}
