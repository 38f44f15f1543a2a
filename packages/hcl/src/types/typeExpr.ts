/**
 * Reads a `type = …` expression of a `variable` block (an expression of keywords and calls,
 * never evaluated) into an HclType, as hcl's typeexpr extension does.
 */

import type { Expression, Range } from '../syntax/ast.js';
import { t, type HclType } from './hclType.js';

/** A type expression that is not one; `range` points at the offending part. */
export interface TypeExprError {
  readonly message: string;
  readonly range: Range;
}

const KEYWORDS = "The keyword 'string', 'number', 'bool' or 'any', or a type constructor call";

/**
 * The type an expression denotes, or where it is wrong. Pure.
 * @example parseTypeExpr(parseExpr('list(string)')) // { kind: 'list', element: { kind: 'string' } }
 */
export function parseTypeExpr(expr: Expression): HclType | TypeExprError {
  switch (expr.kind) {
    case 'Parentheses':
      return parseTypeExpr(expr.expression);
    case 'ScopeTraversal': {
      if (expr.traversal.length > 0) return err(`${KEYWORDS} is required here.`, expr.range);
      switch (expr.root) {
        case 'string':
          return t.string;
        case 'number':
          return t.number;
        case 'bool':
          return t.bool;
        case 'any':
          return t.any;
        case 'list':
        case 'set':
        case 'map':
        case 'object':
        case 'tuple':
          return err(
            `The ${expr.root} type constructor requires one argument specifying the element type.`,
            expr.range,
          );
        default:
          return err(`The keyword "${expr.root}" is not a valid type specification.`, expr.range);
      }
    }
    case 'FunctionCall': {
      const name = expr.name;
      if (expr.args.length !== 1 || expr.expandFinal) {
        return err(`The ${name} type constructor requires one argument.`, expr.range);
      }
      const arg = expr.args[0] as Expression;
      switch (name) {
        case 'list':
        case 'set':
        case 'map': {
          const el = parseTypeExpr(arg);
          if (isTypeExprError(el)) return el;
          return name === 'list' ? t.list(el) : name === 'set' ? t.set(el) : t.map(el);
        }
        case 'object': {
          if (arg.kind !== 'Object') {
            return err('Object type constructor requires a map whose keys are attribute names.', arg.range);
          }
          const attrs: Record<string, HclType> = {};
          for (const item of arg.items) {
            const key =
              item.bareKey ??
              (item.key.kind === 'ScopeTraversal' && item.key.traversal.length === 0
                ? item.key.root
                : item.key.kind === 'Template' &&
                    item.key.parts.length === 1 &&
                    item.key.parts[0]?.kind === 'Literal'
                  ? String(item.key.parts[0].value)
                  : undefined);
            if (key === undefined)
              return err('Object constructor map keys must be attribute names.', item.key.range);
            const aty = parseTypeExpr(item.value);
            if (isTypeExprError(aty)) return aty;
            attrs[key] = aty;
          }
          return t.object(attrs);
        }
        case 'tuple': {
          if (arg.kind !== 'Tuple')
            return err('Tuple type constructor requires a list of element types.', arg.range);
          const els: HclType[] = [];
          for (const item of arg.items) {
            const el = parseTypeExpr(item);
            if (isTypeExprError(el)) return el;
            els.push(el);
          }
          return t.tuple(els);
        }
        default:
          return err(`Keyword "${name}" is not a valid type constructor.`, expr.nameRange);
      }
    }
    default:
      return err(`${KEYWORDS} is required here.`, expr.range);
  }
}

/** True when parseTypeExpr reported an error. */
export function isTypeExprError(v: HclType | TypeExprError): v is TypeExprError {
  return 'message' in v;
}

function err(message: string, range: Range): TypeExprError {
  return { message, range };
}
