import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { hclToJson } from '../src/hclToJson.js';
import { hclCorpus } from './corpus.js';

const hcl2 = createRequire(import.meta.url)('hcl2-parser') as { parseToString(s: string): [string, unknown] };

describe('the HCL fixtures', () => {
  const examples = hclCorpus();

  it('are all found', () => {
    expect(examples.length).toBeGreaterThanOrEqual(28);
  });

  it('convert to the same JSON as hcl2-parser', () => {
    for (const { file, source } of examples) {
      const [ref] = hcl2.parseToString(source);
      const mine = hclToJson(source, file);
      expect({ file, ok: mine.ok }).toEqual({ file, ok: ref !== '' });
      if (mine.ok) expect({ file, json: mine.value }).toEqual({ file, json: JSON.parse(ref) as unknown });
    }
  });
});
