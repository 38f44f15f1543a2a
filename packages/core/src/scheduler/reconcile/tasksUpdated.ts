/**
 * Which job changes force a destructive update (a new allocation) and which can be applied in
 * place, following Nomad's tasksUpdated comparison field by field.
 */
import type { Job, TaskGroup } from '../../jobspec/types.js';

/** The first difference found, or `modified: false`. */
export interface Comparison {
  modified: boolean;
  label?: string;
}

const SAME: Comparison = { modified: false };

/** Structural equality treating undefined, null, empty objects and empty arrays as absent. Pure. */
export function deepEqual(a: unknown, b: unknown): boolean {
  const na = normalize(a);
  const nb = normalize(b);
  if (na === nb) return true;
  if (typeof na !== 'object' || typeof nb !== 'object' || na === null || nb === null) return false;
  if (Array.isArray(na) !== Array.isArray(nb)) return false;
  if (Array.isArray(na) && Array.isArray(nb)) {
    return na.length === nb.length && na.every((x, i) => deepEqual(x, nb[i]));
  }
  const ra = na as Record<string, unknown>;
  const rb = nb as Record<string, unknown>;
  const keys = new Set([...Object.keys(ra), ...Object.keys(rb)]);
  for (const k of keys) if (!deepEqual(ra[k], rb[k])) return false;
  return true;
}

function normalize(v: unknown): unknown {
  if (v === null || v === undefined) return undefined;
  if (Array.isArray(v)) return v.length === 0 ? undefined : v;
  if (typeof v === 'object') {
    const entries = Object.entries(v).filter(([, x]) => normalize(x) !== undefined);
    return entries.length === 0 ? undefined : v;
  }
  return v;
}

function diff(label: string, a: unknown, b: unknown): Comparison | undefined {
  return deepEqual(a, b) ? undefined : { modified: true, label };
}

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (v && typeof v === 'object' ? (v as Rec) : {});

/** Job, group and task meta merged, task winning (Nomad's CombinedTaskMeta). */
function combinedMeta(job: Job, tg: TaskGroup, task: Rec): Rec {
  return { ...rec((job as unknown as Rec).meta), ...rec((tg as unknown as Rec).meta), ...rec(task.meta) };
}

/** Services that use Consul Connect; other service changes are in-place. */
function connectServices(tg: TaskGroup): unknown[] {
  const services = ((tg as unknown as Rec).services as Rec[] | undefined) ?? [];
  return services
    .filter((s) => s.connect !== undefined && s.connect !== null)
    .map((s) => [s.name, s.port, s.connect]);
}

function renderTemplates(restart: unknown): unknown {
  return rec(restart).renderTemplates ?? false;
}

/**
 * Compares task group `group` of two job versions and reports the first change that needs a new
 * allocation: task count, ephemeral disk, networks, Consul settings, Connect services, volumes,
 * and per task driver, user, config, env, artifacts, vault, secrets, templates, CSI plugin,
 * volume mounts, combined meta, resources (cpu, cores, memory, memory_max, devices, NUMA,
 * networks), identities, log disabling and restart render_templates. Pure.
 * Example: `tasksUpdated(v1, v2, 'web').modified` is true after a docker image change.
 */
export function tasksUpdated(jobA: Job, jobB: Job, group: string): Comparison {
  const a = jobA.taskGroups.find((g) => g.name === group);
  const b = jobB.taskGroups.find((g) => g.name === group);
  if (!a || !b) return { modified: true, label: 'task group' };
  const ga = a as unknown as Rec;
  const gb = b as unknown as Rec;
  const tasksA = (ga.tasks as Rec[] | undefined) ?? [];
  const tasksB = (gb.tasks as Rec[] | undefined) ?? [];
  if (tasksA.length !== tasksB.length) return { modified: true, label: 'number of tasks' };
  const groupChecks =
    diff('ephemeral disk', ga.ephemeralDisk, gb.ephemeralDisk) ??
    diff('network', ga.networks, gb.networks) ??
    diff('consul', ga.consul, gb.consul) ??
    diff('connect service', connectServices(a), connectServices(b)) ??
    diff('volume request', ga.volumes, gb.volumes) ??
    diff(
      'group restart render_templates',
      renderTemplates(ga.restartPolicy),
      renderTemplates(gb.restartPolicy),
    );
  if (groupChecks) return groupChecks;

  for (const ta of tasksA) {
    const tb = tasksB.find((t) => t.name === ta.name);
    if (!tb) return { modified: true, label: 'task deleted' };
    const ra = rec(ta.resources);
    const rb = rec(tb.resources);
    const c =
      diff('task driver', ta.driver, tb.driver) ??
      diff('task user', ta.user ?? '', tb.user ?? '') ??
      diff('task config', ta.config, tb.config) ??
      diff('task env', ta.env, tb.env) ??
      diff('task artifacts', ta.artifacts, tb.artifacts) ??
      diff('task vault', ta.vault, tb.vault) ??
      diff('task secrets', ta.secrets, tb.secrets) ??
      diff('consul', ta.consul, tb.consul) ??
      diff('task templates', ta.templates, tb.templates) ??
      diff('task csi config', ta.csiPluginConfig, tb.csiPluginConfig) ??
      diff('task volume mount', ta.volumeMounts, tb.volumeMounts) ??
      diff('task meta', combinedMeta(jobA, a, ta), combinedMeta(jobB, b, tb)) ??
      diff('network', ra.networks, rb.networks) ??
      diff('task cpu', ra.cpu, rb.cpu) ??
      diff('task cores', ra.cores, rb.cores) ??
      diff('task memory', ra.memoryMB, rb.memoryMB) ??
      diff('task memory max', ra.memoryMaxMB, rb.memoryMaxMB) ??
      diff('task devices', ra.devices, rb.devices) ??
      diff('numa', ra.numa, rb.numa) ??
      diff('task secrets', ra.secretsMB, rb.secretsMB) ??
      diff('task identity', ta.identity, tb.identity) ??
      diff('task identity', ta.identities, tb.identities) ??
      diff('task log disabled', rec(ta.logConfig).disabled ?? false, rec(tb.logConfig).disabled ?? false) ??
      diff(
        'task restart render_templates',
        renderTemplates(ta.restartPolicy),
        renderTemplates(tb.restartPolicy),
      );
    if (c) return c;
  }
  return SAME;
}
