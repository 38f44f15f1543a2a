import { readFileSync } from 'node:fs';

/** Where the project's guide lives (its HCL examples are test input). */
export const GUIDE_PATH = new URL('../../../../shared/seed/nomad-guide.ja.txt', import.meta.url);

/**
 * The HCL examples of the guide: each run of lines from an unindented `word … {` line to the
 * next unindented `}` line. Fails loudly when the guide is missing.
 */
export function guideHclExamples(path: URL | string = GUIDE_PATH): { line: number; source: string }[] {
  const lines = readFileSync(path, 'utf8').split('\n');
  const out: { line: number; source: string }[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^[a-z_]+(\s+("[^"]*"|[a-z_]+))*\s*\{\s*$/.test(lines[i]!)) continue;
    const start = i;
    while (i < lines.length && lines[i] !== '}') i++;
    if (i < lines.length) out.push({ line: start + 1, source: lines.slice(start, i + 1).join('\n') + '\n' });
  }
  return out;
}
