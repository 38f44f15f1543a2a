/**
 * Benchmark runner: `npm run bench -- <name> [--quick]`.
 *
 * Each benchmark is `benchmarks/<name>.bench.ts` with a default export
 * `(opts: BenchOptions) => Promise<BenchResult>`. The runner writes the full result to
 * `benchmarks/results/<name>.json` and prints the one-line JSON summary as its last line.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchModule } from './lib.js';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const name = args.find((a) => !a.startsWith('--'));
const available = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.slice(0, -'.bench.ts'.length))
  .sort();

if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- <name> [--quick]\navailable: ${available.join(', ') || '(none)'}`);
  process.exit(name ? 1 : 0);
}

const mod = (await import(pathToFileURL(join(here, `${name}.bench.ts`)).href)) as BenchModule;
const result = await mod.default({ quick });
const record = {
  name,
  quick,
  date: new Date().toISOString(),
  node: process.version,
  ...result,
};
const out = join(here, 'results', `${name}.json`);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(record, null, 2) + '\n');
console.log(JSON.stringify({ name, quick, ...result.summary }));
