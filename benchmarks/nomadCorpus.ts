/**
 * Nomad's own jobspecs, found in a Nomad checkout (for scripts/nomad-corpus.mjs and the hcl
 * bench): every .hcl / .nomad / .nomad.hcl / .nomad.json file (outside website/, ui/,
 * node_modules/) whose top level has a `job "…"` block, with the `-var` values the ones that
 * declare variables without defaults need, and the list of files Nomad itself rejects.
 * Nothing of Nomad's is copied into this repository; callers pass the checkout's path.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** One jobspec of the corpus. */
export interface NomadJobspec {
  /** Path relative to the checkout, `/`-separated. */
  rel: string;
  abs: string;
  source: string;
  vars: Record<string, string>;
}

/** Variable values for corpus files that declare variables without defaults (path relative to the checkout). */
export const CORPUS_VARS: Readonly<Record<string, Record<string, string>>> = {
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
export const EXPECTED_FAILURES: Readonly<Record<string, string>> = {
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
export function nomadJobspecs(root: string): NomadJobspec[] {
  const out: NomadJobspec[] = [];
  const walk = (dir: string): void => {
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
