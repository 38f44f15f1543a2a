import fc from 'fast-check';

/** fast-check arbitraries producing HCL documents that exercise the whole native syntax. */

const names = ['a', 'b', 'foo', 'bar_baz', 'x1', 'attr', 'var', 'node', 'meta', 'in', 'k-v'];
const ident = fc.constantFrom(...names);
const funcs = fc.constantFrom('upper', 'f', 'concat', 'lookup', 'format');

const numberText = fc.oneof(
  fc.nat(100000).map(String),
  fc.tuple(fc.nat(999), fc.nat(99)).map(([a, b]) => `${a}.${b}`),
  fc.tuple(fc.nat(99), fc.integer({ min: -9, max: 25 })).map(([a, e]) => `${a + 1}e${e}`),
);

// Literal template text, as source: escapes, $$ and %% escapes, stray $ % { }, non-ASCII. A stray $ or %
// is followed by a letter: HCL splits its literal tokens after "$" and the next character, which can
// change what a strip marker trims ("$\t" on a heredoc line before "%{~if"); hclToJson does not model it.
const quotedChunk = fc.constantFrom(
  'x',
  'hello',
  ' ',
  '  ',
  '\\n',
  '\\t',
  '\\"',
  '\\\\',
  '\\u00e9',
  '$${a}',
  '%%{b}',
  '$x',
  '%x',
  '{',
  '}',
  'é',
  '{{ .Env }}',
);
const heredocChunk = fc.constantFrom(
  'line',
  ' ',
  '  ',
  '\t',
  '"q"',
  '\\n',
  '$${x}',
  '%%{y}',
  '{{ env "X" }}',
  '$y',
  'é',
);

export interface GenOpts {
  depth: number;
}

/** An expression of bounded depth, as source text. */
export function exprArb(depth: number): fc.Arbitrary<string> {
  const leaf = fc.oneof(numberText, fc.constantFrom('true', 'false', 'null'), traversal(), quoted(0));
  if (depth <= 0) return leaf;
  const sub = exprArb(depth - 1);
  return fc.oneof(
    { weight: 3, arbitrary: leaf },
    { weight: 2, arbitrary: quoted(depth - 1) },
    fc
      .tuple(sub, fc.constantFrom('+', '-', '*', '/', '%', '==', '!=', '<', '>', '<=', '>=', '&&', '||'), sub)
      .map(([a, op, b]) => `${a} ${op} ${b}`),
    fc
      .tuple(fc.constantFrom('-', '!'), fc.oneof(numberText, fc.constantFrom('true', 'false'), traversal()))
      .map(([o, v]) => o + v),
    fc.tuple(sub, sub, sub).map(([c, t, f]) => `${c} ? ${t} : ${f}`),
    sub.map((s) => `(${s})`),
    fc.array(sub, { maxLength: 3 }).map((xs) => `[${xs.join(', ')}]`),
    fc
      .array(
        fc.tuple(
          fc.oneof(
            ident,
            quoted(0),
            numberText,
            sub.map((s) => `(${s})`),
          ),
          sub,
        ),
        { maxLength: 3 },
      )
      .chain((items) =>
        fc.constantFrom(', ', '\n').map((sep) => `{${items.map(([k, v]) => `${k} = ${v}`).join(sep)}}`),
      ),
    fc
      .tuple(funcs, fc.array(sub, { maxLength: 3 }), fc.boolean())
      .map(([f, args, expand]) => `${f}(${args.join(', ')}${expand && args.length > 0 ? '...' : ''})`),
    fc
      .tuple(ident, sub, sub, fc.boolean())
      .map(([v, c, body, cond]) => `[for ${v} in ${c} : ${body}${cond ? ` if ${v}` : ''}]`),
    fc
      .tuple(ident, ident, sub, sub, fc.boolean())
      .map(([k, v, c, body, group]) => `{for ${k}, ${v} in ${c} : ${k} => ${body}${group ? '...' : ''}}`),
    fc.tuple(traversal(), sub).map(([t, k]) => `${t}[${k}]`),
    // Heredocs and comments inside brackets, where newlines do not end the attribute.
    fc.tuple(funcs, heredoc(0), sub).map(([f, h, x]) => `${f}(${h}\n, ${x})`),
    fc.tuple(sub, sub).map(([a, b]) => `[${a}, # note\n  ${b} /* c */]`),
    fc.tuple(traversal(), fc.constantFrom('[*]', '.*', '[*].a', '.*.b', '[*][0]')).map(([t, s]) => t + s),
  );
}

function traversal(): fc.Arbitrary<string> {
  const step = fc.oneof(
    ident.map((n) => '.' + n),
    fc.nat(5).map((n) => `[${n}]`),
    fc.constantFrom('["k"]', '.0'),
  );
  return fc.tuple(ident, fc.array(step, { maxLength: 3 })).map(([r, s]) => r + s.join(''));
}

/** A quoted template with interpolations, directives and strip markers. */
export function quoted(depth: number): fc.Arbitrary<string> {
  return fc.array(templatePart(depth, quotedChunk), { maxLength: 5 }).map((ps) => `"${ps.join('')}"`);
}

function templatePart(depth: number, chunk: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const inner = depth > 0 ? exprArb(depth - 1) : fc.oneof(traversal(), numberText);
  const strip = fc.constantFrom('', '~');
  const text = fc.array(chunk, { minLength: 1, maxLength: 3 }).map((xs) => xs.join(''));
  return fc.oneof(
    { weight: 3, arbitrary: text },
    fc.tuple(strip, inner, strip).map(([l, e, r]) => `\${${l}${e}${r}}`),
    fc
      .tuple(strip, traversal(), text, fc.option(text), strip)
      .map(([l, c, t, f, r]) => `%{${l}if ${c}${r}}${t}${f !== null ? `%{else}${f}` : ''}%{${l}endif${r}}`),
    fc
      .tuple(ident, traversal(), text, strip)
      .map(([v, c, t, r]) => `%{for ${v} in ${c}${r}}${t}\${${v}}%{endfor}`),
  );
}

/** A heredoc, `<<EOT` or flush `<<-EOT`, with indented lines and interpolations. */
export function heredoc(depth: number): fc.Arbitrary<string> {
  const line = fc
    .tuple(
      fc.constantFrom('', ' ', '  ', '    ', '\t'),
      fc.array(templatePart(depth, heredocChunk), { maxLength: 3 }),
    )
    .map(([indent, parts]) => indent + parts.join(''));
  return fc
    .tuple(fc.boolean(), fc.array(line, { maxLength: 4 }), fc.constantFrom('', '  '))
    .map(
      ([flush, lines, closeIndent]) =>
        `<<${flush ? '-' : ''}EOT\n${lines.map((l) => l + '\n').join('')}${closeIndent}EOT`,
    );
}

/** A body: attributes (names may repeat, which HCL rejects) and nested labelled blocks. */
export function bodyArb(depth: number, indent = ''): fc.Arbitrary<string> {
  const attr = fc
    .tuple(ident, fc.oneof({ weight: 4, arbitrary: exprArb(2) }, heredoc(1)))
    .map(([n, v]) => `${indent}${n} = ${v}\n`);
  const comment = fc.constantFrom(`${indent}# note\n`, `${indent}// note\n`, `${indent}/* c */\n`, '\n');
  const labels = fc.array(
    fc.oneof(
      ident.map((n) => `"${n}"`),
      ident,
    ),
    { maxLength: 2 },
  );
  const oneLine = fc
    .tuple(ident, labels, fc.option(fc.tuple(ident, exprArb(1))))
    .map(([t, ls, a]) => `${indent}${[t, ...ls].join(' ')} {${a ? ` ${a[0]} = ${a[1]} ` : ''}}\n`);
  const items: fc.Arbitrary<string>[] = [attr, attr, comment, oneLine];
  if (depth > 0) {
    items.push(
      fc
        .tuple(ident, labels, bodyArb(depth - 1, indent + '  '))
        .map(([t, ls, b]) => `${indent}${[t, ...ls].join(' ')} {\n${b}${indent}}\n`),
    );
  }
  return fc.array(fc.oneof(...items), { maxLength: 5 }).map((xs) => xs.join(''));
}

/** A whole document. */
export const documentArb: fc.Arbitrary<string> = fc
  .tuple(bodyArb(2), fc.nat(9))
  .map(([doc, crlf]) => (crlf === 0 ? doc.replace(/\n/g, '\r\n') : doc));
