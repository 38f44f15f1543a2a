import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's own HCL documents (jobspecs and other Nomad-ecosystem HCL), used as test input. */
export const FIXTURES_DIR = fileURLToPath(new URL('./fixtures/', import.meta.url));

/** Every `.hcl` file under test/fixtures, in a stable order. Fails loudly when there are none. */
export function hclCorpus(dir: string = FIXTURES_DIR): { file: string; source: string }[] {
  const files = (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.hcl')).sort();
  if (files.length === 0) throw new Error(`no .hcl fixtures under ${dir}`);
  return files.map((file) => ({ file, source: readFileSync(join(dir, file), 'utf8') }));
}
