import type Docker from 'dockerode';

import { defineConfigSchema, type ConfigError, type ConfigValue } from '../configSchema.js';
import type { TaskConfig } from '../driver.js';
import { NOMAD_DEFAULT_CAPS } from '../exec/capabilities.js';

/**
 * Capabilities a task may add without the operator widening `allow_caps`: Nomad's default list,
 * the same one exec and java start from (one list, in exec/capabilities.ts).
 */
export const DEFAULT_ALLOW_CAPS: readonly string[] = NOMAD_DEFAULT_CAPS;

/** `plugin "docker" { config { ... } }`. */
export const dockerPluginConfigSchema = defineConfigSchema({
  endpoint: {
    type: 'string',
    doc: 'Docker API endpoint, e.g. unix:///var/run/docker.sock; default $DOCKER_HOST',
  },
  allow_privileged: { type: 'bool', default: false, doc: 'let tasks set privileged = true' },
  allow_caps: {
    type: 'list',
    of: { type: 'string' },
    default: DEFAULT_ALLOW_CAPS,
    doc: 'capabilities cap_add may name',
  },
  volumes: {
    type: 'block',
    fields: {
      enabled: { type: 'bool', default: false, doc: 'allow host paths outside the task dir in volumes' },
    },
  },
  pull_timeout: { type: 'string', default: '5m', doc: 'default image_pull_timeout' },
});

/** A task's `config { ... }` for the docker driver (the subset of Nomad's options tsnomad honours). */
export const dockerTaskConfigSchema = defineConfigSchema({
  image: { type: 'string', required: true },
  command: { type: 'string' },
  args: { type: 'list', of: { type: 'string' } },
  entrypoint: { type: 'list', of: { type: 'string' } },
  work_dir: { type: 'string' },
  hostname: { type: 'string' },
  ports: { type: 'list', of: { type: 'string' }, doc: 'labels of group network ports to publish' },
  labels: { type: 'map', of: { type: 'string' } },
  volumes: {
    type: 'list',
    of: { type: 'string' },
    doc: '"host:container[:ro]"; relative host paths are under the task dir',
  },
  mounts: {
    type: 'list',
    of: {
      type: 'block',
      fields: {
        type: { type: 'string', default: 'volume', oneOf: ['bind', 'volume', 'tmpfs'] },
        target: { type: 'string', required: true },
        source: { type: 'string' },
        readonly: { type: 'bool', default: false },
      },
    },
  },
  network_mode: { type: 'string' },
  cap_add: { type: 'list', of: { type: 'string' } },
  cap_drop: { type: 'list', of: { type: 'string' } },
  readonly_rootfs: { type: 'bool', default: false },
  pids_limit: { type: 'number', integer: true, min: 0 },
  privileged: { type: 'bool', default: false },
  sysctl: { type: 'map', of: { type: 'string' } },
  ulimit: { type: 'map', of: { type: 'string' }, doc: '"n" or "soft:hard"' },
  dns_servers: { type: 'list', of: { type: 'string' } },
  dns_search_domains: { type: 'list', of: { type: 'string' } },
  dns_options: { type: 'list', of: { type: 'string' } },
  extra_hosts: { type: 'list', of: { type: 'string' } },
  auth: {
    type: 'block',
    fields: {
      username: { type: 'string' },
      password: { type: 'string' },
      email: { type: 'string' },
      server_address: { type: 'string' },
    },
  },
  logging: {
    type: 'block',
    fields: { type: { type: 'string' }, config: { type: 'map', of: { type: 'string' } } },
  },
  force_pull: { type: 'bool', default: false },
  image_pull_timeout: { type: 'string' },
  memory_hard_limit: { type: 'number', integer: true, min: 0, doc: 'MiB; overrides memory_max' },
  cpu_hard_limit: { type: 'bool', default: false, doc: 'enforce resources.cpu as a CFS quota' },
  cpu_cfs_period: { type: 'number', integer: true, min: 1000, max: 1000000, default: 100000 },
});

export type DockerPluginConfig = ConfigValue<typeof dockerPluginConfigSchema>;
export type DockerTaskConfig = ConfigValue<typeof dockerTaskConfigSchema>;

const MiB = 1024 * 1024;

function err(path: string, expected: string, actual: string): ConfigError {
  return { path, expected, actual, message: `${path}: expected ${expected}, got ${actual}` };
}

/** Labels tsnomad puts on every container so orphans can be found and matched to tasks. */
export const LABEL_TASK_ID = 'com.tsnomad.task_id';
export const LABEL_ALLOC_ID = 'com.hashicorp.nomad.alloc_id';

/**
 * Checks what the schema cannot: privileges against the plugin config, volume rules, ulimit syntax,
 * port labels against the allocation. Pure.
 */
export function checkDockerPolicy(
  cfg: DockerTaskConfig,
  plugin: DockerPluginConfig,
  task: Pick<TaskConfig, 'ports'>,
): ConfigError[] {
  const errors: ConfigError[] = [];
  if (cfg.privileged && !plugin.allow_privileged) {
    errors.push(err('config.privileged', 'false (the docker plugin sets allow_privileged = false)', 'true'));
  }
  const allowed = new Set(plugin.allow_caps.map((c) => c.toLowerCase()));
  if (!allowed.has('all')) {
    (cfg.cap_add ?? []).forEach((c, i) => {
      const name = c.toLowerCase().replace(/^cap_/, '');
      if (!allowed.has(name)) {
        errors.push(
          err(`config.cap_add[${i}]`, `a capability in allow_caps (${[...allowed].join(', ')})`, c),
        );
      }
    });
  }
  (cfg.volumes ?? []).forEach((v, i) => {
    const parts = v.split(':');
    if (parts.length < 2 || parts.length > 3 || !parts[0] || !parts[1]) {
      errors.push(err(`config.volumes[${i}]`, '"host_path:container_path[:ro|rw]"', JSON.stringify(v)));
    } else if (parts[0].startsWith('/') && !plugin.volumes?.enabled) {
      errors.push(
        err(`config.volumes[${i}]`, 'a path relative to the task dir (volumes are disabled)', parts[0]),
      );
    }
  });
  (cfg.mounts ?? []).forEach((m, i) => {
    if (m.type !== 'tmpfs' && !m.source)
      errors.push(err(`config.mounts[${i}].source`, 'a source', 'nothing'));
    if (m.type === 'bind' && m.source?.startsWith('/') && !plugin.volumes?.enabled) {
      errors.push(
        err(`config.mounts[${i}].source`, 'a path relative to the task dir (volumes are disabled)', m.source),
      );
    }
  });
  for (const [name, v] of Object.entries(cfg.ulimit ?? {})) {
    if (!/^\d+(:\d+)?$/.test(v))
      errors.push(err(`config.ulimit.${name}`, '"n" or "soft:hard"', JSON.stringify(v)));
  }
  const labels = new Set((task.ports ?? []).map((p) => p.label));
  (cfg.ports ?? []).forEach((l, i) => {
    if (!labels.has(l))
      errors.push(err(`config.ports[${i}]`, 'a port label of the group network', JSON.stringify(l)));
  });
  return errors;
}

function hostPath(taskDir: string, p: string): string {
  return p.startsWith('/') ? p : `${taskDir}/${p}`;
}

/**
 * Builds the Docker Engine API create-container body for a task. Pure.
 *
 * @example
 * buildContainerOptions(task, { image: 'busybox', args: ['sleep', '10'] }, 'busybox-<alloc>')
 */
export function buildContainerOptions(
  task: TaskConfig,
  cfg: DockerTaskConfig,
  name: string,
): Docker.ContainerCreateOptions {
  const exposed: Record<string, object> = {};
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  // In the allocation's own namespace (bridge mode) CNI's portmap publishes the ports, not the engine.
  const joinNs =
    task.networkIsolation?.path && !cfg.network_mode ? `ns:${task.networkIsolation.path}` : undefined;
  for (const label of joinNs ? [] : (cfg.ports ?? [])) {
    const p = (task.ports ?? []).find((x) => x.label === label);
    if (!p) continue;
    const inner = p.to !== undefined && p.to > 0 ? p.to : p.value;
    for (const proto of ['tcp', 'udp']) {
      exposed[`${inner}/${proto}`] = {};
      bindings[`${inner}/${proto}`] = [{ HostIp: p.hostIp, HostPort: String(p.value) }];
    }
  }
  const binds = [
    `${task.allocDir}/alloc:/alloc`,
    `${task.taskDir}/local:/local`,
    `${task.taskDir}/secrets:/secrets`,
    ...(cfg.volumes ?? []).map((v) => {
      const [h = '', c = '', mode] = v.split(':');
      return `${hostPath(task.taskDir, h)}:${c}${mode ? `:${mode}` : ''}`;
    }),
    ...(task.mounts ?? []).map((m) => `${m.hostPath}:${m.taskPath}${m.readonly ? ':ro' : ''}`),
  ];
  const mounts = (cfg.mounts ?? []).map((m) => ({
    Type: m.type as 'bind' | 'volume' | 'tmpfs',
    Target: m.target,
    ReadOnly: m.readonly,
    Source: m.source === undefined ? '' : m.type === 'bind' ? hostPath(task.taskDir, m.source) : m.source,
  }));
  const r = task.resources;
  // memory_max (oversubscription) becomes the hard limit and memory the soft reservation, as in Nomad.
  const hardMB = cfg.memory_hard_limit ?? (r.memoryMaxMB > r.memoryMB ? r.memoryMaxMB : r.memoryMB);
  const ulimits = Object.entries(cfg.ulimit ?? {}).map(([Name, v]) => {
    const [soft = '0', hard] = v.split(':');
    return { Name, Soft: Number(soft), Hard: Number(hard ?? soft) };
  });
  const env = Object.entries(task.env).map(([k, v]) => `${k}=${v}`);
  const hostConfig: Docker.HostConfig = {
    Binds: binds,
    PortBindings: bindings,
    Memory: hardMB * MiB,
    ...(hardMB > r.memoryMB ? { MemoryReservation: r.memoryMB * MiB } : {}),
    CpuShares: Math.max(2, r.cpuMHz),
    ...(cfg.cpu_hard_limit
      ? { CpuPeriod: cfg.cpu_cfs_period, CpuQuota: Math.round((r.cpuMHz / 1000) * cfg.cpu_cfs_period) }
      : {}),
    ...(cfg.network_mode ? { NetworkMode: cfg.network_mode } : joinNs ? { NetworkMode: joinNs } : {}),
    ...(cfg.cap_add ? { CapAdd: cfg.cap_add } : {}),
    ...(cfg.cap_drop ? { CapDrop: cfg.cap_drop } : {}),
    ReadonlyRootfs: cfg.readonly_rootfs,
    ...(cfg.pids_limit !== undefined ? { PidsLimit: cfg.pids_limit } : {}),
    Privileged: cfg.privileged,
    ...(cfg.sysctl ? { Sysctls: cfg.sysctl } : {}),
    ...(ulimits.length > 0 ? { Ulimits: ulimits } : {}),
    ...(cfg.dns_servers ? { Dns: cfg.dns_servers } : {}),
    ...(cfg.dns_search_domains ? { DnsSearch: cfg.dns_search_domains } : {}),
    ...(cfg.dns_options ? { DnsOptions: cfg.dns_options } : {}),
    ...(cfg.extra_hosts ? { ExtraHosts: cfg.extra_hosts } : {}),
    ...(cfg.logging?.type ? { LogConfig: { Type: cfg.logging.type, Config: cfg.logging.config ?? {} } } : {}),
    ...(mounts.length > 0 ? { Mounts: mounts } : {}),
  };
  // The group's dns block applies when the task sets none of its own.
  if (task.dns && !cfg.dns_servers) {
    if (task.dns.servers.length) hostConfig.Dns = task.dns.servers;
    if (task.dns.searches.length) hostConfig.DnsSearch = task.dns.searches;
    if (task.dns.options.length) hostConfig.DnsOptions = task.dns.options;
  }
  const cmd = [...(cfg.command !== undefined ? [cfg.command] : []), ...(cfg.args ?? [])];
  return {
    name,
    Image: cfg.image,
    ...(cmd.length > 0 ? { Cmd: cmd } : {}),
    ...(cfg.entrypoint ? { Entrypoint: cfg.entrypoint } : {}),
    ...(cfg.work_dir ? { WorkingDir: cfg.work_dir } : {}),
    ...(cfg.hostname ? { Hostname: cfg.hostname } : {}),
    ...(task.user ? { User: task.user } : {}),
    Env: env,
    Labels: {
      ...(cfg.labels ?? {}),
      [LABEL_TASK_ID]: task.id,
      [LABEL_ALLOC_ID]: task.allocId,
      'com.hashicorp.nomad.task_name': task.name,
      ...(task.jobName ? { 'com.hashicorp.nomad.job_name': task.jobName } : {}),
      ...(task.taskGroupName ? { 'com.hashicorp.nomad.task_group_name': task.taskGroupName } : {}),
    },
    ExposedPorts: exposed,
    HostConfig: hostConfig,
  };
}

/** Nomad-style duration strings ("30s", "5m", "1h") to milliseconds; undefined when malformed. Pure. */
export function parseDurationMs(s: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(s.trim());
  if (!m) return undefined;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
  return Number(m[1]) * unit;
}
