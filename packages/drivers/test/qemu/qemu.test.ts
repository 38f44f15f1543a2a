import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import type { ConformanceBehaviour } from '../../src/conformance/behaviours.js';
import { conformanceCases } from '../../src/conformance/suite.js';
import { createTestTaskConfig } from '../../src/conformance/taskDirs.js';
import { DriverError, type TaskConfig, type TaskHandle } from '../../src/driver.js';
import { buildQemuArgs } from '../../src/qemu/config.js';
import { createQemuDriver } from '../../src/qemu/qemuDriver.js';
import { canBind, createPortReserver } from '../../src/network/portReserver.js';
import { startInDoomedAgent } from './agentKill.js';
import { buildBootSector, debugExitStatus, guestDevices, type GuestProgram } from './bootSector.js';

// A real qemu (Debian's qemu-system-x86) booting a guest generated here, under TCG.
try {
  execFileSync('qemu-system-x86_64', ['--version']);
} catch {
  throw new Error('qemu tests need qemu-system-x86_64 (apt-get install qemu-system-x86)');
}

/** The guest for each conformance behaviour; qemu's exit status carries the exit code. */
function guestFor(b: ConformanceBehaviour): GuestProgram {
  switch (b.kind) {
    case 'exit':
      if (b.code !== 0 && b.code % 2 === 0)
        throw new Error(`debug-exit can only produce odd codes, not ${b.code}`);
      return {
        com1: 'hello\r\n',
        com2: 'oops\r\n',
        end: b.code === 0 ? { kind: 'poweroff' } : { kind: 'debug-exit', code: (b.code - 1) >> 1 },
      };
    case 'trap':
      // The kill signal of a graceful qemu task is the ACPI power button.
      return {
        com1: 'started\r\n',
        end: { kind: 'await-powerbutton', then: { debugExit: (b.code - 1) >> 1 } },
      };
    case 'ignore':
      return { com1: 'started\r\n', end: { kind: 'hang' } };
    case 'sleep':
    case 'tree':
      return { com1: 'started\r\n', end: { kind: 'await-powerbutton', then: 'poweroff' } };
  }
}

/** The behaviour goes in `image_path`'s name; the image itself is written when the task is prepared. */
function withGuest(config: TaskConfig): TaskConfig {
  const b = JSON.parse(String(config.driverConfig['x_behaviour'])) as ConformanceBehaviour;
  const { x_behaviour: _omit, ...driverConfig } = config.driverConfig;
  writeFileSync(join(config.taskDir, 'local', 'guest.img'), buildBootSector(guestFor(b)));
  return {
    ...config,
    driverConfig: {
      ...driverConfig,
      args: [...guestDevices(config.stderrPath), ...((driverConfig['args'] as string[]) ?? [])],
    },
  };
}

function pgroupGone(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return false;
  } catch {
    return true;
  }
}

async function untilStarted(stdoutPath: string): Promise<void> {
  for (let i = 0; i < 300 && !readFileSync(stdoutPath, 'utf8').includes('started'); i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function assertGone(handle: TaskHandle): Promise<void> {
  const pid = Number(handle.driverState['pid']);
  for (let i = 0; i < 50 && !pgroupGone(pid); i++) await new Promise((r) => setTimeout(r, 100));
  if (!pgroupGone(pid)) throw new Error(`qemu process group ${pid} still has processes`);
  const mon = handle.driverState['monitorPath'];
  if (typeof mon === 'string' && existsSync(mon)) throw new Error(`monitor socket ${mon} left behind`);
}

describe('qemu driver conformance (real qemu, TCG)', () => {
  for (const c of conformanceCases({
    createDriver: () => createQemuDriver(),
    taskConfigFor: (b) => ({
      image_path: 'local/guest.img',
      accelerator: 'tcg',
      graceful_shutdown: true,
      x_behaviour: JSON.stringify(b),
    }),
    adjustTaskConfig: (config) =>
      config.driverConfig['x_behaviour'] === undefined ? config : withGuest(config),
    invalidTaskConfig: { config: { image_path: 'x.img', accelerator: 'hvf' }, path: 'config.accelerator' },
    assertGone,
    slackMs: 10_000,
  })) {
    it(c.name, c.run, c.timeoutMs);
  }
});

describe('qemu driver specifics', () => {
  it('fingerprints the qemu version', async () => {
    const fp = await createQemuDriver().fingerprint();
    expect(fp.attributes['driver.qemu.version']).toMatch(/^\d+\.\d+\.\d+$/);
    const missing = await createQemuDriver({ config: { emulator: '/nonexistent/qemu' } }).fingerprint();
    expect(missing.health).toBe('undetected');
  });

  it('builds Nomad-shaped args: memory from resources, port_map as user-mode forwards, kvm flags', async () => {
    const t = await createTestTaskConfig({ name: 'vm', driverConfig: {}, memoryMB: 256 });
    try {
      const task = { ...t.config, ports: [{ label: 'ssh', value: 22022, hostIp: '127.0.0.1' }] };
      const args = buildQemuArgs(
        task,
        {
          image_path: 'local/a.img',
          drive_interface: 'virtio',
          accelerator: 'kvm',
          graceful_shutdown: true,
          port_map: { ssh: 22 },
          args: ['-smp', '2'],
        },
        '/tmp/m.sock',
      );
      expect(args.slice(0, 6)).toEqual(['-machine', 'type=pc,accel=kvm', '-name', 'vm', '-m', '256M']);
      expect(args).toContain(`file=${t.config.taskDir}/local/a.img,if=virtio`);
      expect(args).toContain('unix:/tmp/m.sock,server,nowait');
      expect(args).toContain(
        'user,id=user.0,hostfwd=tcp:127.0.0.1:22022-:22,hostfwd=udp:127.0.0.1:22022-:22',
      );
      expect(args).toContain('-enable-kvm');
      expect(args.slice(-2)).toEqual(['-smp', '2']);
    } finally {
      await t.cleanup();
    }
  });

  it('refuses images outside the allocation and flags outside args_allowlist', async () => {
    const d = createQemuDriver({ config: { args_allowlist: ['-serial'] } });
    const t = await createTestTaskConfig({
      driverConfig: { image_path: '/etc/passwd', args: ['-serial', 'stdio', '-kernel', 'x'] },
    });
    try {
      await expect(d.startTask(t.config)).rejects.toSatisfy(
        (e: unknown) =>
          e instanceof DriverError &&
          e.configErrors.map((c) => c.path).join() === 'config.image_path,config.args[2]',
      );
    } finally {
      await t.cleanup();
    }
  });

  it('graceful shutdown: system_powerdown through the monitor powers the guest off (exit 0)', async () => {
    const d = createQemuDriver();
    const t = await createTestTaskConfig({
      driverConfig: { image_path: 'local/guest.img', graceful_shutdown: true },
    });
    writeFileSync(
      join(t.config.taskDir, 'local', 'guest.img'),
      buildBootSector({ com1: 'started\r\n', end: { kind: 'await-powerbutton', then: 'poweroff' } }),
    );
    try {
      const t0 = Date.now();
      const { handle } = await d.startTask(t.config);
      await untilStarted(t.config.stdoutPath);
      const bootMs = Date.now() - t0;
      expect(bootMs).toBeLessThan(30_000);
      await d.stopTask(handle.config.id, 20e9, 'SIGINT');
      const exit = await d.waitTask(handle.config.id);
      expect(exit).toEqual({ exitCode: 0, signal: 0, oomKilled: false });
      await assertGone(handle);
      await d.destroyTask(handle.config.id, false);
    } finally {
      await t.cleanup();
    }
  });

  it('kill and recover: a new driver reattaches from the JSON handle, powers the VM down and reads its exit code', async () => {
    const first = createQemuDriver();
    const t = await createTestTaskConfig({
      driverConfig: { image_path: 'local/guest.img', graceful_shutdown: true },
    });
    writeFileSync(
      join(t.config.taskDir, 'local', 'guest.img'),
      buildBootSector({ com1: 'started\r\n', end: { kind: 'await-powerbutton', then: { debugExit: 2 } } }),
    );
    t.config.driverConfig['args'] = guestDevices(t.config.stderrPath);
    try {
      const { handle } = await first.startTask(t.config);
      const persisted = JSON.stringify(handle);
      await untilStarted(t.config.stdoutPath);
      const second = createQemuDriver();
      await second.recoverTask(JSON.parse(persisted) as TaskHandle);
      await second.stopTask(handle.config.id, 20e9, 'SIGINT');
      expect((await second.waitTask(handle.config.id)).exitCode).toBe(debugExitStatus(2));
      await second.destroyTask(handle.config.id, false);
      await assertGone(handle);
      // A handle whose process is gone and whose status was cleaned up cannot be recovered.
      await expect(
        createQemuDriver().recoverTask(JSON.parse(persisted) as TaskHandle),
      ).rejects.toBeInstanceOf(DriverError);
    } finally {
      await t.cleanup();
    }
  });

  it('port_map: qemu listens on the reserved host port (user-mode forward) until the VM stops', async () => {
    const reserver = createPortReserver();
    const res = await reserver.reserve('127.0.0.1', [{ label: 'ssh' }]);
    if (!res.ok) throw new Error(JSON.stringify(res.errors));
    const port = res.ports[0]!.value;
    const d = createQemuDriver();
    const t = await createTestTaskConfig({
      driverConfig: { image_path: 'local/guest.img', graceful_shutdown: true, port_map: { ssh: 22 } },
    });
    t.config.ports = res.ports;
    writeFileSync(
      join(t.config.taskDir, 'local', 'guest.img'),
      buildBootSector({ com1: 'started\r\n', end: { kind: 'await-powerbutton', then: 'poweroff' } }),
    );
    try {
      const { handle, network } = await d.startTask(t.config);
      expect(network?.portMap).toEqual({ ssh: 22 });
      await untilStarted(t.config.stdoutPath);
      expect(await canBind('127.0.0.1', port)).toBe(false);
      await d.stopTask(handle.config.id, 20e9, 'SIGINT');
      expect((await d.waitTask(handle.config.id)).exitCode).toBe(0);
      expect(await canBind('127.0.0.1', port)).toBe(true);
      await d.destroyTask(handle.config.id, false);
    } finally {
      reserver.release(res.ports);
      await t.cleanup();
    }
  });

  it('agent crash: the agent process is SIGKILLed; the VM lives on, is recovered, stopped, and leaves nothing', async () => {
    const t = await createTestTaskConfig({
      driverConfig: { image_path: 'local/guest.img', graceful_shutdown: true },
    });
    writeFileSync(
      join(t.config.taskDir, 'local', 'guest.img'),
      buildBootSector({ com1: 'started\r\n', end: { kind: 'await-powerbutton', then: { debugExit: 1 } } }),
    );
    t.config.driverConfig['args'] = guestDevices(t.config.stderrPath);
    try {
      const handle = await startInDoomedAgent('qemu', t.config);
      await untilStarted(t.config.stdoutPath);
      const pid = Number(handle.driverState['pid']);
      expect(pgroupGone(pid)).toBe(false);
      const d = createQemuDriver();
      await d.recoverTask(handle);
      expect((await d.inspectTask(handle.config.id)).state).toBe('running');
      await d.stopTask(handle.config.id, 20e9, 'SIGINT');
      expect((await d.waitTask(handle.config.id)).exitCode).toBe(debugExitStatus(1));
      await d.destroyTask(handle.config.id, false);
      await assertGone(handle);
    } finally {
      await t.cleanup();
    }
  });

  it('agent crash: the VM exits while no agent runs; the recovered driver still reports its exit code', async () => {
    // graceful_shutdown moves the monitor to a socket, leaving stdio to the guest's serial port.
    const t = await createTestTaskConfig({
      driverConfig: { image_path: 'local/guest.img', graceful_shutdown: true },
    });
    writeFileSync(
      join(t.config.taskDir, 'local', 'guest.img'),
      buildBootSector({ com1: 'bye\r\n', end: { kind: 'debug-exit', code: 2 } }),
    );
    t.config.driverConfig['args'] = guestDevices(t.config.stderrPath);
    try {
      const handle = await startInDoomedAgent('qemu', t.config);
      const pid = Number(handle.driverState['pid']);
      for (let i = 0; i < 100 && !pgroupGone(pid); i++) await new Promise((r) => setTimeout(r, 100));
      expect(pgroupGone(pid)).toBe(true);
      const d = createQemuDriver();
      await d.recoverTask(handle);
      expect(await d.waitTask(handle.config.id)).toEqual({
        exitCode: debugExitStatus(2),
        signal: 0,
        oomKilled: false,
      });
      expect((await d.inspectTask(handle.config.id)).state).toBe('exited');
      await d.destroyTask(handle.config.id, false);
    } finally {
      await t.cleanup();
    }
  });
});
