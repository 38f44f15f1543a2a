import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDiagnostics } from '../src/diagnostics.js';
import { evaluateExpression, type EvalContext } from '../src/eval/evaluate.js';
import { hclToJson } from '../src/hclToJson.js';
import type { Body } from '../src/syntax/ast.js';
import { parseHcl } from '../src/syntax/parser.js';
import { hclCorpus } from './corpus.js';
import { documentArb } from './hclGen.js';

// Hostile input must end quickly in values or diagnostics: no exception, no hang, no deep stack.
const LIMIT_MS = 2000;

const ctx: EvalContext = {
  variables: { var: { a: 1, b: 'x', l: [1, 2] }, local: {} },
  functions: {},
  functionContext: { now: () => 0, randomBytes: (n) => new Uint8Array(n) },
  deferRoot: (name) => name === 'attr' || name === 'node' || name === 'meta',
};

function evaluateAll(body: Body): void {
  for (const a of body.attributes) evaluateExpression(a.expr, ctx);
  for (const b of body.blocks) evaluateAll(b.body);
}

function survive(src: string): void {
  const start = performance.now();
  const parsed = parseHcl(src, 'fuzz.hcl');
  formatDiagnostics(parsed.diagnostics);
  evaluateAll(parsed.body);
  hclToJson(src);
  expect(performance.now() - start).toBeLessThan(LIMIT_MS);
}

const alphabet = fc.constantFrom(
  ...'abcxyz019_-.,:?=!<>+*/%&|~$#"\\{}[]() \t\n\r'.split(''),
  '${',
  '%{',
  '~}',
  '<<EOT\n',
  '<<-EOT\n',
  '\nEOT\n',
  '/*',
  '*/',
  '//',
  '...',
  '=>',
  'for ',
  ' in ',
  ' if ',
  'endif',
  'endfor',
  'é',
  '\u{1F600}',
  '\uD800',
);

const fixtures = hclCorpus().map((e) => e.source);

describe('fuzzing the parser, evaluator and hclToJson', () => {
  it('survive random token soup', () => {
    fc.assert(
      fc.property(
        fc.array(alphabet, { maxLength: 200 }).map((xs) => xs.join('')),
        survive,
      ),
    );
  });

  it('survive mutated fixtures', () => {
    const mutated = fc
      .tuple(
        fc.constantFrom(...fixtures),
        fc.array(fc.tuple(fc.nat(), fc.nat(8), alphabet), { minLength: 1, maxLength: 8 }),
      )
      .map(([src, edits]) => {
        let s = src;
        for (const [at, del, ins] of edits) {
          const i = at % (s.length + 1);
          s = s.slice(0, i) + ins + s.slice(i + del);
        }
        return s;
      });
    fc.assert(fc.property(mutated, survive));
  });

  it('survive generated documents with random edits', () => {
    const edited = fc
      .tuple(documentArb, fc.nat(), alphabet)
      .map(([d, at, ins]) => d.slice(0, at % (d.length + 1)) + ins + d.slice(at % (d.length + 1)));
    fc.assert(fc.property(edited, survive));
  });

  it('bound deep nesting of every kind with a diagnostic', () => {
    const n = 50_000;
    const cases = [
      'a = ' + '('.repeat(n) + '1' + ')'.repeat(n),
      'a = ' + '['.repeat(n),
      'a = ' + '{x = '.repeat(n),
      'a = ' + '-'.repeat(n) + '1',
      'a = ' + '!'.repeat(n) + 'true',
      'a = ' + '"${'.repeat(n),
      'a = "' + '%{if x}'.repeat(n) + '"',
      'a = "' + '%{for x in y}'.repeat(n) + '"',
      'a = x' + '[*]'.repeat(n),
      'a = x' + '[y]'.repeat(n),
      'a = 1' + ' + 1'.repeat(n),
      'a = ' + 'x ? 1 : '.repeat(n) + '2',
      'b {\n'.repeat(n),
      'a = ' + 'f('.repeat(n),
    ];
    for (const src of cases) {
      const start = performance.now();
      const { diagnostics } = parseHcl(src + '\n');
      expect(diagnostics.length).toBeGreaterThan(0);
      expect({
        src: src.slice(0, 20),
        deep: diagnostics.some((d) => d.summary === 'Nesting too deep'),
      }).toEqual({
        src: src.slice(0, 20),
        deep: true,
      });
      expect(performance.now() - start).toBeLessThan(LIMIT_MS);
    }
  });
});
