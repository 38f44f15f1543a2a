// ---- syntax, evaluation, diagnostics (parser and evaluator) ----
export type {
  AnonSymbolExpr,
  Attribute,
  BinaryExpr,
  BinaryOp,
  Block,
  Body,
  ConditionalExpr,
  Expression,
  ForExpr,
  FunctionCallExpr,
  IndexExpr,
  LiteralExpr,
  ObjectExpr,
  ObjectItem,
  ParenthesesExpr,
  ParsedFile,
  Pos,
  Range,
  RelativeTraversalExpr,
  ScopeTraversalExpr,
  SplatExpr,
  TemplateExpr,
  TemplateForExpr,
  TemplateIfExpr,
  TemplateWrapExpr,
  Traverser,
  TupleExpr,
  UnaryExpr,
} from './syntax/ast.js';
export { SourceFile } from './syntax/ast.js';
export { parseHcl, parseExpression, MAX_NESTING } from './syntax/parser.js';
export { evaluateExpression } from './eval/evaluate.js';
export {
  createEvalBudget,
  MAX_COLLECTION_LENGTH,
  MAX_EVAL_BYTES,
  MAX_EVAL_STEPS,
  MAX_STRING_LENGTH,
  MAX_VALUE_DEPTH,
} from './eval/budget.js';
export type { EvalBudget } from './eval/budget.js';
export { MAX_BCRYPT_COST } from './functions/crypto.js';
export type { EvalContext, EvalResult } from './eval/evaluate.js';
export {
  containsDeferred,
  toBool,
  toNum,
  toStr,
  typeName,
  valuesEqual,
  ConversionError,
} from './eval/convert.js';
export { diagError, formatDiagnostic, formatDiagnostics } from './diagnostics.js';
export type { Diagnostic } from './diagnostics.js';
export { hclToJson, formatNumber } from './hclToJson.js';
export type { HclToJsonResult, Json } from './hclToJson.js';

// ---- values and function interface (shared) ----
export { Deferred, isDeferred } from './values.js';
export type { HclObject, HclValue } from './values.js';
export { FunctionError } from './functions/types.js';
export type { FunctionContext, HclFunction } from './functions/types.js';

// ---- functions, variables, jobspec (B2) ----
export { jobspecFunctions } from './functions/library.js';
export { formatString } from './functions/format.js';
export { formatDate, parseGoDuration } from './functions/datetime.js';
export { uuidV5 } from './functions/crypto.js';
export { t as hclTypes, typeString } from './types/hclType.js';
export type { HclType } from './types/hclType.js';
export { convertValue, ConversionError as TypeConversionError } from './types/convert.js';
export { parseTypeExpr, isTypeExprError } from './types/typeExpr.js';
export type { TypeExprError } from './types/typeExpr.js';
export { parseJobspec, decodeJobspec } from './jobspec/parseJobspec.js';
export type { JobspecResult, ParseJobspecOptions } from './jobspec/parseJobspec.js';
export type { VarFile } from './jobspec/variables.js';
