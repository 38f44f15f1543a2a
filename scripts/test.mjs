#!/usr/bin/env node
// `npm test`: typecheck, lint, then every vitest test. Ends with one plain line
// "tests: N passed, N failed, N skipped" that CI and people can read at a glance.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const run = (cmd, args) => {
  console.log(`\n> ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  return r.status ?? 1;
};

const extra = process.argv.slice(2);

// The end-to-end tests run the built `tsnomad` binary: build first when a package's dist is
// missing or older than its sources, so that a fresh clone's `npm test` works.
const newest = (dir) => {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p));
    else if (!/\.test\.ts$/.test(e.name)) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
};
const stale = ['core', 'hcl', 'drivers', 'runtime-node'].some((pkg) => {
  const built = join('packages', pkg, 'dist', 'index.js');
  return !existsSync(built) || statSync(built).mtimeMs < newest(join('packages', pkg, 'src'));
});
if (stale && run('npm', ['run', 'build']) !== 0) process.exit(1);
if (run('npx', ['tsc', '-b']) !== 0) process.exit(1);
if (run('npx', ['eslint', '.']) !== 0) process.exit(1);
if (run('npx', ['prettier', '--check', '.']) !== 0) process.exit(1);

const out = '.test-results.json';
rmSync(out, { force: true });
const status = run('npx', [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${out}`,
  ...extra,
]);
let summary;
try {
  const r = JSON.parse(readFileSync(out, 'utf8'));
  const skipped = r.numPendingTests + r.numTodoTests;
  summary = `tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`;
  if (r.numFailedTestSuites > 0) summary += ` (${r.numFailedTestSuites} suites failed to run)`;
  if (r.numTotalTests === 0) {
    console.log(summary);
    console.error('no test ran');
    process.exit(1);
  }
} catch {
  summary = 'tests: 0 passed, 1 failed (no vitest result file)';
}
console.log(summary);
process.exit(status);
