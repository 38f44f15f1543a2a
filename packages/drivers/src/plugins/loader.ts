/**
 * Loading drivers the way a Nomad client config names them: built-in factories plus external
 * modules found in `plugin_dir`, each configured by a `plugin "name" { config { ... } }` block.
 * An external driver is an ES module `<plugin_dir>/<name>.js` (or `.mjs`, or a directory
 * `<name>/` with an `index.js`) whose default export is a {@link DriverFactory}.
 */
import { access } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ConfigError } from '../configSchema.js';
import { DriverError, type DriverFactory, type TaskDriver } from '../driver.js';

/** One `plugin "name" { config { ... } }` block from the client config. */
export interface PluginBlock {
  name: string;
  config: Record<string, unknown>;
}

/** What {@link loadDrivers} needs. */
export interface LoadDriversOptions {
  /** `plugin_dir`: where external driver modules live. */
  pluginDir?: string;
  /** `plugin` blocks, in config order. */
  plugins?: PluginBlock[];
  /** Built-in factories by name; a module in plugin_dir with the same name replaces one. */
  builtins?: Record<string, DriverFactory>;
  /**
   * Names to create even without a `plugin` block (with an empty config). Defaults to every
   * built-in; external modules load only when a `plugin` block names them.
   */
  enable?: string[];
}

/** Drivers created, and every problem found, each with a path into the client config. */
export interface LoadDriversResult {
  drivers: Map<string, TaskDriver>;
  errors: ConfigError[];
}

/**
 * Create the drivers a client config asks for. Never throws for user mistakes: a missing module,
 * a module without a factory or a bad plugin config becomes an error with a path such as
 * `plugin.raw_exec.config.enabled`. Effects: imports modules from `pluginDir`.
 *
 * @example
 * const { drivers, errors } = await loadDrivers({
 *   pluginDir: '/opt/tsnomad/plugins',
 *   plugins: [{ name: 'raw_exec', config: { enabled: true } }],
 *   builtins: builtinDriverFactories,
 * });
 */
export async function loadDrivers(opts: LoadDriversOptions): Promise<LoadDriversResult> {
  const builtins = opts.builtins ?? {};
  const drivers = new Map<string, TaskDriver>();
  const errors: ConfigError[] = [];
  const blocks = new Map<string, PluginBlock>();
  for (const [i, b] of (opts.plugins ?? []).entries()) {
    if (blocks.has(b.name)) {
      errors.push({
        path: `plugin[${i}]`,
        expected: 'one plugin block per name',
        actual: `a second "${b.name}"`,
        message: `plugin[${i}]: duplicate plugin "${b.name}"`,
      });
      continue;
    }
    blocks.set(b.name, b);
  }
  const names = new Set([...(opts.enable ?? Object.keys(builtins)), ...blocks.keys()]);
  for (const name of names) {
    const path = `plugin.${name}`;
    let factory: DriverFactory | undefined;
    const external = opts.pluginDir ? await findModule(opts.pluginDir, name) : undefined;
    if (external) {
      const loaded = await importFactory(external, path);
      if ('error' in loaded) {
        errors.push(loaded.error);
        continue;
      }
      factory = loaded.factory;
    } else {
      factory = builtins[name];
    }
    if (!factory) {
      const where = opts.pluginDir ? ` in plugin_dir ${opts.pluginDir}` : '';
      errors.push({
        path,
        expected: `a built-in driver or a module ${name}.js${where}`,
        actual: 'nothing',
        message: `${path}: no driver named "${name}" (not built in, no ${name}.js${where})`,
      });
      continue;
    }
    try {
      const driver = await factory.create(blocks.get(name)?.config ?? {});
      drivers.set(name, driver);
    } catch (e) {
      if (e instanceof DriverError && e.configErrors.length > 0) errors.push(...e.configErrors);
      else {
        errors.push({
          path,
          expected: 'a driver',
          actual: 'an error',
          message: `${path}: ${(e as Error).message}`,
        });
      }
    }
  }
  return { drivers, errors };
}

async function findModule(dir: string, name: string): Promise<string | undefined> {
  for (const candidate of [`${name}.js`, `${name}.mjs`, join(name, 'index.js'), join(name, 'index.mjs')]) {
    const p = resolve(dir, candidate);
    if (
      await access(p).then(
        () => true,
        () => false,
      )
    )
      return p;
  }
  return undefined;
}

async function importFactory(
  file: string,
  path: string,
): Promise<{ factory: DriverFactory } | { error: ConfigError }> {
  let mod: { default?: unknown };
  try {
    mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
  } catch (e) {
    const message = `${path}: cannot load ${file}: ${(e as Error).message}`;
    return { error: { path, expected: 'a loadable ES module', actual: 'an import error', message } };
  }
  const f = mod.default as Partial<DriverFactory> | undefined;
  if (!f || typeof f.create !== 'function' || typeof f.name !== 'string') {
    const message = `${path}: ${file} must default-export { name, create(config) }`;
    return { error: { path, expected: 'a default export { name, create }', actual: typeof f, message } };
  }
  return { factory: f as DriverFactory };
}
