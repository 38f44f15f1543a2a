import type { Expression, LiteralExpr, Pos, Range, TemplateExpr, TemplateWrapExpr } from './ast.js';
import { Tok, type Token } from './lexer.js';
import type { Parser } from './parser.js';

/** Template pieces before directives are nested (HCL's template tokens). */
type Part =
  | { t: 'lit'; val: string; range: Range; lineStart: boolean }
  | { t: 'interp'; expr: Expression; range: Range }
  | { t: 'if'; cond: Expression; range: Range }
  | { t: 'for'; keyVar: string | undefined; valVar: string; coll: Expression; range: Range }
  | { t: 'else' | 'endif' | 'endfor'; range: Range };

const WS = /^\s+/;
const WS_END = /\s+$/;

/**
 * Parses template text after its opening `"` or `<<MARKER\n` (already read) up to and including
 * the closing quote or marker. Reads characters straight from the lexer; interpolations and
 * directives go back through the expression parser.
 */
export function parseTemplateBody(p: Parser, open: Token): TemplateExpr | TemplateWrapExpr {
  if (p.hasPeeked()) throw new Error('template parsing needs the lexer positioned after the opening token');
  const lx = p.lx;
  const text = lx.text;
  const heredoc = open.type === Tok.OHeredoc;
  const marker = open.text;
  const parts: Part[] = [];
  let ltrimNext = false;
  let atLineStart = heredoc;
  let end: Pos;
  for (;;) {
    if (heredoc && atLineStart) {
      // The closing marker: a line holding only the marker, optionally indented.
      let q = lx.pos;
      while (text.charCodeAt(q) === 32 || text.charCodeAt(q) === 9) q++;
      if (text.startsWith(marker, q)) {
        // Like HCL, the marker line may also carry trailing spaces.
        let r = q + marker.length;
        while (text.charCodeAt(r) === 32 || text.charCodeAt(r) === 9) r++;
        const c = text.charCodeAt(r);
        if (c === 10 || (c === 13 && text.charCodeAt(r + 1) === 10)) {
          lx.pos = q + marker.length;
          end = lx.here();
          break;
        }
      }
    }
    const litStart = lx.here();
    const chunks: string[] = [];
    let seg = lx.pos;
    let stop = 0; // 0: literal continues; 1: interp; 2: directive; 3: end quote; 4: heredoc newline
    while (stop === 0) {
      if (lx.pos >= lx.len) {
        const at = lx.here();
        p.failAt(
          { file: p.file, start: at, end: at },
          heredoc ? 'Unterminated template string' : 'Unterminated template string',
          heredoc
            ? `no closing marker "${marker}" for the heredoc opened at line ${open.line}`
            : 'expected a closing quote',
        );
      }
      const c = text.charCodeAt(lx.pos);
      if (c === 36 || c === 37) {
        const n = text.charCodeAt(lx.pos + 1);
        if (n === 123) {
          stop = c === 36 ? 1 : 2;
          break;
        }
        if (n === c && text.charCodeAt(lx.pos + 2) === 123) {
          // `$${` and `%%{` are the literal `${` and `%{`.
          chunks.push(text.slice(seg, lx.pos));
          lx.pos += 1;
          seg = lx.pos;
          lx.pos += 2;
          continue;
        }
        lx.pos++;
      } else if (!heredoc && c === 34) {
        stop = 3;
      } else if (c === 10 || c === 13) {
        if (!heredoc) {
          const at = lx.here();
          p.failAt(
            { file: p.file, start: at, end: at },
            'Unterminated template string',
            'a quoted string cannot span lines; use a heredoc',
          );
        }
        if (c === 13 && text.charCodeAt(lx.pos + 1) !== 10) {
          lx.pos++;
          continue;
        }
        lx.newline();
        stop = 4;
      } else if (!heredoc && c === 92) {
        chunks.push(text.slice(seg, lx.pos));
        chunks.push(escape(p, lx.here()));
        seg = lx.pos;
      } else {
        lx.pos++;
      }
    }
    const litEnd = lx.pos;
    if (litEnd > litStart.offset) {
      let val = chunks.length === 0 ? text.slice(seg, litEnd) : chunks.join('') + text.slice(seg, litEnd);
      if (ltrimNext) val = val.replace(WS, '');
      parts.push({ t: 'lit', val, range: lx.rangeFrom(litStart), lineStart: atLineStart });
    }
    ltrimNext = false;
    atLineStart = stop === 4;
    if (stop === 4) continue;
    if (stop === 3) {
      lx.pos++;
      end = lx.here();
      break;
    }
    // A `${` or `%{` sequence.
    const seqStart = lx.here();
    lx.pos += 2;
    if (text.charCodeAt(lx.pos) === 126) {
      lx.pos++;
      const prev = parts[parts.length - 1];
      if (prev !== undefined && prev.t === 'lit' && prev.range.end.offset === seqStart.offset) {
        prev.val = prev.val.replace(WS_END, '');
      }
    }
    p.pushNl(false);
    let part: Part;
    if (stop === 1) {
      const expr = p.parseExpression();
      part = { t: 'interp', expr, range: expr.range };
    } else {
      const kw = p.read();
      const name = kw.type === Tok.Ident ? kw.text : '';
      if (name === 'if') {
        const cond = p.parseExpression();
        part = { t: 'if', cond, range: cond.range };
      } else if (name === 'for') {
        let v = p.read();
        if (v.type !== Tok.Ident)
          p.fail(v, 'Invalid template directive', 'expected an iterator variable name after "for"');
        let keyVar: string | undefined;
        let valVar = v.text;
        if (p.peek().type === Tok.Comma) {
          p.read();
          v = p.read();
          if (v.type !== Tok.Ident)
            p.fail(v, 'Invalid template directive', 'expected a value variable name after ","');
          keyVar = valVar;
          valVar = v.text;
        }
        const inTok = p.read();
        if (inTok.type !== Tok.Ident || inTok.text !== 'in')
          p.fail(inTok, 'Invalid template directive', 'expected "in"');
        const coll = p.parseExpression();
        part = { t: 'for', keyVar, valVar, coll, range: coll.range };
      } else if (name === 'else' || name === 'endif' || name === 'endfor') {
        part = { t: name, range: p.range(kw) };
      } else {
        p.fail(kw, 'Invalid template directive', 'expected if, else, endif, for or endfor after "%{"');
      }
    }
    const close = p.read();
    p.popNl();
    if (close.type !== Tok.CBrace && close.type !== Tok.TildeCBrace) {
      p.fail(
        close,
        stop === 1
          ? 'Extra characters after interpolation expression'
          : 'Extra characters in template directive',
        'expected "}"',
      );
    }
    ltrimNext = close.type === Tok.TildeCBrace;
    part.range = p.between(lx.rangeFrom(seqStart), p.range(close));
    parts.push(part);
  }
  const range: Range = {
    file: p.file,
    start: { line: open.line, column: open.col, offset: open.start },
    end,
  };
  if (heredoc && open.flush) flush(parts);
  const only = parts.length === 1 ? parts[0] : undefined;
  if (only?.t === 'interp') {
    return { kind: 'TemplateWrap', wrapped: only.expr, range };
  }
  const cursor = { i: 0 };
  const exprs = nest(p, parts, cursor, 0);
  if (cursor.i < parts.length) {
    const stray = parts[cursor.i]!;
    p.failAt(stray.range, `Unexpected ${stray.t} directive`, 'there is no open directive for it to close');
  }
  return { kind: 'Template', parts: exprs, heredoc, range };
}

/** Builds the expressions of a template, nesting if/for directives, until a closing directive. */
function nest(p: Parser, parts: Part[], cur: { i: number }, depth: number): Expression[] {
  const out: Expression[] = [];
  while (cur.i < parts.length) {
    const part = parts[cur.i]!;
    if (part.t === 'else' || part.t === 'endif' || part.t === 'endfor') return out;
    cur.i++;
    if (part.t === 'lit') {
      const lit: LiteralExpr = { kind: 'Literal', value: part.val, range: part.range };
      out.push(lit);
    } else if (part.t === 'interp') {
      out.push(part.expr);
    } else {
      p.enter(part.range.start);
      const inner = nest(p, parts, cur, depth + 1);
      const closer = parts[cur.i];
      if (part.t === 'if') {
        let elseParts: Expression[] = [];
        let elseRange = part.range;
        let c = closer;
        if (c?.t === 'else') {
          elseRange = c.range;
          cur.i++;
          elseParts = nest(p, parts, cur, depth + 1);
          c = parts[cur.i];
        }
        if (c?.t !== 'endif') {
          p.failAt(
            c?.range ?? part.range,
            c ? `Unexpected ${c.t} directive` : 'Unexpected end of template',
            'expected %{endif} for this if',
          );
        }
        cur.i++;
        out.push({
          kind: 'TemplateIf',
          condition: part.cond,
          trueResult: subTemplate(p, inner, part.range),
          falseResult: subTemplate(p, elseParts, elseRange),
          range: p.between(part.range, c.range),
        });
      } else if (part.t === 'for') {
        if (closer?.t !== 'endfor') {
          p.failAt(
            closer?.range ?? part.range,
            closer ? `Unexpected ${closer.t} directive` : 'Unexpected end of template',
            'expected %{endfor} for this for',
          );
        }
        cur.i++;
        out.push({
          kind: 'TemplateFor',
          keyVar: part.keyVar,
          valVar: part.valVar,
          collection: part.coll,
          body: subTemplate(p, inner, part.range),
          range: p.between(part.range, closer.range),
        });
      }
      p.leave();
    }
  }
  return out;
}

function subTemplate(p: Parser, parts: Expression[], at: Range): TemplateExpr {
  const first = parts[0];
  const last = parts[parts.length - 1];
  const range =
    first && last ? p.between(first.range, last.range) : { file: p.file, start: at.end, end: at.end };
  return { kind: 'Template', parts, heredoc: false, range };
}

/** `<<-` heredocs: remove the smallest indentation of the lines from every line. */
function flush(parts: Part[]): void {
  let min = Infinity;
  const adjust: { t: 'lit'; val: string; range: Range; lineStart: boolean }[] = [];
  let newline = true;
  for (const part of parts) {
    if (newline) {
      newline = false;
      let spaces = 0;
      if (part.t === 'lit') {
        const trimmed = part.val.replace(WS, '');
        if (trimmed.length === 0 && part.val.endsWith('\n')) {
          spaces = Infinity;
        } else {
          spaces = part.val.length - trimmed.length;
          adjust.push(part);
        }
      }
      if (spaces < min) min = spaces;
    }
    if (part.t === 'lit' && part.val.endsWith('\n')) newline = true;
  }
  if (min === Infinity) return;
  for (const lit of adjust) lit.val = lit.val.slice(min);
}

/** Decodes one backslash escape at `lx.pos` in a quoted string, advancing past it. */
function escape(p: Parser, at: Pos): string {
  const lx = p.lx;
  const text = lx.text;
  const c = text.charCodeAt(lx.pos + 1);
  lx.pos += 2;
  switch (c) {
    case 110:
      return '\n';
    case 114:
      return '\r';
    case 116:
      return '\t';
    case 34:
      return '"';
    case 92:
      return '\\';
    case 117:
    case 85: {
      const n = c === 117 ? 4 : 8;
      const hex = text.slice(lx.pos, lx.pos + n);
      if (hex.length === n && /^[0-9a-fA-F]+$/.test(hex)) {
        const cp = parseInt(hex, 16);
        if (cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff)) {
          lx.pos += n;
          return String.fromCodePoint(cp);
        }
      }
      return p.failAt(
        lx.rangeFrom(at),
        'Invalid escape sequence',
        `\\${c === 117 ? 'u' : 'U'} needs ${n} hex digits of a Unicode scalar`,
      );
    }
    default:
      return p.failAt(
        lx.rangeFrom(at),
        'Invalid escape sequence',
        'valid escapes are \\n \\r \\t \\" \\\\ \\uNNNN \\UNNNNNNNN',
      );
  }
}
