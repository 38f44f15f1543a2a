/**
 * Evaluation scope of a jobspec: `var`, `local`, iterator variables of `dynamic` blocks, the
 * function library, and jobspec2's rule that every other root (`attr`, `node`, `meta`,
 * `NOMAD_*`, `env` …) is a run-time reference kept as its `${…}` text. Also the expansion of
 * `dynamic` blocks into the blocks they generate.
 */

import { diagError, type Diagnostic } from '../diagnostics.js';
import { evaluateExpression } from '../eval/evaluate.js';
import type { EvalBudget } from '../eval/budget.js';
import type { FunctionContext, HclFunction } from '../functions/types.js';
import type { Block, Body, Expression, Range } from '../syntax/ast.js';
import { isDeferred, type HclObject, type HclValue } from '../values.js';
import { isObject } from '../types/convert.js';

/** What expressions in one part of the file can see. */
export interface Scope {
  readonly variables: Record<string, HclValue>;
  readonly functions: Record<string, HclFunction>;
  readonly functionContext: FunctionContext;
  /** Blocks `dynamic` may still generate in this file; bounds hostile nesting. */
  readonly budget?: { dynamicBlocks: number };
  /** The file's evaluation budget, shared by every expression in it (variables, locals, body). */
  readonly evalBudget?: EvalBudget;
}

/** Most blocks all `dynamic` blocks of one file may generate together. */
export const MAX_DYNAMIC_BLOCKS = 10_000;

/** Roots resolved at evaluation time; everything else is deferred to the client. */
const OWN_ROOTS = new Set(['var', 'local']);

/** Evaluates `expr`; diagnostics go to `diags` and the result is undefined on error. */
export function evalIn(scope: Scope, expr: Expression, diags: Diagnostic[]): HclValue | undefined {
  const r = evaluateExpression(expr, {
    variables: scope.variables,
    functions: scope.functions,
    functionContext: scope.functionContext,
    deferRoot: (name) => !OWN_ROOTS.has(name) && !(name in scope.variables),
    budget: scope.evalBudget,
  });
  if (!r.ok) {
    diags.push(...r.diagnostics);
    return undefined;
  }
  return r.value;
}

/** A block after `dynamic` expansion, with the scope its body is evaluated in. */
export interface ScopedBlock {
  readonly type: string;
  readonly labels: string[];
  readonly body: Body;
  readonly range: Range;
  readonly typeRange: Range;
  readonly scope: Scope;
}

/**
 * The blocks of `body`, with each `dynamic "x" { for_each, iterator, labels, content }`
 * replaced by one `x` block per element of `for_each`. Nested dynamic blocks expand when their
 * parent's body is walked, in the parent's iteration scope.
 */
export function expandBlocks(body: Body, scope: Scope, diags: Diagnostic[]): ScopedBlock[] {
  const out: ScopedBlock[] = [];
  for (const b of body.blocks) {
    if (b.type !== 'dynamic') {
      out.push({ ...b, scope });
      continue;
    }
    out.push(...expandDynamic(b, scope, diags));
  }
  return out;
}

function expandDynamic(b: Block, scope: Scope, diags: Diagnostic[]): ScopedBlock[] {
  const type = b.labels[0];
  if (b.labels.length !== 1 || type === undefined) {
    diags.push(
      diagError(
        b.typeRange,
        'Missing block label',
        'a dynamic block needs one label: the type of block to generate',
      ),
    );
    return [];
  }
  let forEach: Expression | undefined;
  let iterator = type;
  let labelsExpr: Expression | undefined;
  for (const a of b.body.attributes) {
    if (a.name === 'for_each') forEach = a.expr;
    else if (a.name === 'labels') labelsExpr = a.expr;
    else if (a.name === 'iterator') {
      if (a.expr.kind === 'ScopeTraversal' && a.expr.traversal.length === 0) iterator = a.expr.root;
      else diags.push(diagError(a.expr.range, 'Invalid dynamic iterator name', 'expected a bare identifier'));
    } else
      diags.push(
        diagError(
          a.nameRange,
          'Unsupported argument',
          `an argument named "${a.name}" is not expected in a dynamic block`,
        ),
      );
  }
  const contents = b.body.blocks.filter((x) => x.type === 'content');
  for (const x of b.body.blocks) {
    if (x.type !== 'content')
      diags.push(
        diagError(
          x.typeRange,
          'Unsupported block type',
          `blocks of type "${x.type}" are not expected in a dynamic block`,
        ),
      );
  }
  if (!forEach) {
    diags.push(
      diagError(
        b.range,
        'Missing required argument',
        'the argument "for_each" is required in a dynamic block',
      ),
    );
    return [];
  }
  const content = contents[0];
  if (!content || contents.length > 1) {
    diags.push(
      diagError(b.range, 'Missing content block', 'a dynamic block needs exactly one content block'),
    );
    return [];
  }
  const coll = evalIn(scope, forEach, diags);
  if (coll === undefined) return [];
  if (coll === null || isDeferred(coll) || typeof coll !== 'object') {
    diags.push(
      diagError(
        forEach.range,
        'Invalid dynamic for_each value',
        'cannot use a value that is only known at run time or is not a collection',
      ),
    );
    return [];
  }
  const entries: [HclValue, HclValue][] = Array.isArray(coll)
    ? coll.map((v, i) => [i, v])
    : Object.keys(coll)
        .sort()
        .map((k) => [k, (coll as HclObject)[k] ?? null]);
  const out: ScopedBlock[] = [];
  const budget = scope.budget;
  if (budget) {
    budget.dynamicBlocks -= entries.length;
    if (budget.dynamicBlocks < 0) {
      diags.push(
        diagError(
          forEach.range,
          'Too many dynamic blocks',
          `dynamic blocks may generate at most ${MAX_DYNAMIC_BLOCKS} blocks per file`,
        ),
      );
      return [];
    }
  }
  for (const [key, value] of entries) {
    const inner: Scope = { ...scope, variables: { ...scope.variables, [iterator]: { key, value } } };
    let labels: string[] = [];
    if (labelsExpr) {
      const lv = evalIn(inner, labelsExpr, diags);
      if (lv === undefined) continue;
      if (!Array.isArray(lv) || lv.some((l) => typeof l !== 'string' && typeof l !== 'number')) {
        diags.push(diagError(labelsExpr.range, 'Invalid dynamic block labels', 'expected a list of strings'));
        continue;
      }
      labels = lv.map(String);
    }
    out.push({ type, labels, body: content.body, range: b.range, typeRange: b.typeRange, scope: inner });
  }
  return out;
}

/** True when `v` is a map/object value. */
export { isObject };
