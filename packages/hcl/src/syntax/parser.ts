import { diagError, type Diagnostic } from '../diagnostics.js';
import type {
  BinaryOp,
  Body,
  Expression,
  ObjectItem,
  ParsedFile,
  Pos,
  Range,
  TemplateExpr,
  Traverser,
} from './ast.js';
import { SourceFile } from './ast.js';
import { Lexer, Tok, type Token } from './lexer.js';
import { parseBody } from './body.js';
import { parseTemplateBody } from './template.js';

/** Deepest nesting of expressions and blocks accepted; beyond it parsing stops with a diagnostic. */
export const MAX_NESTING = 200;

/** Thrown to unwind a failed body item (the diagnostic is already recorded). */
export class SyntaxFail {}
/** Thrown to abandon the whole file when nesting exceeds MAX_NESTING. */
class TooDeep {}

// Binary operators by token type: precedence (1 loosest … 6 tightest) and spelling. Every level
// is left-associative, as in HCL.
const PREC = new Int8Array(64);
const OP_NAME: BinaryOp[] = [];
for (const [tok, prec, op] of [
  [Tok.Or, 1, '||'],
  [Tok.And, 2, '&&'],
  [Tok.EqualEqual, 3, '=='],
  [Tok.NotEqual, 3, '!='],
  [Tok.Lt, 4, '<'],
  [Tok.Gt, 4, '>'],
  [Tok.Le, 4, '<='],
  [Tok.Ge, 4, '>='],
  [Tok.Plus, 5, '+'],
  [Tok.Minus, 5, '-'],
  [Tok.Star, 6, '*'],
  [Tok.Slash, 6, '/'],
  [Tok.Percent, 6, '%'],
] as const) {
  PREC[tok] = prec;
  OP_NAME[tok] = op;
}

const TOKEN_NAMES: Record<number, string> = {
  [Tok.EOF]: 'end of file',
  [Tok.Newline]: 'newline',
  [Tok.OQuote]: 'quote',
  [Tok.OBrace]: '"{"',
  [Tok.CBrace]: '"}"',
  [Tok.OBrack]: '"["',
  [Tok.CBrack]: '"]"',
  [Tok.OParen]: '"("',
  [Tok.CParen]: '")"',
  [Tok.Comma]: '","',
  [Tok.Equal]: '"="',
  [Tok.Colon]: '":"',
};

/**
 * Parses an HCL2 native-syntax file into a Body and diagnostics. Several errors are reported at
 * once: a broken attribute or block is skipped up to the end of its line. Never throws. Pure.
 *
 * @example
 * const { body, diagnostics } = parseHcl('job "web" {\n  datacenters = ["dc1"]\n}\n', 'web.hcl');
 */
export function parseHcl(source: string, filename = '<input>'): ParsedFile {
  const file = new SourceFile(filename, source);
  const p = new Parser(file);
  let body: Body;
  try {
    body = parseBody(p, Tok.EOF);
  } catch (e) {
    if (!(e instanceof TooDeep)) throw e;
    const at = p.lx.here();
    body = { kind: 'Body', attributes: [], blocks: [], items: [], range: { file, start: at, end: at } };
  }
  return { file, body, diagnostics: p.diags };
}

/** Parses a standalone expression (for `-var` values and tests). Pure. */
export function parseExpression(
  source: string,
  filename = '<expr>',
): { expr?: Expression; diagnostics: Diagnostic[] } {
  const file = new SourceFile(filename, source);
  const p = new Parser(file);
  try {
    p.pushNl(false);
    const expr = p.parseExpression();
    const t = p.peek();
    if (t.type !== Tok.EOF)
      p.fail(t, 'Extra characters after expression', 'expected the end of the expression');
    return { expr, diagnostics: p.diags };
  } catch (e) {
    if (!(e instanceof TooDeep) && !(e instanceof SyntaxFail)) throw e;
    return { diagnostics: p.diags };
  }
}

/** The recursive-descent parser; template text is handled by template.ts. */
export class Parser {
  readonly lx: Lexer;
  readonly diags: Diagnostic[] = [];
  private peeked: Token | null = null;
  /** Whether newlines are tokens, innermost context last. */
  readonly nl: boolean[] = [true];
  /** Current nesting depth (bounded by MAX_NESTING). */
  depth = 0;

  constructor(readonly file: SourceFile) {
    this.lx = new Lexer(file);
  }

  pushNl(include: boolean): void {
    this.nl.push(include);
  }

  popNl(): void {
    this.nl.pop();
  }

  peek(): Token {
    let t = this.peeked;
    if (t === null) t = this.peeked = this.lx.next();
    if (t.type === Tok.Newline && !this.nl[this.nl.length - 1]) {
      do t = this.lx.next();
      while (t.type === Tok.Newline);
      this.peeked = t;
    }
    return t;
  }

  read(): Token {
    const t = this.peek();
    this.peeked = null;
    return t;
  }

  /** True when no token has been looked at beyond the lexer's position (template code needs this). */
  hasPeeked(): boolean {
    return this.peeked !== null;
  }

  range(t: Token): Range {
    return {
      file: this.file,
      start: { line: t.line, column: t.col, offset: t.start },
      end: { line: t.endLine, column: t.endCol, offset: t.end },
    };
  }

  between(a: Range, b: Range): Range {
    return { file: this.file, start: a.start, end: b.end };
  }

  /** Records an error at a token and unwinds the current body item. */
  fail(t: Token, summary: string, detail?: string): never {
    this.diags.push(diagError(this.range(t), summary, detail));
    throw new SyntaxFail();
  }

  /** Records an error at a range and unwinds the current body item. */
  failAt(r: Range, summary: string, detail?: string): never {
    this.diags.push(diagError(r, summary, detail));
    throw new SyntaxFail();
  }

  enter(at: Token | Pos): void {
    if (++this.depth > MAX_NESTING) {
      const pos = 'offset' in at ? at : { line: at.line, column: at.col, offset: at.start };
      this.diags.push(
        diagError(
          { file: this.file, start: pos, end: pos },
          'Nesting too deep',
          `more than ${MAX_NESTING} nested blocks or expressions`,
        ),
      );
      throw new TooDeep();
    }
  }

  leave(): void {
    this.depth--;
  }

  /** A token as the user would name it in a message. */
  describe(t: Token): string {
    if (t.type === Tok.Ident || t.type === Tok.Number || t.type === Tok.Invalid) return `"${t.text}"`;
    return TOKEN_NAMES[t.type] ?? 'token';
  }

  // ---- expressions ---------------------------------------------------------------------------

  parseExpression(): Expression {
    const start = this.peek();
    this.enter(start);
    const cond = this.parseBinary(0);
    let result = cond;
    if (this.peek().type === Tok.Question) {
      this.read();
      const trueResult = this.parseExpression();
      const colon = this.peek();
      if (colon.type !== Tok.Colon)
        this.fail(colon, 'Missing false expression in conditional', 'expected ":"');
      this.read();
      const falseResult = this.parseExpression();
      result = {
        kind: 'Conditional',
        condition: cond,
        trueResult,
        falseResult,
        range: this.between(cond.range, falseResult.range),
      };
    }
    this.leave();
    return result;
  }

  /** Precedence climbing: operands bind to operators tighter than `minPrec`. */
  private parseBinary(minPrec: number): Expression {
    let lhs = this.parseWithTraversals();
    // Each operator deepens the (left-leaning) tree without recursing here; count it so that
    // evaluating the tree later stays within the nesting bound too.
    let chain = 0;
    for (;;) {
      const t = this.peek();
      const prec = PREC[t.type]!;
      if (prec <= minPrec) break;
      this.read();
      this.enter(t);
      chain++;
      const rhs = this.parseBinary(prec);
      lhs = { kind: 'Binary', op: OP_NAME[t.type]!, lhs, rhs, range: this.between(lhs.range, rhs.range) };
    }
    this.depth -= chain;
    return lhs;
  }

  private parseWithTraversals(): Expression {
    return this.parseTraversals(this.parseTerm());
  }

  parseTraversals(from: Expression): Expression {
    const depth = this.depth;
    try {
      return this.traversalChain(from);
    } finally {
      this.depth = depth;
    }
  }

  private traversalChain(from: Expression): Expression {
    let ret = from;
    for (;;) {
      const next = this.peek();
      // Every step may wrap `ret` in a new node; bound the depth that builds up.
      if (next.type === Tok.Dot || next.type === Tok.OBrack) this.enter(next);
      if (next.type === Tok.Dot) {
        this.read();
        const attr = this.peek();
        if (attr.type === Tok.Ident) {
          this.read();
          ret = this.addStep(ret, {
            kind: 'attr',
            name: attr.text,
            range: this.between(this.range(next), this.range(attr)),
          });
        } else if (attr.type === Tok.Number) {
          this.read();
          if (attr.text.includes('.')) {
            this.fail(attr, 'Invalid legacy index syntax', 'use brackets, as in [0], to index a sequence');
          }
          ret = this.addStep(ret, {
            kind: 'index',
            key: Number(attr.text),
            range: this.between(this.range(next), this.range(attr)),
          });
        } else if (attr.type === Tok.Star) {
          const star = this.read();
          ret = this.finishAttrSplat(from, ret, next, star);
        } else {
          this.fail(attr, 'Invalid attribute name', 'an attribute name is required after a dot');
        }
      } else if (next.type === Tok.OBrack) {
        const open = this.read();
        this.pushNl(false);
        if (this.peek().type === Tok.Star) {
          this.read();
          const close = this.read();
          this.popNl();
          if (close.type !== Tok.CBrack)
            this.fail(close, 'Missing close bracket on splat index', 'expected "]"');
          const item = {
            kind: 'AnonSymbol' as const,
            range: this.between(this.range(open), this.range(close)),
          };
          this.enter(open);
          const each = this.parseTraversals(item);
          this.leave();
          ret = { kind: 'Splat', source: ret, each, item, range: this.between(from.range, each.range) };
          continue;
        }
        const key = this.parseExpression();
        const close = this.read();
        this.popNl();
        if (close.type !== Tok.CBrack) this.fail(close, 'Missing close bracket on index', 'expected "]"');
        const rng = this.between(this.range(open), this.range(close));
        const lit = staticKey(key);
        if (lit !== NOT_STATIC) ret = this.addStep(ret, { kind: 'index', key: lit, range: rng });
        else ret = { kind: 'Index', collection: ret, key, range: this.between(from.range, rng) };
      } else {
        return ret;
      }
    }
  }

  private finishAttrSplat(from: Expression, source: Expression, dot: Token, star: Token): Expression {
    const item = { kind: 'AnonSymbol' as const, range: this.between(this.range(dot), this.range(star)) };
    const steps: Traverser[] = [];
    let firstRange: Range | undefined;
    let lastRange = this.range(star);
    while (this.peek().type === Tok.Dot) {
      const d = this.read();
      const t = this.read();
      firstRange ??= this.range(d);
      if (t.type === Tok.Number && !t.text.includes('.')) {
        steps.push({ kind: 'index', key: Number(t.text), range: this.between(this.range(d), this.range(t)) });
      } else if (t.type === Tok.Ident) {
        steps.push({ kind: 'attr', name: t.text, range: this.between(this.range(d), this.range(t)) });
      } else if (t.type === Tok.Star) {
        this.fail(
          t,
          'Nested splat expression not allowed',
          'only one splat may appear in an attribute-only splat',
        );
      } else {
        this.fail(t, 'Invalid attribute name', 'an attribute name is required after a dot');
      }
      lastRange = this.range(t);
    }
    const each: Expression =
      steps.length === 0
        ? item
        : {
            kind: 'RelativeTraversal',
            source: item,
            traversal: steps,
            range: this.between(firstRange!, lastRange),
          };
    return { kind: 'Splat', source, each, item, range: this.between(from.range, lastRange) };
  }

  private addStep(expr: Expression, step: Traverser): Expression {
    if (expr.kind === 'ScopeTraversal' || expr.kind === 'RelativeTraversal') {
      expr.traversal.push(step);
      return { ...expr, range: this.between(expr.range, step.range) };
    }
    return {
      kind: 'RelativeTraversal',
      source: expr,
      traversal: [step],
      range: this.between(expr.range, step.range),
    };
  }

  private parseTerm(): Expression {
    const t = this.peek();
    switch (t.type) {
      case Tok.OParen: {
        this.read();
        this.pushNl(false);
        const inner = this.parseExpression();
        const close = this.read();
        this.popNl();
        if (close.type !== Tok.CParen) this.fail(close, 'Unbalanced parentheses', 'expected ")"');
        return {
          kind: 'Parentheses',
          expression: inner,
          range: this.between(this.range(t), this.range(close)),
        };
      }
      case Tok.Number: {
        this.read();
        return { kind: 'Literal', value: this.numberValue(t), range: this.range(t) };
      }
      case Tok.Ident: {
        this.read();
        if (this.peek().type === Tok.OParen) return this.finishCall(t);
        const r = this.range(t);
        if (t.text === 'true') return { kind: 'Literal', value: true, range: r };
        if (t.text === 'false') return { kind: 'Literal', value: false, range: r };
        if (t.text === 'null') return { kind: 'Literal', value: null, range: r };
        return { kind: 'ScopeTraversal', root: t.text, rootRange: r, traversal: [], range: r };
      }
      case Tok.OQuote:
      case Tok.OHeredoc: {
        this.read();
        this.enter(t);
        const tmpl = parseTemplateBody(this, t);
        this.leave();
        return tmpl;
      }
      case Tok.Minus:
      case Tok.Bang: {
        this.read();
        this.enter(t);
        const operand = this.parseWithTraversals();
        this.leave();
        return {
          kind: 'Unary',
          op: t.type === Tok.Minus ? '-' : '!',
          operand,
          range: this.between(this.range(t), operand.range),
        };
      }
      case Tok.OBrack:
        return this.parseTuple();
      case Tok.OBrace:
        return this.parseObject();
      default:
        return this.fail(
          t,
          'Invalid expression',
          `expected the start of an expression, found ${this.describe(t)}`,
        );
    }
  }

  private numberValue(t: Token): number {
    if (!NUMBER.test(t.text)) this.fail(t, 'Invalid number literal', `"${t.text}" is not a number`);
    return Number(t.text);
  }

  private finishCall(name: Token): Expression {
    this.read(); // "("
    this.pushNl(false);
    const args: Expression[] = [];
    let expandFinal = false;
    let close: Token;
    for (;;) {
      if (this.peek().type === Tok.CParen) {
        close = this.read();
        break;
      }
      args.push(this.parseExpression());
      const sep = this.read();
      if (sep.type === Tok.CParen) {
        close = sep;
        break;
      }
      if (sep.type === Tok.Ellipsis) {
        expandFinal = true;
        close = this.read();
        if (close.type !== Tok.CParen)
          this.fail(close, 'Missing closing parenthesis', 'an expanded argument must be the last one');
        break;
      }
      if (sep.type !== Tok.Comma) this.fail(sep, 'Missing argument separator', 'expected "," or ")"');
    }
    this.popNl();
    const nameRange = this.range(name);
    return {
      kind: 'FunctionCall',
      name: name.text,
      nameRange,
      args,
      expandFinal,
      range: this.between(nameRange, this.range(close)),
    };
  }

  private parseTuple(): Expression {
    const open = this.read();
    this.pushNl(false);
    const first = this.peek();
    if (first.type === Tok.Ident && first.text === 'for') return this.finishFor(open);
    const items: Expression[] = [];
    let close: Token;
    for (;;) {
      if (this.peek().type === Tok.CBrack) {
        close = this.read();
        break;
      }
      items.push(this.parseExpression());
      const next = this.read();
      if (next.type === Tok.CBrack) {
        close = next;
        break;
      }
      if (next.type !== Tok.Comma) this.fail(next, 'Missing item separator', 'expected "," or "]"');
    }
    this.popNl();
    return { kind: 'Tuple', items, range: this.between(this.range(open), this.range(close)) };
  }

  private parseObject(): Expression {
    const open = this.read();
    this.pushNl(false);
    const first = this.peek();
    if (first.type === Tok.Ident && first.text === 'for') return this.finishFor(open);
    this.popNl();
    this.pushNl(true);
    const items: ObjectItem[] = [];
    let close: Token;
    for (;;) {
      const t = this.peek();
      if (t.type === Tok.Newline) {
        this.read();
        continue;
      }
      if (t.type === Tok.CBrace) {
        close = this.read();
        break;
      }
      const parenKey = t.type === Tok.OParen;
      const key = this.parseExpression();
      const sep = this.peek();
      if (sep.type !== Tok.Equal && sep.type !== Tok.Colon) {
        if (sep.type === Tok.Newline || sep.type === Tok.Comma) {
          this.fail(sep, 'Missing attribute value', 'expected "=" and a value after the key');
        }
        this.fail(sep, 'Missing key/value separator', 'expected "=" between the key and the value');
      }
      this.read();
      const value = this.parseExpression();
      const bareKey =
        !parenKey && key.kind === 'ScopeTraversal' && key.traversal.length === 0 ? key.root : undefined;
      items.push({ key, bareKey, value });
      const next = this.peek();
      if (next.type === Tok.CBrace) {
        close = this.read();
        break;
      }
      if (next.type !== Tok.Comma && next.type !== Tok.Newline) {
        this.fail(next, 'Missing attribute separator', 'expected a newline or "," after the value');
      }
      this.read();
    }
    this.popNl();
    return { kind: 'Object', items, range: this.between(this.range(open), this.range(close)) };
  }

  /** After `[` or `{` and with `for` peeked; newline inclusion was pushed by the caller. */
  private finishFor(open: Token): Expression {
    const isObj = open.type === Tok.OBrace;
    this.read(); // for
    let a = this.read();
    if (a.type !== Tok.Ident) this.fail(a, "Invalid 'for' expression", 'expected an iterator variable name');
    let keyVar: string | undefined;
    let valVar = a.text;
    if (this.peek().type === Tok.Comma) {
      this.read();
      a = this.read();
      if (a.type !== Tok.Ident)
        this.fail(a, "Invalid 'for' expression", 'expected a value variable name after ","');
      keyVar = valVar;
      valVar = a.text;
    }
    const inTok = this.read();
    if (inTok.type !== Tok.Ident || inTok.text !== 'in')
      this.fail(inTok, "Invalid 'for' expression", 'expected "in"');
    const collection = this.parseExpression();
    const colon = this.read();
    if (colon.type !== Tok.Colon) this.fail(colon, "Invalid 'for' expression", 'expected ":"');
    let keyExpr: Expression | undefined;
    let valExpr = this.parseExpression();
    if (this.peek().type === Tok.FatArrow) {
      this.read();
      keyExpr = valExpr;
      valExpr = this.parseExpression();
    }
    let group = false;
    if (this.peek().type === Tok.Ellipsis) {
      this.read();
      group = true;
    }
    let condExpr: Expression | undefined;
    const maybeIf = this.peek();
    if (maybeIf.type === Tok.Ident && maybeIf.text === 'if') {
      this.read();
      condExpr = this.parseExpression();
    }
    const close = this.read();
    if (close.type !== (isObj ? Tok.CBrace : Tok.CBrack)) {
      this.fail(close, "Invalid 'for' expression", `expected "${isObj ? '}' : ']'}"`);
    }
    const range = this.between(this.range(open), this.range(close));
    if (!isObj && keyExpr)
      this.failAt(range, "Invalid 'for' expression", 'a tuple for expression has no key "=>"');
    if (!isObj && group)
      this.failAt(range, "Invalid 'for' expression", 'grouping "..." is only for object for expressions');
    if (isObj && !keyExpr)
      this.failAt(range, "Invalid 'for' expression", 'an object for expression needs "key => value"');
    this.popNl();
    return { kind: 'For', keyVar, valVar, collection, keyExpr, valExpr, condExpr, group, range };
  }
}

const NOT_STATIC = Symbol('not static');
const NUMBER = /^\d+(\.\d*)?([eE][-+]?\d+)?$/;

/** The key of `x[key]` when it is a literal or a plain string: HCL makes that a static step. */
function staticKey(key: Expression): null | boolean | number | string | typeof NOT_STATIC {
  if (key.kind === 'Literal') return key.value;
  if (key.kind === 'Template' && key.parts.length === 1 && key.parts[0]!.kind === 'Literal')
    return key.parts[0].value;
  return NOT_STATIC;
}

export type { TemplateExpr };
