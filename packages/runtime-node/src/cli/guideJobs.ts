/**
 * The guide's example jobs and how the demo loads a job file: HCL through `parseJobspec`, Nomad
 * API JSON through `decodeJob` + `canonicalizeJob` + `validateJob`. A bad file yields its
 * path-precise messages, never a stack trace.
 */
import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { canonicalizeJob, decodeJob, validateJob, type Job } from '@tsnomad/core';
import { formatDiagnostics, parseJobspec } from '@tsnomad/hcl';

// Resolved when asked for, from the sources (the fixtures are repository files, not published).
const fixtureDir = (rel: string): string => fileURLToPath(new URL(rel, import.meta.url));

/**
 * The guide's jobs in guide order. A whole `job` example with nothing elided is read from its
 * verbatim HCL fixture; a snippet (a bare group or task) or an example the guide elides with
 * `# ...` is read from its API JSON fixture, which completes it (core's fixtures README).
 */
const GUIDE_JOBS: readonly { json: string; hcl?: string }[] = [
  { json: 's3-2-service-web-api.json', hcl: 'guide-L267-web-api.hcl' },
  { json: 's3-2-batch-data-pipeline.json', hcl: 'guide-L457-data-pipeline.hcl' },
  { json: 's3-2-system-node-exporter.json', hcl: 'guide-L524-node-exporter.hcl' },
  { json: 's3-2-sysbatch-security-scan.json', hcl: 'guide-L591-security-scan.hcl' },
  { json: 's3-3-gpu-training.json', hcl: 'guide-L618-gpu-training.hcl' },
  { json: 's3-3-group-affinity.json' },
  { json: 's3-3-group-spread.json' },
  { json: 's4-4-critical-service.json' },
  { json: 's4-4-background-worker.json' },
  { json: 's4-5-memory-oversubscription.json' },
  { json: 's5-2-docker.json' },
  { json: 's5-3-exec.json' },
  { json: 's5-4-java.json' },
  { json: 's6-1-network-modes.json' },
  { json: 's6-2-cni.json' },
  { json: 's6-3-web-app-connect.json', hcl: 'guide-L1059-web-app.hcl' },
  { json: 's7-2-ephemeral-disk.json' },
  { json: 's7-3-host-volume.json' },
  { json: 's7-4-csi-volume.json' },
  { json: 's7-4-ebs-csi-controller.json', hcl: 'guide-L1224-ebs-csi-controller.hcl' },
  { json: 's7-4-ebs-csi-node.json', hcl: 'guide-L1256-ebs-csi-node.hcl' },
  { json: 's8-1-native-service.json' },
  { json: 's8-2-consul-service.json' },
  { json: 's8-3-template.json' },
  { json: 's9-3-web-api-vault.json' },
  { json: 's10-1-rolling-update.json', hcl: 'guide-L1583-web-api.hcl' },
  { json: 's10-2-blue-green.json' },
  { json: 's10-3-canary.json' },
  { json: 's10-4-multiregion.json', hcl: 'guide-L1692-global-api.hcl' },
  { json: 's11-2-horizontal-scaling.json', hcl: 'guide-L1777-web-api.hcl' },
  { json: 's12-1-variables.json' },
  { json: 's12-2-runtime-variables.json' },
  { json: 's12-3-templates.json' },
  { json: 's14-1-namespace.json' },
  { json: 's21-1-ecommerce-platform.json', hcl: 'guide-L2919-ecommerce-platform.hcl' },
  { json: 's21-2-data-pipeline.json', hcl: 'guide-L3091-data-pipeline.hcl' },
];

/** The files of the guide's jobs, absolute paths (HCL where a whole job exists, else JSON). */
export function guideJobFiles(): string[] {
  const hclDir = fixtureDir('../../../hcl/test/fixtures/');
  const jsonDir = fixtureDir('../../../core/test/fixtures/jobs/');
  return GUIDE_JOBS.map((g) => (g.hcl ? hclDir + g.hcl : jsonDir + g.json));
}

/** A job file read and checked: the canonical job, or the messages explaining why not. */
export type LoadedJob = { ok: true; file: string; job: Job } | { ok: false; file: string; errors: string[] };

/**
 * The text of a regular file. Opened non-blocking and checked before reading, so a FIFO, a
 * directory or a device is refused at once instead of blocking or reading forever.
 */
function readRegularFile(path: string): string {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) {
      const kind = st.isFIFO()
        ? 'a FIFO'
        : st.isDirectory()
          ? 'a directory'
          : st.isCharacterDevice() || st.isBlockDevice()
            ? 'a device'
            : st.isSocket()
              ? 'a socket'
              : 'not a file';
      throw new Error(`${path} is ${kind}; a job file must be a regular file`);
    }
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}

/** Reads one job file (`.hcl`/`.nomad` as HCL, anything else as API JSON). */
export function loadJobFile(path: string): LoadedJob {
  const file = basename(path);
  let text: string;
  try {
    text = readRegularFile(path);
  } catch (e) {
    return { ok: false, file, errors: [`cannot read: ${e instanceof Error ? e.message : String(e)}`] };
  }
  if (/\.(hcl|nomad)$/.test(path)) {
    const r = parseJobspec(text, { filename: file });
    return r.ok
      ? { ok: true, file, job: r.value }
      : { ok: false, file, errors: [formatDiagnostics(r.diagnostics)] };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, file, errors: [`cannot read JSON: ${e instanceof Error ? e.message : String(e)}`] };
  }
  const decoded = decodeJob(json);
  if (!decoded.ok) return { ok: false, file, errors: decoded.errors.map((e) => e.message) };
  const job = canonicalizeJob(decoded.value);
  const problems = validateJob(job);
  return problems.length === 0
    ? { ok: true, file, job }
    : { ok: false, file, errors: problems.map((p) => `${p.path}: ${p.message}`) };
}
