import { diagError } from '../diagnostics.js';
import type { Attribute, Block, Body, Pos, Range } from './ast.js';
import { Tok, type Token } from './lexer.js';
import { SyntaxFail, type Parser } from './parser.js';
import { parseTemplateBody } from './template.js';

/** Bodies: attributes and blocks, newline-terminated, with recovery to the next line on errors. */

export function parseBody(p: Parser, end: number): Body {
  const attributes: Attribute[] = [];
  const blocks: Block[] = [];
  const items: (Attribute | Block)[] = [];
  let seen: Map<string, Attribute> | undefined;
  const start = p.peek();
  const startPos: Pos = { line: start.line, column: start.col, offset: start.start };
  for (;;) {
    const t = p.peek();
    if (t.type === Tok.Newline) {
      p.read();
      continue;
    }
    if (t.type === end) break;
    if (t.type === Tok.EOF) {
      p.diags.push(
        diagError(p.range(t), 'Unclosed configuration block', 'expected "}" before the end of the file'),
      );
      break;
    }
    const depth = p.depth;
    try {
      const item = parseBodyItem(p);
      if (item.kind === 'Attribute') {
        seen ??= new Map();
        const prev = seen.get(item.name);
        if (prev) {
          p.diags.push(
            diagError(
              item.nameRange,
              'Attribute redefined',
              `"${item.name}" was already set at line ${prev.nameRange.start.line}`,
            ),
          );
        } else seen.set(item.name, item);
        attributes.push(item);
      } else blocks.push(item);
      items.push(item);
    } catch (e) {
      if (!(e instanceof SyntaxFail)) throw e;
      p.depth = depth;
      recoverLine(p);
    }
  }
  const endTok = p.peek();
  const endPos: Pos = { line: endTok.line, column: endTok.col, offset: endTok.start };
  return {
    kind: 'Body',
    attributes,
    blocks,
    items,
    range: { file: p.file, start: startPos, end: endPos },
  };
}

/** Skips to the end of the current line at bracket depth zero, after a syntax error. */
function recoverLine(p: Parser): void {
  p.nl.length = 1;
  p.nl[0] = true;
  let depth = 0;
  for (;;) {
    const t = p.peek();
    if (t.type === Tok.EOF) return;
    if (t.type === Tok.Newline && depth <= 0) return;
    p.read();
    if (t.type === Tok.OBrace || t.type === Tok.OBrack || t.type === Tok.OParen) depth++;
    else if (t.type === Tok.CBrace || t.type === Tok.CBrack || t.type === Tok.CParen) depth--;
    else if (t.type === Tok.OQuote || t.type === Tok.OHeredoc) skipTemplate(p, t);
  }
}

function skipTemplate(p: Parser, open: Token): void {
  const saved = p.diags.length;
  try {
    parseTemplateBody(p, open);
  } catch (e) {
    if (!(e instanceof SyntaxFail)) throw e;
  }
  p.diags.length = saved;
}

function parseBodyItem(p: Parser): Attribute | Block {
  const ident = p.read();
  if (ident.type !== Tok.Ident) {
    p.fail(ident, 'Argument or block definition required', `found ${p.describe(ident)}`);
  }
  const next = p.peek();
  if (next.type === Tok.Equal) {
    const attr = finishAttribute(p, ident);
    const after = p.peek();
    if (after.type !== Tok.Newline && after.type !== Tok.EOF) {
      p.fail(after, 'Missing newline after argument', `found ${p.describe(after)}`);
    }
    return attr;
  }
  if (next.type === Tok.OBrace || next.type === Tok.OQuote || next.type === Tok.Ident)
    return finishBlock(p, ident);
  return p.fail(next, 'Argument or block definition required', `expected "=" or "{" after "${ident.text}"`);
}

function finishAttribute(p: Parser, ident: Token): Attribute {
  p.read(); // "="
  const expr = p.parseExpression();
  const nameRange = p.range(ident);
  return {
    kind: 'Attribute',
    name: ident.text,
    nameRange,
    expr,
    range: p.between(nameRange, expr.range),
  };
}

function finishBlock(p: Parser, ident: Token): Block {
  p.enter(ident);
  const labels: string[] = [];
  const labelRanges: Range[] = [];
  for (;;) {
    const t = p.peek();
    if (t.type === Tok.OBrace) break;
    if (t.type === Tok.Ident) {
      p.read();
      labels.push(t.text);
      labelRanges.push(p.range(t));
    } else if (t.type === Tok.OQuote) {
      p.read();
      const tmpl = parseTemplateBody(p, t);
      if (tmpl.kind !== 'Template' || tmpl.parts.some((p) => p.kind !== 'Literal')) {
        p.failAt(tmpl.range, 'Invalid block label', 'template sequences are not allowed in a block label');
      }
      labels.push(tmpl.parts.map((part) => (part as { value: string }).value).join(''));
      labelRanges.push(tmpl.range);
    } else {
      p.fail(t, 'Invalid block definition', `expected a label or "{", found ${p.describe(t)}`);
    }
  }
  const open = p.read();
  let body: Body;
  if (p.peek().type === Tok.Newline) {
    body = parseBody(p, Tok.CBrace);
  } else {
    body = parseSingleAttrBody(p, open);
  }
  const close = p.read();
  if (close.type !== Tok.CBrace) p.fail(close, 'Unclosed configuration block', 'expected "}"');
  const after = p.peek();
  if (after.type !== Tok.Newline && after.type !== Tok.EOF) {
    p.fail(after, 'Missing newline after block definition', `found ${p.describe(after)}`);
  }
  p.leave();
  const typeRange = p.range(ident);
  return {
    kind: 'Block',
    type: ident.text,
    typeRange,
    labels,
    labelRanges,
    body,
    range: p.between(typeRange, p.range(close)),
  };
}

function parseSingleAttrBody(p: Parser, open: Token): Body {
  const t = p.peek();
  const at: Pos = { line: t.line, column: t.col, offset: t.start };
  if (t.type === Tok.CBrace) {
    return {
      kind: 'Body',
      attributes: [],
      blocks: [],
      items: [],
      range: { file: p.file, start: at, end: at },
    };
  }
  if (t.type !== Tok.Ident) p.fail(t, 'Argument or block definition required', `found ${p.describe(t)}`);
  p.read();
  if (p.peek().type !== Tok.Equal) {
    p.fail(
      p.peek(),
      'Invalid single-argument block definition',
      'a single-line block may hold one argument only',
    );
  }
  const attr = finishAttribute(p, t);
  const close = p.peek();
  if (close.type !== Tok.CBrace) {
    p.fail(
      close,
      'Invalid single-argument block definition',
      `expected "}" to close the block opened at line ${open.line}`,
    );
  }
  return { kind: 'Body', attributes: [attr], blocks: [], items: [attr], range: attr.range };
}
