import { isAbsolute, join, relative, resolve } from 'node:path';

import { defineConfigSchema, type ConfigError, type ConfigValue } from '../configSchema.js';
import type { TaskConfig } from '../driver.js';

/** `plugin "qemu" { config { ... } }`. */
export const qemuPluginConfigSchema = defineConfigSchema({
  image_paths: {
    type: 'list',
    of: { type: 'string' },
    default: [],
    doc: 'host directories images may come from, besides the allocation directory',
  },
  args_allowlist: {
    type: 'list',
    of: { type: 'string' },
    doc: 'when set, the only qemu flags a task may pass in args',
  },
  emulator: { type: 'string', default: 'qemu-system-x86_64', doc: 'qemu binary to run' },
});

/** A task's `config { ... }` for the qemu driver. */
export const qemuTaskConfigSchema = defineConfigSchema({
  image_path: { type: 'string', required: true, doc: 'disk image; relative paths are under the task dir' },
  drive_interface: {
    type: 'string',
    default: 'ide',
    oneOf: ['ide', 'scsi', 'sd', 'mtd', 'floppy', 'pflash', 'virtio', 'none'],
  },
  accelerator: { type: 'string', default: 'tcg', oneOf: ['tcg', 'kvm'] },
  graceful_shutdown: { type: 'bool', default: false, doc: 'stop with ACPI system_powerdown via the monitor' },
  args: { type: 'list', of: { type: 'string' } },
  port_map: { type: 'map', of: { type: 'number', integer: true, min: 1, max: 65535 } },
});

export type QemuPluginConfig = ConfigValue<typeof qemuPluginConfigSchema>;
export type QemuTaskConfig = ConfigValue<typeof qemuTaskConfigSchema>;

function err(path: string, expected: string, actual: string): ConfigError {
  return { path, expected, actual, message: `${path}: expected ${expected}, got ${actual}` };
}

/** Resolves `image_path` against the task dir. Pure. */
export function imagePathFor(task: Pick<TaskConfig, 'taskDir'>, cfg: QemuTaskConfig): string {
  return isAbsolute(cfg.image_path) ? cfg.image_path : resolve(task.taskDir, cfg.image_path);
}

function inside(dir: string, p: string): boolean {
  const r = relative(resolve(dir), p);
  return r !== '' && !r.startsWith('..') && !isAbsolute(r);
}

/**
 * Checks what the schema cannot: the image lies in the allocation or an allowed image path, args
 * are allowed, `port_map` labels exist in the group network. Pure.
 */
export function checkQemuPolicy(
  cfg: QemuTaskConfig,
  plugin: QemuPluginConfig,
  task: Pick<TaskConfig, 'allocDir' | 'taskDir' | 'ports'> | undefined,
): ConfigError[] {
  const errors: ConfigError[] = [];
  if (task) {
    const img = imagePathFor(task, cfg);
    if (!inside(task.allocDir, img) && !plugin.image_paths.some((d) => inside(d, img))) {
      errors.push(
        err('config.image_path', 'a path inside the allocation directory or a plugin image_paths entry', img),
      );
    }
    const labels = new Set((task.ports ?? []).map((p) => p.label));
    for (const l of Object.keys(cfg.port_map ?? {})) {
      if (!labels.has(l))
        errors.push(err(`config.port_map.${l}`, 'a port label of the group network', JSON.stringify(l)));
    }
  }
  if (plugin.args_allowlist) {
    const allowed = new Set(plugin.args_allowlist);
    (cfg.args ?? []).forEach((a, i) => {
      if (a.startsWith('-') && !allowed.has(a)) {
        errors.push(err(`config.args[${i}]`, `a flag in args_allowlist (${[...allowed].join(', ')})`, a));
      }
    });
  }
  return errors;
}

/**
 * The qemu command line for a task, in Nomad's order: machine and accelerator, name, memory, drive,
 * no graphics, the monitor socket, user-mode port forwards, then the task's own `args`. Pure.
 *
 * @example
 * buildQemuArgs(task, cfg, '/alloc/task/qm.sock') // ['-machine', 'type=pc,accel=tcg', '-name', 'vm', ...]
 */
export function buildQemuArgs(
  task: TaskConfig,
  cfg: QemuTaskConfig,
  monitorPath: string | undefined,
): string[] {
  const args = [
    '-machine',
    `type=pc,accel=${cfg.accelerator}`,
    '-name',
    task.name,
    '-m',
    `${task.resources.memoryMB}M`,
    '-drive',
    `file=${imagePathFor(task, cfg)},if=${cfg.drive_interface}`,
    '-nographic',
  ];
  if (monitorPath) args.push('-monitor', `unix:${monitorPath},server,nowait`);
  const forwards = Object.entries(cfg.port_map ?? {}).flatMap(([label, guest]) => {
    const p = task.ports?.find((x) => x.label === label);
    return p ? ['tcp', 'udp'].map((proto) => `hostfwd=${proto}:${p.hostIp}:${p.value}-:${guest}`) : [];
  });
  if (forwards.length > 0) {
    args.push('-netdev', ['user', 'id=user.0', ...forwards].join(','), '-device', 'virtio-net,netdev=user.0');
  }
  if (cfg.accelerator === 'kvm') args.push('-enable-kvm', '-cpu', 'host');
  if (task.resources.cores > 0) args.push('-smp', String(task.resources.cores));
  return [...args, ...(cfg.args ?? [])];
}

/** Unix sockets have a 108-byte path limit; long task dirs get a short path under /tmp. Pure. */
export function monitorPathFor(task: Pick<TaskConfig, 'taskDir' | 'id'>): string {
  const p = join(task.taskDir, 'qemu-monitor.sock');
  if (Buffer.byteLength(p) < 100) return p;
  let h = 0;
  for (const c of task.id) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return `/tmp/tsnomad-qm-${h.toString(16)}.sock`;
}
