/**
 * Every job example of the guide, saved verbatim as `test/fixtures/*.hcl`, decodes to the job its
 * API JSON fixture (core's `test/fixtures/jobs`) describes: canonicalizeJob(HCL) deep-equals
 * canonicalizeJob(decodeJob(JSON)).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { canonicalizeJob, decodeJob, validateJob, type Job } from '@tsnomad/core';
import { formatDiagnostics } from '../../src/diagnostics.js';
import { decodeJobspec } from '../../src/jobspec/parseJobspec.js';

const HCL_DIR = new URL('../fixtures/', import.meta.url);
const JSON_DIR = new URL('../../../core/test/fixtures/jobs/', import.meta.url);

/**
 * Which JSON fixture describes each HCL example, and the paths the JSON fixture completes where
 * the guide elides part of the job with `# ...` (listed in core's fixtures README). Those paths
 * are copied from the JSON side; everything else must match.
 */
const PAIRS: Record<string, { json: string; completed?: string[]; wrap?: string }> = {
  'guide-L267-web-api.hcl': { json: 's3-2-service-web-api.json' },
  'guide-L457-data-pipeline.hcl': { json: 's3-2-batch-data-pipeline.json' },
  'guide-L524-node-exporter.hcl': { json: 's3-2-system-node-exporter.json' },
  'guide-L591-security-scan.hcl': { json: 's3-2-sysbatch-security-scan.json' },
  'guide-L618-gpu-training.hcl': { json: 's3-3-gpu-training.json' },
  'guide-L790-critical-service.hcl': {
    json: 's4-4-critical-service.json',
    completed: ['taskGroups.0.tasks.0.driver', 'taskGroups.0.tasks.0.config'],
  },
  'guide-L804-background-worker.hcl': {
    json: 's4-4-background-worker.json',
    completed: ['taskGroups.0.tasks.0.driver', 'taskGroups.0.tasks.0.config'],
  },
  'guide-L1059-web-app.hcl': { json: 's6-3-web-app-connect.json' },
  'guide-L1224-ebs-csi-controller.hcl': { json: 's7-4-ebs-csi-controller.json' },
  'guide-L1256-ebs-csi-node.hcl': { json: 's7-4-ebs-csi-node.json' },
  'guide-L1516-web-api.hcl': {
    json: 's9-3-web-api-vault.json',
    completed: ['taskGroups.0.tasks.0.driver', 'taskGroups.0.tasks.0.config'],
  },
  'guide-L1583-web-api.hcl': { json: 's10-1-rolling-update.json' },
  'guide-L1620-web-api.hcl': { json: 's10-2-blue-green.json', completed: ['taskGroups.0.networks'] },
  'guide-L1671-web-api.hcl': { json: 's10-3-canary.json', completed: ['taskGroups.0.tasks'] },
  'guide-L1692-global-api.hcl': { json: 's10-4-multiregion.json' },
  'guide-L1777-web-api.hcl': { json: 's11-2-horizontal-scaling.json' },
  'guide-L2235-web-api.hcl': { json: 's14-1-namespace.json', completed: ['taskGroups'] },
  'guide-L2919-ecommerce-platform.hcl': { json: 's21-1-ecommerce-platform.json' },
  'guide-L3091-data-pipeline.hcl': { json: 's21-2-data-pipeline.json' },
  // Snippets showing only a group or a task: wrapped as core's fixtures README describes, in a
  // job named `wrap` with datacenters ["dc1"] (and a group "main" around a bare task).
  'guide-L689-group-api.hcl': {
    json: 's3-3-group-affinity.json',
    wrap: 'group-affinity',
    completed: ['taskGroups.0.tasks'],
  },
  'guide-L709-group-api.hcl': {
    json: 's3-3-group-spread.json',
    wrap: 'group-spread',
    completed: ['taskGroups.0.tasks'],
  },
  'guide-L821-task-api.hcl': {
    json: 's4-5-memory-oversubscription.json',
    wrap: 'memory-oversubscription',
    completed: ['taskGroups.0.tasks.0.driver', 'taskGroups.0.tasks.0.config'],
  },
  'guide-L846-task-web.hcl': { json: 's5-2-docker.json', wrap: 'docker' },
  'guide-L898-task-app.hcl': { json: 's5-3-exec.json', wrap: 'exec' },
  'guide-L927-task-spring-app.hcl': { json: 's5-4-java.json', wrap: 'java' },
  'guide-L986-group-api.hcl': {
    json: 's6-1-network-modes.json',
    wrap: 'network-modes',
    completed: ['taskGroups.0.tasks'],
  },
  'guide-L1045-group-api.hcl': { json: 's6-2-cni.json', wrap: 'cni', completed: ['taskGroups.0.tasks'] },
  'guide-L1167-group-cache.hcl': { json: 's7-2-ephemeral-disk.json', wrap: 'ephemeral-disk' },
  'guide-L1199-group-database.hcl': { json: 's7-3-host-volume.json', wrap: 'host-volume' },
  'guide-L1307-group-database.hcl': { json: 's7-4-csi-volume.json', wrap: 'csi-volume' },
  'guide-L1341-group-api.hcl': {
    json: 's8-1-native-service.json',
    wrap: 'native-service',
    completed: ['taskGroups.0.tasks.0.driver', 'taskGroups.0.tasks.0.config', 'taskGroups.0.networks'],
  },
  'guide-L1372-group-api.hcl': {
    json: 's8-2-consul-service.json',
    wrap: 'consul-service',
    completed: ['taskGroups.0.tasks', 'taskGroups.0.networks'],
  },
  'guide-L1428-task-nginx.hcl': { json: 's8-3-template.json', wrap: 'template' },
  'guide-L1899-task-api.hcl': {
    json: 's12-1-variables.json',
    wrap: 'variables',
    completed: ['taskGroups.0.tasks.0.driver', 'taskGroups.0.tasks.0.config'],
  },
  'guide-L1922-task-app.hcl': {
    json: 's12-2-runtime-variables.json',
    wrap: 'runtime-variables',
    completed: ['taskGroups.0.tasks.0.driver', 'taskGroups.0.tasks.0.config'],
  },
  'guide-L1961-task-app.hcl': {
    json: 's12-3-templates.json',
    wrap: 'templates',
    completed: ['taskGroups.0.tasks.0.driver', 'taskGroups.0.tasks.0.config'],
  },
};

function wrapSnippet(src: string, jobId: string | undefined): string {
  if (jobId === undefined) return src;
  const inner = src.startsWith('task ') ? `group "main" {\n${src}}\n` : src;
  return `job "${jobId}" {\ndatacenters = ["dc1"]\n${inner}}\n`;
}

function copyPath(from: unknown, to: unknown, path: string): void {
  const keys = path.split('.');
  const last = keys.pop() as string;
  let src = from as Record<string, unknown>;
  let dst = to as Record<string, unknown>;
  for (const k of keys) {
    src = src[k] as Record<string, unknown>;
    dst = dst[k] as Record<string, unknown>;
  }
  dst[last] = src[last];
}

/**
 * Labelled blocks (regions, ports) keep source order in Nomad's jobspec2; the JSON fixtures list
 * them sorted by label, as hcl2json's objects do. Compare them as sets.
 */
function normalizeOrder(job: Job): Job {
  const copy = structuredClone(job);
  copy.multiregion?.regions.sort((a, b) => a.name.localeCompare(b.name));
  for (const g of copy.taskGroups) {
    for (const n of [...g.networks, ...g.tasks.flatMap((t) => t.resources.networks)]) {
      n.dynamicPorts.sort((a, b) => a.label.localeCompare(b.label));
      n.reservedPorts.sort((a, b) => a.label.localeCompare(b.label));
    }
  }
  return copy;
}

describe('guide examples: HCL fixture == API JSON fixture', () => {
  const hclFiles = readdirSync(HCL_DIR).filter((f) => f.endsWith('.hcl'));

  it('every HCL fixture has a JSON counterpart', () => {
    expect(hclFiles.filter((f) => !(f in PAIRS))).toEqual([]);
    expect(hclFiles.length).toBe(Object.keys(PAIRS).length);
  });

  it.each(Object.entries(PAIRS))('%s', (hclFile, { json, completed, wrap }) => {
    const src = wrapSnippet(readFileSync(new URL(hclFile, HCL_DIR), 'utf8'), wrap);
    const r = decodeJobspec(src, { filename: hclFile });
    if (!r.ok) throw new Error(formatDiagnostics(r.diagnostics));
    const fromHcl = canonicalizeJob(r.value);
    const decoded = decodeJob(JSON.parse(readFileSync(new URL(json, JSON_DIR), 'utf8')));
    if (!decoded.ok)
      throw new Error(`JSON fixture ${json} does not decode: ${JSON.stringify(decoded.errors)}`);
    const fromJson = canonicalizeJob(decoded.value);
    for (const p of completed ?? []) copyPath(fromJson, fromHcl, p);
    expect(validateJob(fromHcl)).toEqual([]);
    expect(normalizeOrder(fromHcl)).toEqual(normalizeOrder(fromJson));
  });
});
