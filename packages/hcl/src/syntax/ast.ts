/**
 * The HCL2 native-syntax AST. Every node carries a source `range`; positions are 1-based
 * line and column plus a 0-based `offset` into the source string (UTF-16 code units, which
 * equal byte offsets for ASCII text). Ranges point at their `SourceFile`, so a diagnostic or a
 * deferred expression can quote the source without being handed it again.
 */

import type { Diagnostic } from '../diagnostics.js';

/** The text of one parsed file. `toJSON` keeps ASTs printable without repeating the text. */
export class SourceFile {
  constructor(
    readonly name: string,
    readonly text: string,
  ) {}

  /** The source text a range covers. */
  slice(range: Range): string {
    return this.text.slice(range.start.offset, range.end.offset);
  }

  toJSON(): string {
    return this.name;
  }
}

/** A position: 1-based line and column, 0-based offset into the source string. */
export interface Pos {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

/** A half-open source range [start, end). */
export interface Range {
  readonly file: SourceFile;
  readonly start: Pos;
  readonly end: Pos;
}

/** A whole file or the inside of a block's braces. `items` keeps source order. */
export interface Body {
  readonly kind: 'Body';
  readonly attributes: Attribute[];
  readonly blocks: Block[];
  readonly items: (Attribute | Block)[];
  readonly range: Range;
}

/** `name = expr`. */
export interface Attribute {
  readonly kind: 'Attribute';
  readonly name: string;
  readonly nameRange: Range;
  readonly expr: Expression;
  readonly range: Range;
}

/** `type "label" ident { body }`. Labels may be quoted strings or identifiers. */
export interface Block {
  readonly kind: 'Block';
  readonly type: string;
  readonly typeRange: Range;
  readonly labels: string[];
  readonly labelRanges: Range[];
  readonly body: Body;
  readonly range: Range;
}

/** Every expression node. */
export type Expression =
  | LiteralExpr
  | TemplateExpr
  | TemplateWrapExpr
  | TemplateIfExpr
  | TemplateForExpr
  | ScopeTraversalExpr
  | RelativeTraversalExpr
  | IndexExpr
  | SplatExpr
  | AnonSymbolExpr
  | FunctionCallExpr
  | ConditionalExpr
  | BinaryExpr
  | UnaryExpr
  | ParenthesesExpr
  | TupleExpr
  | ObjectExpr
  | ForExpr;

/** A number, bool, null, or a string piece of a template. */
export interface LiteralExpr {
  readonly kind: 'Literal';
  readonly value: null | boolean | number | string;
  readonly range: Range;
}

/** A quoted string or heredoc with interpolations and directives; the result is a string. */
export interface TemplateExpr {
  readonly kind: 'Template';
  readonly parts: Expression[];
  readonly heredoc: boolean;
  readonly range: Range;
}

/** A template that is exactly one interpolation (`"${x}"`): its value is x's value, unconverted. */
export interface TemplateWrapExpr {
  readonly kind: 'TemplateWrap';
  readonly wrapped: Expression;
  readonly range: Range;
}

/** `%{if cond}…%{else}…%{endif}` inside a template. `condRange` spans the condition source. */
export interface TemplateIfExpr {
  readonly kind: 'TemplateIf';
  readonly condition: Expression;
  readonly trueResult: TemplateExpr;
  readonly falseResult: TemplateExpr;
  readonly range: Range;
}

/** `%{for k, v in coll}…%{endfor}` inside a template. */
export interface TemplateForExpr {
  readonly kind: 'TemplateFor';
  readonly keyVar: string | undefined;
  readonly valVar: string;
  readonly collection: Expression;
  readonly body: TemplateExpr;
  readonly range: Range;
}

/** One step of a static traversal: `.name`, `[literal]` or legacy `.0`. */
export type Traverser =
  | { readonly kind: 'attr'; readonly name: string; readonly range: Range }
  | { readonly kind: 'index'; readonly key: null | boolean | number | string; readonly range: Range };

/** `root.a[0].b`: a variable reference with static steps. */
export interface ScopeTraversalExpr {
  readonly kind: 'ScopeTraversal';
  readonly root: string;
  readonly rootRange: Range;
  readonly traversal: Traverser[];
  readonly range: Range;
}

/** Static steps applied to any other expression's value, e.g. `f(x).a` or `[1][0]`. */
export interface RelativeTraversalExpr {
  readonly kind: 'RelativeTraversal';
  readonly source: Expression;
  readonly traversal: Traverser[];
  readonly range: Range;
}

/** `coll[key]` with a non-literal key. */
export interface IndexExpr {
  readonly kind: 'Index';
  readonly collection: Expression;
  readonly key: Expression;
  readonly range: Range;
}

/** `src[*].each` or `src.*.each`; `each` refers to the current element through `item`. */
export interface SplatExpr {
  readonly kind: 'Splat';
  readonly source: Expression;
  readonly each: Expression;
  readonly item: AnonSymbolExpr;
  readonly range: Range;
}

/** The current element inside a splat's `each`. */
export interface AnonSymbolExpr {
  readonly kind: 'AnonSymbol';
  readonly range: Range;
}

/** `name(args...)`; `expandFinal` when the last argument ends with `...`. */
export interface FunctionCallExpr {
  readonly kind: 'FunctionCall';
  readonly name: string;
  readonly nameRange: Range;
  readonly args: Expression[];
  readonly expandFinal: boolean;
  readonly range: Range;
}

/** `cond ? a : b`. */
export interface ConditionalExpr {
  readonly kind: 'Conditional';
  readonly condition: Expression;
  readonly trueResult: Expression;
  readonly falseResult: Expression;
  readonly range: Range;
}

/** Binary operators, in HCL's spelling. */
export type BinaryOp = '||' | '&&' | '==' | '!=' | '<' | '>' | '<=' | '>=' | '+' | '-' | '*' | '/' | '%';

/** `lhs op rhs`. */
export interface BinaryExpr {
  readonly kind: 'Binary';
  readonly op: BinaryOp;
  readonly lhs: Expression;
  readonly rhs: Expression;
  readonly range: Range;
}

/** `-x` or `!x`. */
export interface UnaryExpr {
  readonly kind: 'Unary';
  readonly op: '-' | '!';
  readonly operand: Expression;
  readonly range: Range;
}

/** `( expr )`, kept so ranges include the parentheses. */
export interface ParenthesesExpr {
  readonly kind: 'Parentheses';
  readonly expression: Expression;
  readonly range: Range;
}

/** `[a, b, c]`. */
export interface TupleExpr {
  readonly kind: 'Tuple';
  readonly items: Expression[];
  readonly range: Range;
}

/**
 * One `key = value` of an object constructor. `bareKey` is set when the key is a lone
 * identifier (`{ name = 1 }`), which HCL reads as the string "name", not a variable.
 */
export interface ObjectItem {
  readonly key: Expression;
  readonly bareKey: string | undefined;
  readonly value: Expression;
}

/** `{ k = v, … }`. */
export interface ObjectExpr {
  readonly kind: 'Object';
  readonly items: ObjectItem[];
  readonly range: Range;
}

/** `[for k, v in coll : val if cond]` or `{for k, v in coll : key => val... if cond}`. */
export interface ForExpr {
  readonly kind: 'For';
  readonly keyVar: string | undefined;
  readonly valVar: string;
  readonly collection: Expression;
  /** Set for object `for` (`{…}`), absent for tuple `for` (`[…]`). */
  readonly keyExpr: Expression | undefined;
  readonly valExpr: Expression;
  readonly condExpr: Expression | undefined;
  /** `...` after the value: group values with the same key into lists. */
  readonly group: boolean;
  readonly range: Range;
}

/** Result of parsing a file: the body (partial when there are errors) and the diagnostics. */
export interface ParsedFile {
  readonly file: SourceFile;
  readonly body: Body;
  readonly diagnostics: Diagnostic[];
}
