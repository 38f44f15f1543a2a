import type { Pos, Range, SourceFile } from './ast.js';

/** Token types of HCL's normal (non-template) mode. Plain numbers: the hot loop compares ints. */
export const Tok = {
  EOF: 0,
  Newline: 1,
  Ident: 2,
  Number: 3,
  OQuote: 4,
  OHeredoc: 5,
  OBrace: 6,
  CBrace: 7,
  OBrack: 8,
  CBrack: 9,
  OParen: 10,
  CParen: 11,
  Comma: 12,
  Dot: 13,
  Ellipsis: 14,
  Colon: 15,
  Question: 16,
  Equal: 17,
  FatArrow: 18,
  Plus: 19,
  Minus: 20,
  Star: 21,
  Slash: 22,
  Percent: 23,
  EqualEqual: 24,
  NotEqual: 25,
  Lt: 26,
  Gt: 27,
  Le: 28,
  Ge: 29,
  And: 30,
  Or: 31,
  Bang: 32,
  TildeCBrace: 33,
  Invalid: 34,
  Unterminated: 35,
} as const;

/** One token: its type, source span and, for identifiers/numbers/heredoc markers, its text. */
export interface Token {
  readonly type: number;
  readonly start: number;
  readonly end: number;
  readonly line: number;
  readonly col: number;
  readonly endLine: number;
  readonly endCol: number;
  /** Identifier name, number text, or heredoc marker (with `flush` for `<<-`). */
  readonly text: string;
  readonly flush: boolean;
}

/** 1 for ASCII letters, digits, `_` and `-`: the identifier characters of the hot loop. */
const ID_CONTINUE_ASCII = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45) {
    ID_CONTINUE_ASCII[c] = 1;
  }
}

const NON_ASCII_ID_START = /[\p{ID_Start}]/u;
const NON_ASCII_ID_CONTINUE = /[\p{ID_Continue}]/u;

/** True for characters that may start an identifier. ASCII fast path, Unicode via a regex. */
export function isIdStart(c: number, text: string, i: number): boolean {
  if (c < 128) return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
  return NON_ASCII_ID_START.test(String.fromCodePoint(text.codePointAt(i)!));
}

function isIdContinue(c: number, text: string, i: number): boolean {
  if (c < 128)
    return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45;
  return NON_ASCII_ID_CONTINUE.test(String.fromCodePoint(text.codePointAt(i)!));
}

/**
 * A hand-written scanner over char codes. `next()` yields normal-mode tokens; the parser reads
 * template text itself through `pos`/`advance`, because HCL's modes nest (`"${ "${x}" }"`).
 */
export class Lexer {
  pos = 0;
  line = 1;
  lineStart = 0;
  readonly text: string;
  readonly len: number;

  constructor(readonly file: SourceFile) {
    this.text = file.text;
    this.len = file.text.length;
  }

  /** The current position. */
  here(): Pos {
    return { line: this.line, column: this.pos - this.lineStart + 1, offset: this.pos };
  }

  /** A range from `start` to the current position. */
  rangeFrom(start: Pos): Range {
    return { file: this.file, start, end: this.here() };
  }

  /** Moves past one newline (`\n` or `\r\n`) at `pos`, keeping line bookkeeping. */
  newline(): void {
    if (this.text.charCodeAt(this.pos) === 13) this.pos++;
    this.pos++;
    this.line++;
    this.lineStart = this.pos;
  }

  private tok(type: number, start: number, line: number, col: number, text = '', flush = false): Token {
    return {
      type,
      start,
      end: this.pos,
      line,
      col,
      endLine: this.line,
      endCol: this.pos - this.lineStart + 1,
      text,
      flush,
    };
  }

  /** Scans the next normal-mode token, skipping spaces and comments. */
  next(): Token {
    const t = this.text;
    for (;;) {
      const c = t.charCodeAt(this.pos);
      if (c === 32 || c === 9) {
        this.pos++;
      } else if (c === 35 || (c === 47 && t.charCodeAt(this.pos + 1) === 47)) {
        // A line comment: the newline that ends it still separates body items.
        while (this.pos < this.len) {
          const d = t.charCodeAt(this.pos);
          // Only \n or \r\n ends a comment; a lone \r is part of it, as in HCL.
          if (d === 10 || (d === 13 && t.charCodeAt(this.pos + 1) === 10)) break;
          this.pos++;
        }
      } else if (c === 47 && t.charCodeAt(this.pos + 1) === 42) {
        const line = this.line;
        const col = this.pos - this.lineStart + 1;
        const start = this.pos;
        this.pos += 2;
        for (;;) {
          if (this.pos >= this.len) return this.tok(Tok.Unterminated, start, line, col, 'comment');
          const d = t.charCodeAt(this.pos);
          if (d === 42 && t.charCodeAt(this.pos + 1) === 47) {
            this.pos += 2;
            break;
          }
          if (d === 10 || (d === 13 && t.charCodeAt(this.pos + 1) === 10)) this.newline();
          else this.pos++;
        }
      } else if (c === 13 && t.charCodeAt(this.pos + 1) !== 10) {
        const start = this.pos;
        this.pos++;
        return this.tok(Tok.Invalid, start, this.line, start - this.lineStart + 1, '\r');
      } else {
        break;
      }
    }
    const start = this.pos;
    const line = this.line;
    const col = start - this.lineStart + 1;
    if (start >= this.len) return this.tok(Tok.EOF, start, line, col);
    const c = t.charCodeAt(start);
    const n = t.charCodeAt(start + 1);
    switch (c) {
      case 10:
      case 13:
        this.newline();
        return {
          type: Tok.Newline,
          start,
          end: this.pos,
          line,
          col,
          endLine: line,
          endCol: col + 1,
          text: '',
          flush: false,
        };
      case 34:
        this.pos++;
        return this.tok(Tok.OQuote, start, line, col);
      case 123:
        this.pos++;
        return this.tok(Tok.OBrace, start, line, col);
      case 125:
        this.pos++;
        return this.tok(Tok.CBrace, start, line, col);
      case 91:
        this.pos++;
        return this.tok(Tok.OBrack, start, line, col);
      case 93:
        this.pos++;
        return this.tok(Tok.CBrack, start, line, col);
      case 40:
        this.pos++;
        return this.tok(Tok.OParen, start, line, col);
      case 41:
        this.pos++;
        return this.tok(Tok.CParen, start, line, col);
      case 44:
        this.pos++;
        return this.tok(Tok.Comma, start, line, col);
      case 46:
        if (n === 46 && t.charCodeAt(start + 2) === 46) {
          this.pos += 3;
          return this.tok(Tok.Ellipsis, start, line, col);
        }
        this.pos++;
        return this.tok(Tok.Dot, start, line, col);
      case 58:
        this.pos++;
        return this.tok(Tok.Colon, start, line, col);
      case 63:
        this.pos++;
        return this.tok(Tok.Question, start, line, col);
      case 61:
        if (n === 61) return this.op2(Tok.EqualEqual, start, line, col);
        if (n === 62) return this.op2(Tok.FatArrow, start, line, col);
        this.pos++;
        return this.tok(Tok.Equal, start, line, col);
      case 43:
        this.pos++;
        return this.tok(Tok.Plus, start, line, col);
      case 45:
        this.pos++;
        return this.tok(Tok.Minus, start, line, col);
      case 42:
        this.pos++;
        return this.tok(Tok.Star, start, line, col);
      case 47:
        this.pos++;
        return this.tok(Tok.Slash, start, line, col);
      case 37:
        this.pos++;
        return this.tok(Tok.Percent, start, line, col);
      case 33:
        if (n === 61) return this.op2(Tok.NotEqual, start, line, col);
        this.pos++;
        return this.tok(Tok.Bang, start, line, col);
      case 60:
        if (n === 61) return this.op2(Tok.Le, start, line, col);
        if (n === 60) return this.heredocOpen(start, line, col);
        this.pos++;
        return this.tok(Tok.Lt, start, line, col);
      case 62:
        if (n === 61) return this.op2(Tok.Ge, start, line, col);
        this.pos++;
        return this.tok(Tok.Gt, start, line, col);
      case 38:
        if (n === 38) return this.op2(Tok.And, start, line, col);
        break;
      case 124:
        if (n === 124) return this.op2(Tok.Or, start, line, col);
        break;
      case 126:
        if (n === 125) return this.op2(Tok.TildeCBrace, start, line, col);
        break;
      default:
        if (c >= 48 && c <= 57) return this.number(start, line, col);
        if (isIdStart(c, t, start)) {
          this.pos += c >= 0xd800 && c <= 0xdbff ? 2 : 1;
          while (this.pos < this.len) {
            const d = t.charCodeAt(this.pos);
            if (d < 128) {
              if (ID_CONTINUE_ASCII[d] === 0) break;
              this.pos++;
            } else {
              if (!isIdContinue(d, t, this.pos)) break;
              this.pos += d >= 0xd800 && d <= 0xdbff ? 2 : 1;
            }
          }
          return this.tok(Tok.Ident, start, line, col, t.slice(start, this.pos));
        }
    }
    this.pos += c >= 0xd800 && c <= 0xdbff ? 2 : 1;
    return this.tok(Tok.Invalid, start, line, col, t.slice(start, this.pos));
  }

  private op2(type: number, start: number, line: number, col: number): Token {
    this.pos += 2;
    return this.tok(type, start, line, col);
  }

  /**
   * HCL's scanner takes a digit and then the longest run of digits, dots and exponents
   * (`e`, optional sign, digit) that does not end in a dot; the parser then rejects runs
   * such as `1.5.2` that are not numbers.
   */
  private number(start: number, line: number, col: number): Token {
    const t = this.text;
    let p = start + 1;
    for (;;) {
      const c = t.charCodeAt(p);
      if (isDigit(c) || c === 46) p++;
      else if (c === 101 || c === 69) {
        const s = t.charCodeAt(p + 1);
        if (isDigit(s)) p += 2;
        else if ((s === 43 || s === 45) && isDigit(t.charCodeAt(p + 2))) p += 3;
        else break;
      } else break;
    }
    while (t.charCodeAt(p - 1) === 46) p--;
    this.pos = p;
    return this.tok(Tok.Number, start, line, col, t.slice(start, p));
  }

  /** `<<EOF` or `<<-EOF` followed by a newline; anything else is two `<` tokens' worth of error. */
  private heredocOpen(start: number, line: number, col: number): Token {
    const t = this.text;
    let p = start + 2;
    const flush = t.charCodeAt(p) === 45;
    if (flush) p++;
    const idStart = p;
    if (p < this.len && isIdStart(t.charCodeAt(p), t, p)) {
      p++;
      while (p < this.len && isIdContinue(t.charCodeAt(p), t, p)) p++;
    }
    const marker = t.slice(idStart, p);
    const nl = t.charCodeAt(p);
    if (marker === '' || (nl !== 10 && !(nl === 13 && t.charCodeAt(p + 1) === 10))) {
      this.pos = start + 2;
      return this.tok(Tok.Invalid, start, line, col, '<<');
    }
    this.pos = p;
    this.newline();
    return this.tok(Tok.OHeredoc, start, line, col, marker, flush);
  }
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
