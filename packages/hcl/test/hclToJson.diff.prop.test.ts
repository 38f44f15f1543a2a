import fc from 'fast-check';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { hclToJson } from '../src/hclToJson.js';
import { documentArb } from './hclGen.js';

// hcl2-parser is HashiCorp's HCL + hcl2json compiled to JavaScript: the reference.
const hcl2 = createRequire(import.meta.url)('hcl2-parser') as { parseToString(s: string): [string, unknown] };

function reference(src: string): { ok: true; value: unknown } | { ok: false } {
  try {
    const [out] = hcl2.parseToString(src);
    return out === '' ? { ok: false } : { ok: true, value: JSON.parse(out) as unknown };
  } catch {
    // hcl2json panics on some invalid documents (blocks with and without labels).
    return { ok: false };
  }
}

function agree(src: string): void {
  const ref = reference(src);
  const mine = hclToJson(src);
  expect({ src, ok: mine.ok }).toEqual({ src, ok: ref.ok });
  if (mine.ok && ref.ok) expect(mine.value).toEqual(ref.value);
}

describe('hclToJson against hcl2-parser', () => {
  it('produces identical JSON for generated documents', () => {
    fc.assert(fc.property(documentArb, agree));
  });

  it('agrees on which mutated documents are invalid', () => {
    const mutated = fc
      .tuple(
        documentArb,
        fc.nat(),
        fc.constantFrom(
          '',
          '{',
          '}',
          '"',
          '=',
          '[',
          ']',
          '(',
          ')',
          '\n',
          '$',
          '${',
          '%{',
          '~',
          ',',
          '.',
          '<<',
          '#',
          '?',
          '...',
        ),
      )
      .filter(([doc]) => doc.length > 0)
      .map(([doc, at, ins]) => {
        const i = at % doc.length;
        return ins === '' ? doc.slice(0, i) + doc.slice(i + 1) : doc.slice(0, i) + ins + doc.slice(i);
      });
    fc.assert(fc.property(mutated, agree));
  });

  it('agrees on random token soup, valid or not', () => {
    const piece = fc.constantFrom(
      ...'ab1 .,:?=!<>+-*/%&|~$#"\\{}[]()\n'.split(''),
      '${',
      '%{',
      '~}',
      '<<EOT\n',
      '\nEOT\n',
      '/*',
      '*/',
      '...',
      '=>',
      'for ',
      ' in ',
      ' if ',
      'endif',
      'a = ',
      '\nb = ',
      'x {\n',
      '\n}\n',
    );
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 30 }).map((xs) => xs.join('')),
        agree,
      ),
    );
  });
});
