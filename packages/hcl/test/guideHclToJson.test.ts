import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { hclToJson } from '../src/hclToJson.js';
import { guideHclExamples } from './guideExamples.js';

const hcl2 = createRequire(import.meta.url)('hcl2-parser') as { parseToString(s: string): [string, unknown] };

describe("the guide's HCL examples", () => {
  const examples = guideHclExamples();

  it('are found in the guide', () => {
    expect(examples.length).toBeGreaterThan(50);
  });

  it('convert to the same JSON as hcl2-parser', () => {
    for (const { line, source } of examples) {
      const [ref] = hcl2.parseToString(source);
      const mine = hclToJson(source, `guide:${line}`);
      expect({ line, ok: mine.ok }).toEqual({ line, ok: ref !== '' });
      if (mine.ok) expect({ line, json: mine.value }).toEqual({ line, json: JSON.parse(ref) as unknown });
    }
  });
});
