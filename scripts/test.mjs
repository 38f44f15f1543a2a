#!/usr/bin/env node
// `npm test`: typecheck, lint, then every vitest test. Ends with one plain line
// "tests: N passed, N failed, N skipped" that CI and people can read at a glance.
//
// The driver tests run real host programs (podman + runc, qemu, CNI plugins, busybox, a JVM).
// On Linux this command first installs the missing ones from Debian when it runs as root
// (scripts/ci-system-deps.sh) and starts a private container engine for the docker tests when
// DOCKER_HOST is not set (scripts/container-engine.sh, stopped again on exit). Without them the
// suites that need them fail to load with a message saying what is missing, and this command
// lists them and exits non-zero: a suite that did not run is a failure, never a skip.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const run = (cmd, args, opts = {}) => {
  console.log(`\n> ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
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
const isRoot = process.getuid?.() === 0;

if (process.platform === 'linux') {
  // Installs only what is missing (a no-op on a prepared machine); warns when it cannot.
  run('bash', ['scripts/ci-system-deps.sh']);
  if (!process.env['DOCKER_HOST'] && isRoot) startContainerEngine();
}

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
let notRun = [];
try {
  const r = JSON.parse(readFileSync(out, 'utf8'));
  const skipped = r.numPendingTests + r.numTodoTests;
  summary = `tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`;
  // A suite that failed before any of its tests ran: a missing host program, a load error.
  notRun = r.testResults
    .filter((s) => s.status === 'failed' && s.assertionResults.length === 0)
    .map((s) => `  ${relative(process.cwd(), s.name)}: ${firstLine(s.message)}`);
  // (vitest's numFailedTestSuites counts describe blocks with a failed test too, so count files.)
  if (notRun.length > 0) summary += ` (${notRun.length} test files did not run)`;
  if (r.numTotalTests === 0) {
    console.log(summary);
    console.error('no test ran');
    process.exit(1);
  }
} catch {
  summary = 'tests: 0 passed, 1 failed (no vitest result file)';
}
if (notRun.length > 0) {
  console.error(`\nTEST SUITES THAT DID NOT RUN (${notRun.length}):\n${notRun.join('\n')}`);
  console.error(
    'Install what they name (as root, `npm test` does it: scripts/ci-system-deps.sh) and run again.',
  );
}
console.log(summary);
process.exit(notRun.length > 0 ? 1 : status);

function firstLine(message) {
  const line = String(message ?? '')
    .split('\n')
    .find((l) => l.trim() !== '');
  // Drop terminal colour codes (ESC [ ... m).
  return (line ?? 'failed to load')
    .replace(new RegExp(String.fromCharCode(27) + '\\[[0-9;]*m', 'g'), '')
    .trim();
}

/**
 * A podman service with a private state dir (several runs on one machine do not share or stop
 * each other's), its variables put in our environment for vitest, stopped when we exit.
 */
function startContainerEngine() {
  const dir = mkdtempSync(join(tmpdir(), 'tsnomad-engine-'));
  const env = { ...process.env, CONTAINER_ENGINE_DIR: dir };
  console.log('\n> bash scripts/container-engine.sh start');
  const r = spawnSync('bash', ['scripts/container-engine.sh', 'start'], {
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const stop = () => {
    spawnSync('bash', ['scripts/container-engine.sh', 'stop'], { env, stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  };
  process.on('exit', stop);
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(1));
  if (r.status !== 0) {
    console.error('WARNING: the container engine did not start: the docker tests will say so and fail');
    return;
  }
  // "export A=x B=y": the variables the docker tests read.
  for (const m of r.stdout.matchAll(/([A-Z_]+)=(\S+)/g)) process.env[m[1]] = m[2];
}
