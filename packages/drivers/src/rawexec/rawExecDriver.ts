/**
 * raw_exec: runs a command as a plain host process in its own session and process group, with
 * no isolation. Disabled unless the plugin config sets `enabled = true`, because anything it
 * runs has the agent's privileges.
 */
import { isAbsolute, join } from 'node:path';
import { defineConfigSchema, validateConfig, type ConfigValue } from '../configSchema.js';
import {
  DriverError,
  type Capabilities,
  type Fingerprint,
  type TaskConfig,
  type TaskDriver,
} from '../driver.js';
import { createProcessDriver } from '../process/processDriver.js';
import { lookupUser, setprivArgv } from '../process/user.js';

/** `plugin "raw_exec" { config { ... } }`. */
export const rawExecPluginSchema = defineConfigSchema({
  enabled: { type: 'bool', default: false, doc: 'Allow tasks to use raw_exec (off by default).' },
});

/** A raw_exec task's `config { ... }`. */
export const rawExecTaskSchema = defineConfigSchema({
  command: {
    type: 'string',
    required: true,
    doc: 'Program to run: absolute, on PATH, or relative to the task dir.',
  },
  args: { type: 'list', of: { type: 'string' }, default: [], doc: 'Arguments.' },
  work_dir: { type: 'string', doc: 'Working directory; defaults to the task dir.' },
});

/** Plugin config of raw_exec. */
export type RawExecPluginConfig = ConfigValue<typeof rawExecPluginSchema>;

const capabilities: Capabilities = {
  sendSignals: true,
  exec: true,
  fsIsolation: 'none',
  netIsolationModes: ['host', 'group'],
  mustInitiateNetwork: false,
  mountConfigs: 'none',
};

/** Resolve a task's command the way Nomad does: relative paths with a slash are under the task dir. Pure. */
export function resolveCommand(command: string, taskDir: string): string {
  return !isAbsolute(command) && command.includes('/') ? join(taskDir, command) : command;
}

/**
 * Create a raw_exec driver. Throws a {@link DriverError} (`invalid-config`) for a bad plugin config.
 *
 * @example
 * const d = createRawExecDriver({ enabled: true });
 * const { handle } = await d.startTask({ ...cfg, driverConfig: { command: '/bin/echo', args: ['hi'] } });
 */
export function createRawExecDriver(pluginConfig: Record<string, unknown> = {}): TaskDriver {
  const { value: plugin, errors } = validateConfig(
    rawExecPluginSchema,
    pluginConfig,
    'plugin.raw_exec.config',
  );
  if (errors.length > 0)
    throw new DriverError('invalid-config', errors.map((e) => e.message).join('\n'), errors);
  const validate = (c: Record<string, unknown>) => validateConfig(rawExecTaskSchema, c).errors;
  return createProcessDriver({
    name: 'raw_exec',
    pluginConfigSchema: rawExecPluginSchema,
    taskConfigSchema: rawExecTaskSchema,
    capabilities,
    async fingerprint(): Promise<Fingerprint> {
      return plugin.enabled
        ? { health: 'healthy', healthDescription: 'Healthy', attributes: { 'driver.raw_exec': '1' } }
        : { health: 'undetected', healthDescription: 'disabled', attributes: {} };
    },
    validateTaskConfig: validate,
    refuse: () =>
      plugin.enabled
        ? undefined
        : new DriverError(
            'disabled',
            'raw_exec is disabled: set enabled = true in plugin "raw_exec" { config { } }',
          ),
    async prepare(config: TaskConfig) {
      const { value } = validateConfig(rawExecTaskSchema, config.driverConfig);
      const userArgv = await userPrefix(config);
      return {
        argv: [...userArgv, resolveCommand(value.command, config.taskDir), ...value.args],
        env: config.env,
        cwd: value.work_dir ?? config.taskDir,
        nsSupervised: false,
      };
    },
    async execArgv(_state, config, command) {
      return [...(await userPrefix(config)), ...command];
    },
  });
}

async function userPrefix(config: TaskConfig): Promise<string[]> {
  if (!config.user) return [];
  const user = await lookupUser(config.user);
  if (!user) {
    throw new DriverError('invalid-config', `user: no such user "${config.user}"`, [
      {
        path: 'user',
        expected: 'a local user',
        actual: config.user,
        message: `user: no such user "${config.user}"`,
      },
    ]);
  }
  return setprivArgv(user);
}
