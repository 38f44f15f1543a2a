#!/usr/bin/env node
// `npm test`: typecheck, lint, then every vitest test. Ends with one plain line
// "tests: N passed, N failed, N skipped" that CI and people can read at a glance.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';

const run = (cmd, args) => {
  console.log(`\n> ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  return r.status ?? 1;
};

const extra = process.argv.slice(2);
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
