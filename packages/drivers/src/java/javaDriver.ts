/**
 * java: runs a JVM application (`jar_path`, or `class` with `class_path`) with exec's isolation:
 * namespaces, a task root with the host's system dirs bound read-only (the JVM lives under
 * /usr/lib/jvm), and a cgroup. Fingerprints the Java version, runtime, VM and vendor.
 */
import { execFile } from 'node:child_process';
import { defineConfigSchema, validateConfig, type ConfigError } from '../configSchema.js';
import type { Fingerprint, TaskDriver } from '../driver.js';
import { createIsolatedDriver, isolatedTaskOptions } from '../exec/execDriver.js';

/** A java task's `config { ... }`. */
export const javaTaskSchema = defineConfigSchema({
  class: { type: 'string', doc: 'Main class to run (with class_path).' },
  class_path: { type: 'string', doc: 'Class path (-cp), relative to the task dir.' },
  jar_path: { type: 'string', doc: 'Jar to run (-jar), relative to the task dir.' },
  jvm_options: {
    type: 'list',
    of: { type: 'string' },
    default: [],
    doc: 'Options for the JVM, before the class or jar.',
  },
  args: { type: 'list', of: { type: 'string' }, default: [], doc: 'Arguments for the application.' },
  ...isolatedTaskOptions,
});

/** What `java -version` and the JVM's properties report. */
export interface JavaInfo {
  version: string;
  runtime: string;
  vm: string;
  vendor: string;
}

/**
 * Parse `java -XshowSettings:properties -version` output (stderr): the three version lines and
 * the `java.vendor` property. Undefined when the output is not recognisable. Pure.
 */
export function parseJavaVersion(output: string): JavaInfo | undefined {
  const lines = output
    .split('\n')
    .filter(
      (l) =>
        !l.startsWith('Picked up _JAVA_OPTIONS') && !l.startsWith('Property settings') && l.trim() !== '',
    );
  const vendor = /^\s*java\.vendor = (.*)$/m.exec(output)?.[1]?.trim() ?? '';
  const versionIdx = lines.findIndex((l) => /\bversion "/.test(l));
  if (versionIdx < 0 || lines.length < versionIdx + 3) return undefined;
  const version = /"([.\d_+-]+)/.exec(lines[versionIdx]!)?.[1] ?? lines[versionIdx]!.trim();
  return { version, runtime: lines[versionIdx + 1]!.trim(), vm: lines[versionIdx + 2]!.trim(), vendor };
}

/** Ask the host's `java` for its version. Effects: runs java once. */
export function detectJava(javaBin = 'java'): Promise<JavaInfo | undefined> {
  return new Promise((resolve) => {
    execFile(javaBin, ['-XshowSettings:properties', '-version'], { timeout: 20_000 }, (err, _out, stderr) => {
      resolve(err ? undefined : parseJavaVersion(stderr));
    });
  });
}

/** Check a java config: the schema, plus one of `jar_path` or `class`. Pure. */
export function validateJavaTaskConfig(config: Record<string, unknown>): ConfigError[] {
  const { value, errors } = validateConfig(javaTaskSchema, config);
  if (errors.length === 0 && value.jar_path === undefined && value.class === undefined) {
    errors.push({
      path: 'config.jar_path',
      expected: 'jar_path or class',
      actual: 'neither',
      message: 'config.jar_path: jar_path or class must be specified',
    });
  }
  return errors;
}

/** The JVM command line for a validated config, in Nomad's order. Pure. */
export function javaArgv(config: Record<string, unknown>): string[] {
  const { value } = validateConfig(javaTaskSchema, config);
  return [
    'java',
    ...value.jvm_options,
    ...(value.class_path !== undefined ? ['-cp', value.class_path] : []),
    ...(value.jar_path !== undefined ? ['-jar', value.jar_path] : []),
    ...(value.class !== undefined ? [value.class] : []),
    ...value.args,
  ];
}

/**
 * Create a java driver. Plugin config is exec's (`default_pid_mode`, `default_ipc_mode`, `chroot_env`).
 *
 * @example
 * const d = createJavaDriver();
 * await d.startTask({ ...cfg, driverConfig: { jar_path: 'local/app.jar', jvm_options: ['-Xmx64m'] } });
 */
export function createJavaDriver(pluginConfig: Record<string, unknown> = {}): TaskDriver {
  let info: Promise<JavaInfo | undefined> | undefined;
  return createIsolatedDriver({
    name: 'java',
    taskConfigSchema: javaTaskSchema,
    pluginConfig,
    async fingerprintExtra(): Promise<Fingerprint> {
      info ??= detectJava();
      const java = await info;
      if (!java) return { health: 'undetected', healthDescription: 'java not found on PATH', attributes: {} };
      return {
        health: 'healthy',
        healthDescription: 'Healthy',
        attributes: {
          'driver.java': '1',
          'driver.java.version': java.version,
          'driver.java.runtime': java.runtime,
          'driver.java.vm': java.vm,
          'driver.java.vendor': java.vendor,
        },
      };
    },
    validateTaskConfig: validateJavaTaskConfig,
    command(config) {
      const { value } = validateConfig(javaTaskSchema, config.driverConfig);
      return {
        argv: javaArgv(config.driverConfig),
        ...(value.work_dir !== undefined ? { workDir: value.work_dir } : {}),
        ...(value.pid_mode !== undefined ? { pidMode: value.pid_mode } : {}),
        ...(value.ipc_mode !== undefined ? { ipcMode: value.ipc_mode } : {}),
      };
    },
  });
}
