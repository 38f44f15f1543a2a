/**
 * Benchmark runner: `npm run bench -- <name> [--quick]`.
 *
 * Each benchmark is `benchmarks/<name>.bench.ts` with a default export
 * `(opts: BenchOptions) => Promise<BenchResult>`. The runner bundles it with esbuild, as tsup
 * bundles the published packages (one module, the workspace sources inlined; third-party
 * packages stay external), so the timed code is the code users run rather than a graph of
 * per-file modules loaded through tsx. It writes the full result to
 * `benchmarks/results/<name>.json` and prints the one-line JSON summary as its last line.
 */
import { build, type Plugin } from 'esbuild';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
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

// Bare imports other than the workspace packages load from node_modules at run time.
const thirdPartyExternal: Plugin = {
  name: 'third-party-external',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@tsnomad/') ? undefined : { path: args.path, external: true },
    );
  },
};
// Beside the source file, so import.meta.url-relative paths (fixtures, the guide) still resolve.
const bundle = join(here, `.${name}.bench.bundle.mjs`);
await build({
  entryPoints: [join(here, `${name}.bench.ts`)],
  outfile: bundle,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  conditions: ['source'],
  plugins: [thirdPartyExternal],
  logLevel: 'warning',
});
let result: Awaited<ReturnType<BenchModule['default']>>;
try {
  const mod = (await import(pathToFileURL(bundle).href)) as BenchModule;
  result = await mod.default({ quick });
} finally {
  // TSNOMAD_BENCH_KEEP_BUNDLE=1 keeps it, to profile with line numbers that mean something.
  if (!process.env['TSNOMAD_BENCH_KEEP_BUNDLE']) rmSync(bundle, { force: true });
}
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
