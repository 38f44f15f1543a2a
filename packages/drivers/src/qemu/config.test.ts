import { describe, expect, it } from 'vitest';

import { validateConfig } from '../configSchema.js';
import { checkQemuPolicy, monitorPathFor, qemuPluginConfigSchema, qemuTaskConfigSchema } from './config.js';

const cfg = (c: Record<string, unknown>) => validateConfig(qemuTaskConfigSchema, c).value;
const plugin = (c: Record<string, unknown>) => validateConfig(qemuPluginConfigSchema, c).value;
const task = {
  allocDir: '/allocs/a1',
  taskDir: '/allocs/a1/vm',
  ports: [{ label: 'ssh', value: 2222, hostIp: '127.0.0.1' }],
};

describe('qemu config', () => {
  it('fills Nomad defaults', () => {
    expect(cfg({ image_path: 'a.img' })).toMatchObject({
      drive_interface: 'ide',
      accelerator: 'tcg',
      graceful_shutdown: false,
    });
  });

  it('allows images in the allocation or an image_paths entry, and checks port_map labels', () => {
    expect(checkQemuPolicy(cfg({ image_path: 'local/a.img' }), plugin({}), task)).toEqual([]);
    expect(
      checkQemuPolicy(cfg({ image_path: '/srv/img/a.img' }), plugin({ image_paths: ['/srv/img'] }), task),
    ).toEqual([]);
    const errs = checkQemuPolicy(
      cfg({ image_path: '../../../etc/shadow', port_map: { web: 80 } }),
      plugin({}),
      task,
    );
    expect(errs.map((e) => e.path)).toEqual(['config.image_path', 'config.port_map.web']);
  });

  it('keeps monitor socket paths under the unix socket limit', () => {
    const long = `/tmp/${'x'.repeat(120)}`;
    expect(monitorPathFor({ taskDir: '/allocs/a1/vm', id: 'i' })).toBe('/allocs/a1/vm/qemu-monitor.sock');
    expect(Buffer.byteLength(monitorPathFor({ taskDir: long, id: 'a1/vm/1' }))).toBeLessThan(100);
  });
});
