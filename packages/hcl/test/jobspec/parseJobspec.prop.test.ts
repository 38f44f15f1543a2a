/** parseJobspec never throws: mutated example jobs come back as a Job or as positioned diagnostics. */
import { readFileSync, readdirSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJobspec } from '../../src/jobspec/parseJobspec.js';

const DIR = new URL('../fixtures/jobs/', import.meta.url);
const sources = readdirSync(DIR)
  .filter((f) => f.endsWith('.hcl'))
  .map((f) => readFileSync(new URL(f, DIR), 'utf8'));

const fragment = fc.oneof(
  fc.constantFrom(
    '{',
    '}',
    '"',
    '${',
    '%{',
    '=',
    '\n',
    'dynamic "x" {',
    'var.',
    'local.',
    '<<EOF\n',
    '[',
    ']',
    ',',
  ),
  fc.constantFrom('count = "x"', 'meta = 1', 'port "p" {}', 'constraint {}', 'task "t" {}', 'file("x")'),
  fc.string({ maxLength: 6 }),
);

describe('parseJobspec on mutated example jobs', () => {
  it('returns a result with located diagnostics and never throws', () => {
    expect(sources.length).toBeGreaterThan(10);
    fc.assert(
      fc.property(
        fc.constantFrom(...sources),
        fc.array(fc.tuple(fc.nat(), fc.nat({ max: 8 }), fragment), { minLength: 1, maxLength: 4 }),
        (src, edits) => {
          let s = src;
          for (const [at, del, ins] of edits) {
            const i = at % (s.length + 1);
            s = s.slice(0, i) + ins + s.slice(i + del);
          }
          const r = parseJobspec(s, { filename: 'm.hcl' });
          if (!r.ok) {
            expect(r.diagnostics.length).toBeGreaterThan(0);
            for (const d of r.diagnostics) expect(d.range.start.line).toBeGreaterThanOrEqual(1);
          }
        },
      ),
    );
  });
});
