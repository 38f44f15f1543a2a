/**
 * exec: runs a command isolated in new pid, mount, ipc and uts namespaces, inside a task root
 * built from the task dir (read-only binds of chroot_env), limited by a cgroup (memory with OOM
 * reported, cpu shares from MHz, cpuset for cores). Needs root on Linux with util-linux and
 * cgroup v1 memory and cpu controllers.
 */
import { access } from 'node:fs/promises';
import { platform } from 'node:os';
import { availableControllers, detectCgroupVersion, v2Controllers } from '../cgroups/cgroups.js';
import { defineConfigSchema, validateConfig, type ConfigError, type ConfigSchema } from '../configSchema.js';
import {
  DriverError,
  type Capabilities,
  type Fingerprint,
  type TaskConfig,
  type TaskDriver,
} from '../driver.js';
import { createProcessDriver } from '../process/processDriver.js';
import { resolveCommand } from '../rawexec/rawExecDriver.js';
import { computeCapabilities, NOMAD_DEFAULT_CAPS } from './capabilities.js';
import { DEFAULT_CHROOT_ENV, isolatedExecArgv, prepareIsolated, type NamespaceMode } from './isolation.js';

/** `plugin "exec" { config { ... } }`. */
export const execPluginSchema = defineConfigSchema({
  default_pid_mode: {
    type: 'string',
    oneOf: ['private', 'host'],
    default: 'private',
    doc: 'pid_mode when a task sets none.',
  },
  default_ipc_mode: {
    type: 'string',
    oneOf: ['private', 'host'],
    default: 'private',
    doc: 'ipc_mode when a task sets none.',
  },
  allow_caps: {
    type: 'list',
    of: { type: 'string' },
    default: NOMAD_DEFAULT_CAPS,
    doc: 'Capabilities tasks may have or add; ["all"] allows any.',
  },
  chroot_env: {
    type: 'list',
    of: { type: 'string' },
    doc: "Host directories bound read-only into the task root; defaults to Nomad's chroot_env.",
  },
});

/** The isolation options exec and java share in their task `config`. */
export const isolatedTaskOptions = defineConfigSchema({
  pid_mode: { type: 'string', oneOf: ['private', 'host'], doc: "Own pid namespace (private) or the host's." },
  ipc_mode: { type: 'string', oneOf: ['private', 'host'], doc: "Own ipc namespace (private) or the host's." },
  work_dir: { type: 'string', doc: 'Working directory inside the task root; defaults to /.' },
  cap_add: {
    type: 'list',
    of: { type: 'string' },
    default: [],
    doc: 'Capabilities to add (must be in allow_caps).',
  },
  cap_drop: {
    type: 'list',
    of: { type: 'string' },
    default: [],
    doc: 'Capabilities to drop; ["all"] drops every one.',
  },
});

/** An exec task's `config { ... }`. */
export const execTaskSchema = defineConfigSchema({
  command: { type: 'string', required: true, doc: 'Program to run, resolved inside the task root.' },
  args: { type: 'list', of: { type: 'string' }, default: [], doc: 'Arguments.' },
  ...isolatedTaskOptions,
});

const capabilities: Capabilities = {
  sendSignals: true,
  exec: true,
  fsIsolation: 'chroot',
  netIsolationModes: ['host', 'group'],
  mustInitiateNetwork: false,
  mountConfigs: 'none',
};

/** Check the host can isolate tasks; undefined when it can, else why not. Effects: reads /sys, /usr/bin. */
export async function isolationUnavailable(): Promise<string | undefined> {
  if (platform() !== 'linux') return 'exec needs Linux';
  if (process.getuid?.() !== 0) return 'exec needs to run as root';
  for (const bin of [
    '/usr/bin/unshare',
    '/usr/bin/nsenter',
    '/usr/sbin/pivot_root',
    '/usr/bin/umount',
    '/usr/bin/setsid',
  ]) {
    if (
      !(await access(bin).then(
        () => true,
        () => false,
      ))
    )
      return `missing ${bin} (util-linux / coreutils)`;
  }
  const version = await detectCgroupVersion();
  const ctl: string[] = version === 'v2' ? await v2Controllers() : await availableControllers();
  for (const c of ['memory', 'cpu']) {
    if (!ctl.includes(c)) return `cgroup ${version ?? 'v1'} ${c} controller not available`;
  }
  return undefined;
}

/** Options shared by drivers built on exec's isolation (exec, java). */
export interface IsolatedDriverOptions {
  name: string;
  taskConfigSchema: ConfigSchema;
  pluginConfig: Record<string, unknown>;
  capabilitiesOverride?: Partial<Capabilities>;
  /** Extra fingerprint attributes and health checks beyond isolation. */
  fingerprintExtra(): Promise<Fingerprint | undefined>;
  /** Turn a validated task config into argv (inside the task root) and namespace modes. */
  command(config: TaskConfig): {
    argv: string[];
    workDir?: string;
    pidMode?: NamespaceMode;
    ipcMode?: NamespaceMode;
  };
  validateTaskConfig(driverConfig: Record<string, unknown>): ConfigError[];
}

/**
 * Build an isolated process driver (exec's machinery, another command line). Throws a
 * {@link DriverError} (`invalid-config`) for a bad plugin config.
 */
export function createIsolatedDriver(opts: IsolatedDriverOptions): TaskDriver {
  const { value: plugin, errors } = validateConfig(
    execPluginSchema,
    opts.pluginConfig,
    `plugin.${opts.name}.config`,
  );
  if (errors.length > 0)
    throw new DriverError('invalid-config', errors.map((e) => e.message).join('\n'), errors);
  const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x) => typeof x === 'string') : []);
  const capsFor = (c: Record<string, unknown>) =>
    computeCapabilities(plugin.allow_caps, strings(c['cap_add']), strings(c['cap_drop']));
  const capsOrThrow = (c: Record<string, unknown>): string[] => {
    const r = capsFor(c);
    if ('error' in r) throw new DriverError('invalid-config', r.error.message, [r.error]);
    return r.caps;
  };
  return createProcessDriver({
    name: opts.name,
    pluginConfigSchema: execPluginSchema,
    taskConfigSchema: opts.taskConfigSchema,
    capabilities: { ...capabilities, ...opts.capabilitiesOverride },
    async fingerprint(): Promise<Fingerprint> {
      const why = await isolationUnavailable();
      if (why) return { health: 'undetected', healthDescription: why, attributes: {} };
      const extra = await opts.fingerprintExtra();
      return (
        extra ?? {
          health: 'healthy',
          healthDescription: 'Healthy',
          attributes: { [`driver.${opts.name}`]: '1' },
        }
      );
    },
    validateTaskConfig: (c) => {
      const errors = opts.validateTaskConfig(c);
      const caps = capsFor(c);
      return 'error' in caps ? [...errors, caps.error] : errors;
    },
    async prepare(config, stateDir) {
      const why = await isolationUnavailable();
      if (why) throw new DriverError('start-failed', `${opts.name}: ${why}`);
      const cmd = opts.command(config);
      return prepareIsolated(config, stateDir, {
        argv: cmd.argv,
        workDir: cmd.workDir ?? '/',
        pidMode: cmd.pidMode ?? (plugin.default_pid_mode as NamespaceMode),
        ipcMode: cmd.ipcMode ?? (plugin.default_ipc_mode as NamespaceMode),
        chrootEnv: plugin.chroot_env ?? DEFAULT_CHROOT_ENV,
        caps: capsOrThrow(config.driverConfig),
      });
    },
    execArgv: (state, config, command) =>
      isolatedExecArgv(state, config, command, capsOrThrow(config.driverConfig)),
  });
}

/**
 * Create an exec driver.
 *
 * @example
 * const d = createExecDriver();
 * await d.startTask({ ...cfg, driverConfig: { command: '/bin/sh', args: ['-c', 'echo hi'] } });
 */
export function createExecDriver(pluginConfig: Record<string, unknown> = {}): TaskDriver {
  return createIsolatedDriver({
    name: 'exec',
    taskConfigSchema: execTaskSchema,
    pluginConfig,
    fingerprintExtra: async () => undefined,
    validateTaskConfig: (c) => validateConfig(execTaskSchema, c).errors,
    command(config) {
      const { value } = validateConfig(execTaskSchema, config.driverConfig);
      // Inside the task root the task dir is "/", so relative commands resolve against it.
      return {
        argv: [resolveCommand(value.command, '/'), ...value.args],
        ...(value.work_dir !== undefined ? { workDir: value.work_dir } : {}),
        ...(value.pid_mode !== undefined ? { pidMode: value.pid_mode } : {}),
        ...(value.ipc_mode !== undefined ? { ipcMode: value.ipc_mode } : {}),
      };
    },
  });
}
