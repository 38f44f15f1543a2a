import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { processDriverFactories } from './builtins.js';
import { loadDrivers } from './loader.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});
async function pluginDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tsnomad-plugins-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  return dir;
}

// A tiny external driver: reuses raw_exec under another name, configured by its plugin block.
const externalModule = `
export default {
  name: 'mine',
  async create(config) {
    if (config.fail) { const e = new Error('mine: refused'); throw e; }
    return { name: 'mine', greeting: config.greeting ?? 'none' };
  },
};
`;

describe('loadDrivers', () => {
  it('creates built-ins with their plugin config, raw_exec stays disabled without one', async () => {
    const { drivers, errors } = await loadDrivers({ builtins: processDriverFactories });
    expect(errors).toEqual([]);
    expect([...drivers.keys()].sort()).toEqual(['exec', 'java', 'raw_exec']);
    expect((await drivers.get('raw_exec')!.fingerprint()).health).toBe('undetected');
    const enabled = await loadDrivers({
      builtins: processDriverFactories,
      plugins: [{ name: 'raw_exec', config: { enabled: true } }],
    });
    expect((await enabled.drivers.get('raw_exec')!.fingerprint()).attributes['driver.raw_exec']).toBe('1');
  });

  it('reports a bad plugin config with its path', async () => {
    const { errors } = await loadDrivers({
      builtins: processDriverFactories,
      plugins: [{ name: 'raw_exec', config: { enabled: 'yes', extra: 1 } }],
    });
    expect(errors.map((e) => e.path).sort()).toEqual([
      'plugin.raw_exec.config.enabled',
      'plugin.raw_exec.config.extra',
    ]);
  });

  it('loads an external driver module from plugin_dir and passes its config', async () => {
    const dir = await pluginDir({ 'mine.js': externalModule, 'other/index.mjs': externalModule });
    const { drivers, errors } = await loadDrivers({
      pluginDir: dir,
      builtins: {},
      plugins: [
        { name: 'mine', config: { greeting: 'hi' } },
        { name: 'other', config: {} },
      ],
    });
    expect(errors).toEqual([]);
    expect((drivers.get('mine') as unknown as { greeting: string }).greeting).toBe('hi');
    expect(drivers.has('other')).toBe(true);
  });

  it('turns missing modules, bad exports, failing factories and duplicates into errors', async () => {
    const dir = await pluginDir({
      'bad.js': 'export default 42;',
      'mine.js': externalModule,
      'broken.js': 'export default {',
    });
    const { drivers, errors } = await loadDrivers({
      pluginDir: dir,
      builtins: {},
      plugins: [
        { name: 'absent', config: {} },
        { name: 'bad', config: {} },
        { name: 'broken', config: {} },
        { name: 'mine', config: { fail: true } },
        { name: 'bad', config: {} },
      ],
    });
    expect(drivers.size).toBe(0);
    const byPath = Object.fromEntries(errors.map((e) => [e.path, e.message]));
    expect(byPath['plugin.absent']).toMatch(/no driver named "absent"/);
    expect(byPath['plugin.bad']).toMatch(/must default-export/);
    expect(byPath['plugin.broken']).toMatch(/cannot load/);
    expect(byPath['plugin.mine']).toMatch(/mine: refused/);
    expect(byPath['plugin[4]']).toMatch(/duplicate plugin "bad"/);
  });
});
