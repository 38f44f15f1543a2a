#!/usr/bin/env node
// Runs parseJobspec over every jobspec in a Nomad checkout and sorts the failures by kind.
//
//   node --conditions=source --import tsx scripts/nomad-corpus.mjs /path/to/nomad [--verbose] [--json]
//
// A jobspec is any .hcl / .nomad / .nomad.hcl / .nomad.json file (outside website/, ui/,
// node_modules/) whose top level has a `job "…"` block. Files that need `-var` values get them
// from CORPUS_VARS below. Exit status 1 when a file fails that is not listed in EXPECTED_FAILURES
// (jobs Nomad itself rejects). Nothing of Nomad's is copied into this repository; the script
// reads the checkout it is given. The bench (`npm run bench -- hcl`) reuses `nomadJobspecs`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** Variable values for corpus files that declare variables without defaults (path relative to the checkout). */
export const CORPUS_VARS = {
  'e2e/cni/input/config_format.nomad.hcl': { format: 'json' },
  'e2e/consul/input/service_reversion.nomad': { service: 'echo' },
  'e2e/docker/input/docker_config.hcl': { registry_address: '127.0.0.1:5000', user: 'root' },
  'e2e/docker_registry/registry-auths.hcl': { registry_address: '127.0.0.1:5000', user: 'root' },
  'e2e/e2eutil/input/disconnect-node.nomad': { nodeID: 'node-1' },
  'e2e/e2eutil/input/restart-node.nomad': { nodeID: 'node-1' },
  'e2e/jobsubmissions/input/xyz.hcl': { X: 'x', Y: '2', Z: 'true' },
  'e2e/pledge/input/curl.hcl': { address: 'https://example.com' },
  'e2e/secret/input/custom_secret.hcl': { secret_value: 'hunter2' },
  'e2e/secret/input/nomad_secret.hcl': { secret_path: 'secret/data/x' },
  'e2e/secret/input/vault_secret.hcl': { secret_path: 'secret/data/x' },
  'e2e/servicediscovery/input/checks_task_restart_helper.nomad': {
    nodeID: 'node-1',
    cmd: 'touch',
    delay: '3',
    filename: '/tmp/x',
  },
  'e2e/servicediscovery/input/checks_task_restart_main.nomad': { filename: '/tmp/x' },
  'e2e/task_schedule/input/schedule.nomad.hcl': { start: '0 0 * * *', end: '0 1 * * *' },
  'e2e/workload_id/input/node-meta.nomad.hcl': {
    foo_key: 'foo',
    empty_key: 'empty',
    unset_key: 'unset',
    foo_constraint: 'foo',
    empty_constraint: 'empty',
    unset_constraint: 'unset',
  },
};

/**
 * Files Nomad itself does not accept as they stand (relative path -> why). They are still
 * decoded; only a failure outside this list fails the run.
 */
export const EXPECTED_FAILURES = {
  'e2e/scaling/input/namespace_default_2.nomad.hcl':
    'count above the scaling max; e2e/scaling asserts "task group count must not be greater than maximum count"',
  'e2e/scaling/input/namespace_default_3.nomad.hcl':
    'count below the scaling min; e2e/scaling asserts an error',
  'jobspec2/test-fixtures/restart-render-templates.hcl':
    'a parse-only fixture (jobspec2 tests): tasks without a driver do not validate',
  'jobspec2/test-fixtures/template-err-missing-key.hcl':
    'a parse-only fixture (jobspec2 tests): no driver, template without destination',
  'jobspec2/test-fixtures/template-wait-config.hcl':
    'a parse-only fixture (jobspec2 tests): no driver, template without destination',
  'demo/csi/kadalu-csi/controller.nomad':
    'reads ~/.ssh/id_rsa with file(); fails wherever that file is absent',
};

const SKIP_DIRS = new Set(['.git', 'node_modules', 'website', 'ui', 'vendor', '.terraform']);
const JOB_RE = /^\s*job\s+"/m;
const JSON_JOB_RE = /^\s*\{\s*"job"\s*:/;

/** Every jobspec under `root`: `{ rel, abs, source, vars }`, sorted by path. */
export function nomadJobspecs(root) {
  const out = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) walk(path.join(dir, e.name));
        continue;
      }
      const isJson = e.name.endsWith('.nomad.json');
      if (!isJson && !/\.(hcl|nomad)$/.test(e.name)) continue;
      const abs = path.join(dir, e.name);
      if (statSync(abs).size > 1 << 20) continue;
      const source = readFileSync(abs, 'utf8');
      if (!(isJson ? JSON_JOB_RE.test(source) : JOB_RE.test(source))) continue;
      const rel = path.relative(root, abs).split(path.sep).join('/');
      out.push({ rel, abs, source, vars: CORPUS_VARS[rel] ?? {} });
    }
  };
  walk(root);
  return out.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
}

/** One line per diagnostic kind: its summary with quoted names and numbers folded. */
function kind(d) {
  return `${d.summary}: ${d.detail ?? ''}`
    .replace(/"[^"]*"/g, '"…"')
    .replace(/\d+/g, 'N')
    .slice(0, 140);
}

async function main() {
  const args = process.argv.slice(2);
  const root = args.find((a) => !a.startsWith('--'));
  if (!root) {
    console.error(
      'usage: node --conditions=source --import tsx scripts/nomad-corpus.mjs NOMAD_CHECKOUT [--verbose] [--json]',
    );
    process.exit(2);
  }
  const { parseJobspec } = await import('@tsnomad/hcl');
  const files = nomadJobspecs(root);
  const kinds = new Map();
  const failed = [];
  const report = [];
  for (const f of files) {
    const r = parseJobspec(f.source, { filename: f.abs, vars: f.vars, allowFs: true });
    const expected = Object.hasOwn(EXPECTED_FAILURES, f.rel);
    if (r.ok) {
      report.push({ file: f.rel, ok: true, expectedFailure: expected });
      continue;
    }
    report.push({ file: f.rel, ok: false, expectedFailure: expected, diagnostics: r.diagnostics });
    if (!expected) failed.push(f.rel);
    for (const d of r.diagnostics) {
      const k = kind(d);
      const list = kinds.get(k) ?? [];
      list.push(`${f.rel}:${d.range?.start?.line ?? '?'}`);
      kinds.set(k, list);
    }
  }
  if (args.includes('--json')) {
    console.log(JSON.stringify(report, null, 2));
  } else {
    for (const [k, where] of [...kinds].sort((a, b) => b[1].length - a[1].length)) {
      console.log(`${String(where.length).padStart(4)}  ${k}`);
      if (args.includes('--verbose')) for (const w of where) console.log(`        ${w}`);
    }
    const ok = report.filter((r) => r.ok).length;
    const exp = report.filter((r) => !r.ok && r.expectedFailure).length;
    console.log(
      `\n${files.length} jobspecs: ${ok} ok, ${exp} rejected as Nomad rejects them, ${failed.length} unexpected failures`,
    );
    for (const f of failed) console.log(`  FAIL ${f}`);
  }
  process.exit(failed.length ? 1 : 0);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
